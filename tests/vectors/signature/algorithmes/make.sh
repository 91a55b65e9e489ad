#!/bin/sh
# Fixtures of the signature algorithms mpe verifies (issue 15, item 5), all made by OpenSSL
# 3 and checked by `openssl cms -verify` right here. Run from this folder; the committed files
# are its output. Test keys, self-signed (each certificate is its own anchor), valid
# 2025-01-01 to 2124-01-01 so that the tests do not expire.
set -eu
printf 'Offre de test pour les algorithmes\n' > donnees.txt
cert() { # name, key file, digest
    openssl req -x509 -new -key "$2" -"$3" -subj "/CN=mpe test $1" -days 36500 \
        -not_before 20250101000000Z -not_after 21240101000000Z \
        -addext keyUsage=critical,digitalSignature,nonRepudiation,keyCertSign \
        -addext basicConstraints=critical,CA:true -out "$1.pem" 2>/dev/null || \
    openssl req -x509 -new -key "$2" -"$3" -subj "/CN=mpe test $1" -days 36500 \
        -addext keyUsage=critical,digitalSignature,nonRepudiation,keyCertSign \
        -addext basicConstraints=critical,CA:true -out "$1.pem"
}
sign() { # name, output, extra options...
    n=$1; out=$2; shift 2
    openssl cms -sign -binary -cades -in donnees.txt -signer "$n.pem" -inkey "$n.key" \
        -outform DER -out "$out" "$@"
    openssl cms -verify -binary -inform DER -in "$out" -content donnees.txt \
        -CAfile "$n.pem" -purpose any -out /dev/null
}
for c in P-384 P-521 brainpoolP256r1 brainpoolP384r1 brainpoolP512r1; do
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:$c -out "$c.key"
done
openssl genpkey -algorithm ED25519 -out ed25519.key
openssl genpkey -algorithm ED448 -out ed448.key
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key

cert P-384 P-384.key sha384
cert P-521 P-521.key sha512
cert brainpoolP256r1 brainpoolP256r1.key sha256
cert brainpoolP384r1 brainpoolP384r1.key sha384
cert brainpoolP512r1 brainpoolP512r1.key sha512
cert ed25519 ed25519.key sha256 2>/dev/null || openssl req -x509 -new -key ed25519.key -subj "/CN=mpe test ed25519" -days 36500 -addext keyUsage=critical,digitalSignature,nonRepudiation,keyCertSign -addext basicConstraints=critical,CA:true -out ed25519.pem
openssl req -x509 -new -key ed448.key -subj "/CN=mpe test ed448" -days 36500 -addext keyUsage=critical,digitalSignature,nonRepudiation,keyCertSign -addext basicConstraints=critical,CA:true -out ed448.pem
cert rsa rsa.key sha256

sign P-384 ecdsa-p384-sha384.p7s -md sha384
sign P-521 ecdsa-p521-sha512.p7s -md sha512
sign brainpoolP256r1 ecdsa-bp256-sha256.p7s -md sha256
sign brainpoolP384r1 ecdsa-bp384-sha384.p7s -md sha384
sign brainpoolP512r1 ecdsa-bp512-sha512.p7s -md sha512
# OpenSSL 3.0 cannot sign CMS with EdDSA ("no default digest"): Ed25519 and Ed448 are
# proven as certificate signatures instead: an RSA signer issued by an EdDSA CA, whose
# chain mpe must verify (and `openssl verify` accepts).
for ca in ed25519 ed448; do
    openssl req -new -key rsa.key -subj "/CN=mpe test signataire sous $ca" -out "sous-$ca.csr"
    printf 'keyUsage=critical,digitalSignature,nonRepudiation\nbasicConstraints=critical,CA:false\n' > ext.cnf
    openssl x509 -req -in "sous-$ca.csr" -CA "$ca.pem" -CAkey "$ca.key" -set_serial 7 \
        -days 36500 -extfile ext.cnf -out "sous-$ca.pem"
    openssl verify -CAfile "$ca.pem" "sous-$ca.pem"
    openssl cms -sign -binary -cades -in donnees.txt -signer "sous-$ca.pem" -inkey rsa.key \
        -outform DER -out "rsa-sous-$ca.p7s"
    openssl cms -verify -binary -inform DER -in "rsa-sous-$ca.p7s" -content donnees.txt \
        -CAfile "$ca.pem" -purpose any -out /dev/null
    rm -f "sous-$ca.csr" ext.cnf
done
sign rsa rsa-pss-sha384.p7s -md sha384 -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:-1
sign rsa rsa-pss-sha512-sel32.p7s -md sha512 -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:32
sign rsa rsa-sha3-256.p7s -md sha3-256
sign rsa rsa-sha224.p7s -md sha224
# BER with indefinite lengths (openssl -stream), enveloping (content inside).
openssl cms -sign -binary -cades -stream -nodetach -in donnees.txt -signer rsa.pem -inkey rsa.key \
    -outform DER -out rsa-ber-enveloppante.p7m
openssl cms -verify -binary -inform DER -in rsa-ber-enveloppante.p7m -CAfile rsa.pem -purpose any -out /dev/null
# No signed attributes: the signature is over the content directly.
openssl cms -sign -binary -noattr -in donnees.txt -signer rsa.pem -inkey rsa.key \
    -outform DER -out rsa-sans-attributs.p7s
openssl cms -verify -binary -inform DER -in rsa-sans-attributs.p7s -content donnees.txt -CAfile rsa.pem -purpose any -out /dev/null
# Two signers (RSA and P-384) in one SignedData.
openssl cms -sign -binary -in donnees.txt -signer rsa.pem -inkey rsa.key -signer P-384.pem \
    -inkey P-384.key -outform DER -out deux-signataires.p7s
cat rsa.pem P-384.pem > deux-ancres.pem
openssl cms -verify -binary -inform DER -in deux-signataires.p7s -content donnees.txt -CAfile deux-ancres.pem -purpose any -out /dev/null
# Signer named by its subject key identifier.
openssl cms -sign -binary -keyid -in donnees.txt -signer rsa.pem -inkey rsa.key \
    -outform DER -out rsa-keyid.p7s
openssl cms -verify -binary -inform DER -in rsa-keyid.p7s -content donnees.txt -CAfile rsa.pem -purpose any -out /dev/null
echo OK

#!/usr/bin/env bash
# Adds the chain fixtures to tests/vectors/signature, under the existing ca.pem / ca.key
# (called at the end of make.sh; can be run alone). Each leaf's .pem holds the leaf, then
# its issuer, as a signer's chain file does.
#   intermediaire.pem          CA:true under the root, 2024–2040
#   intermediaire-expire.pem   CA:true under the root, 2020–2025 (expired in 2027)
#   sous-signataire.{key,pem}  signer under intermediaire (valid chain of three)
#   sous-expire.{key,pem}      signer (2024–2040) under intermediaire-expire
#   usurpe.{key,pem}           "signer" issued with signataire.key, an end-entity key (CA:false)
#   sous-revoquee.{key,pem}    signer under intermediaire-revoquee, which the root revoked
#                              in crl-racine.der (the leaf itself is not revoked)
#   ecdsa.{key,pem}            ECDSA P-256 signer (PKCS#8 key) under the RSA root
#   sous-ec.{key,pem}          ECDSA P-256 signer (SEC 1 key) under an ECDSA P-256 CA
#                              (ac-ec.pem) under the RSA root: certificates signed with ECDSA
set -euo pipefail
cd "$(dirname "$0")"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
mkdir -p "$W/newcerts" && touch "$W/index.txt" && openssl rand -hex 8 > "$W/serial" && echo 1000 > "$W/crlnumber"
cat > "$W/ext.cnf" <<CNF
[ca]
default_ca = mpe
[mpe]
dir = $W
database = $W/index.txt
new_certs_dir = $W/newcerts
serial = $W/serial
crlnumber = $W/crlnumber
default_crl_days = 3650
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
countryName = optional
[ac]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[feuille]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
CNF
# cert NAME SUBJECT EXT ISSUER_PEM ISSUER_KEY START END [KEYSPEC]
cert() {
  openssl req -new -newkey "${8:-rsa:2048}" -nodes -keyout "$1.key" -out "$W/$1.csr" -subj "$2" 2>/dev/null
  openssl ca -batch -config "$W/ext.cnf" -cert "$4" -keyfile "$5" -extensions "$3" \
    -startdate "$6" -enddate "$7" -in "$W/$1.csr" -out "$W/$1.pem" -notext 2>/dev/null
}
cert intermediaire "/C=FR/O=mpe tests/CN=mpe Test AC Intermediaire" ac ca.pem ca.key 20240101000000Z 20400101000000Z
cert intermediaire-expire "/C=FR/O=mpe tests/CN=mpe Test AC Intermediaire Expiree" ac ca.pem ca.key 20200101000000Z 20250101000000Z
cert sous-signataire "/C=FR/O=Entreprise Test/CN=Lea Sous Chaine" feuille "$W/intermediaire.pem" intermediaire.key 20240101000000Z 20400101000000Z
cert sous-expire "/C=FR/O=Entreprise Test/CN=Marc Sous Expiree" feuille "$W/intermediaire-expire.pem" intermediaire-expire.key 20240101000000Z 20400101000000Z
cert usurpe "/C=FR/O=Entreprise Test/CN=Usurpateur" feuille signataire.pem signataire.key 20240101000000Z 20400101000000Z
cert intermediaire-revoquee "/C=FR/O=mpe tests/CN=mpe Test AC Intermediaire Revoquee" ac ca.pem ca.key 20240101000000Z 20400101000000Z
cert sous-revoquee "/C=FR/O=Entreprise Test/CN=Rose Sous Revoquee" feuille "$W/intermediaire-revoquee.pem" intermediaire-revoquee.key 20240101000000Z 20400101000000Z
openssl ca -batch -config "$W/ext.cnf" -cert ca.pem -keyfile ca.key -revoke "$W/intermediaire-revoquee.pem" 2>/dev/null
openssl ca -batch -config "$W/ext.cnf" -cert ca.pem -keyfile ca.key -gencrl -out "$W/crl-racine.pem" 2>/dev/null
openssl crl -in "$W/crl-racine.pem" -outform DER -out crl-racine.der
cat "$W/sous-revoquee.pem" "$W/intermediaire-revoquee.pem" > sous-revoquee.pem
rm -f intermediaire-revoquee.key
openssl ecparam -name prime256v1 -out "$W/p256.param"
EC="ec:$W/p256.param"
cert ac-ec "/C=FR/O=mpe tests/CN=mpe Test AC ECDSA" ac ca.pem ca.key 20240101000000Z 20400101000000Z "$EC"
cert ecdsa "/C=FR/O=Entreprise Test/CN=Ines Courbe" feuille ca.pem ca.key 20240101000000Z 20400101000000Z "$EC"
cert sous-ec "/C=FR/O=Entreprise Test/CN=Hugo Courbe" feuille "$W/ac-ec.pem" ac-ec.key 20240101000000Z 20400101000000Z "$EC"
cp "$W/ecdsa.pem" ecdsa.pem
openssl ec -in sous-ec.key -out "$W/sec1.key" 2>/dev/null && mv "$W/sec1.key" sous-ec.key
cp "$W/ac-ec.pem" ac-ec.pem
cat "$W/sous-ec.pem" "$W/ac-ec.pem" > sous-ec.pem
rm -f ac-ec.key
cp "$W/intermediaire.pem" intermediaire.pem
cp "$W/intermediaire-expire.pem" intermediaire-expire.pem
cat "$W/sous-signataire.pem" "$W/intermediaire.pem" > sous-signataire.pem
cat "$W/sous-expire.pem" "$W/intermediaire-expire.pem" > sous-expire.pem
cat "$W/usurpe.pem" signataire.pem > usurpe.pem
rm -f intermediaire.key intermediaire-expire.key

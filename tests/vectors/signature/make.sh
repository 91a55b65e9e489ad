#!/usr/bin/env bash
# Regenerates the test PKI and PDFs of tests/vectors/signature (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
rm -rf pki && mkdir -p pki/newcerts && touch pki/index.txt && echo 1000 > pki/serial && echo 1000 > pki/crlnumber
cat > pki/ca.cnf <<'CNF'
[ca]
default_ca = mpe
[mpe]
dir = pki
database = pki/index.txt
new_certs_dir = pki/newcerts
serial = pki/serial
crlnumber = pki/crlnumber
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
default_crl_days = 3650
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
countryName = optional
[req]
distinguished_name = dn
prompt = no
[dn]
CN = x
[racine]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[signataire]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.5.5.7.1.3 = DER:30:0a:30:08:06:06:04:00:8e:46:01:01
[nonqualifie]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
[chiffrement]
basicConstraints = CA:false
keyUsage = critical,keyEncipherment
[tsa]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
CNF
openssl req -x509 -new -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 9000 \
  -subj "/C=FR/O=mpe tests/CN=mpe Test CA Racine" -config pki/ca.cnf -extensions racine 2>/dev/null
mk() { # name subject extensions start end
  openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "pki/$1.csr" -subj "$2" -config pki/ca.cnf 2>/dev/null
  openssl ca -batch -config pki/ca.cnf -extensions "$3" -startdate "$4" -enddate "$5" -in "pki/$1.csr" -out "$1.pem" -notext 2>/dev/null
}
mk signataire "/C=FR/O=Entreprise Test/CN=Jeanne Dupont" signataire 20240101000000Z 20400101000000Z
mk nonqualifie "/C=FR/O=Entreprise Test/CN=Paul Martin" nonqualifie 20240101000000Z 20400101000000Z
mk expire "/C=FR/O=Entreprise Test/CN=Ancien Certificat" signataire 20100101000000Z 20120101000000Z
mk futur "/C=FR/O=Entreprise Test/CN=Futur Certificat" signataire 20450101000000Z 20460101000000Z
mk chiffrement "/C=FR/O=Entreprise Test/CN=Cle De Chiffrement" chiffrement 20240101000000Z 20400101000000Z
mk revoque "/C=FR/O=Entreprise Test/CN=Certificat Revoque" signataire 20240101000000Z 20400101000000Z
mk tsa "/C=FR/O=mpe tests/CN=mpe Test TSA" tsa 20240101000000Z 20400101000000Z
openssl ca -batch -config pki/ca.cnf -revoke revoque.pem 2>/dev/null
openssl ca -batch -config pki/ca.cnf -gencrl -out crl.pem 2>/dev/null
openssl crl -in crl.pem -outform DER -out crl.der
# PKCS#1 form of the signer key, to test both PEM kinds.
openssl rsa -in signataire.key -traditional -out signataire-pkcs1.key 2>/dev/null
cat > tsa.cnf <<'CNF'
[tsa]
default_tsa = mpe_tsa
[mpe_tsa]
dir = .
serial = ./tsaserial
signer_cert = ./tsa.pem
certs = ./ca.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ess_cert_id_alg = sha256
ess_cert_id_chain = no
crypto_device = builtin
CNF
echo 01 > tsaserial
python3 make_pdfs.py
rm -rf pki
bash make_intermediaires.sh

#!/bin/sh
# A test PKI for revocation, made at test time because the certificates carry the
# loopback addresses of the responders the test starts (AIA and CRL distribution points).
#   pki.sh DIR OCSP_URL CRL_URL
# DIR receives: ca.pem/key, repondant.pem/key (delegated OCSP responder: id-kp-OCSPSigning
# and id-pkix-ocsp-nocheck), repondant-controle.pem/key (the same without nocheck: its own
# revocation must be checked, RFC 6960 4.2.2.2.1),
# bon, avant, apres (AIA + CDP), crl-avant (CDP only) with their keys, index.txt (the
# openssl ca database the responder reads). Revocations are made by the test (revoquer.sh).
set -eu
DIR=$1; OCSP=$2; CRL=$3
mkdir -p "$DIR/newcerts"
cd "$DIR"
: > index.txt
echo 1000 > serial
echo 1000 > crlnumber
cat > ca.cnf <<CNF
[ca]
default_ca = test
[test]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
certificate = ./ca.pem
private_key = ./ca.key
serial = ./serial
crlnumber = ./crlnumber
default_md = sha256
default_days = 30
default_crl_days = 7
policy = tout
unique_subject = no
copy_extensions = none
[tout]
commonName = supplied
organizationName = optional
countryName = optional
[req]
distinguished_name = dn
[dn]
[racine]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[repondant]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
[repondant_controle]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
[signataire]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
authorityInfoAccess = OCSP;URI:$OCSP
crlDistributionPoints = URI:$CRL
[signataire_crl]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
crlDistributionPoints = URI:$CRL
CNF
openssl req -x509 -new -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
  -subj "/C=FR/O=mpe tests/CN=mpe Test Revocation CA" -config ca.cnf -extensions racine 2>/dev/null
mk() { # name subject extensions
  openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  # Valid from an hour before, as CAs backdate.
  debut=$(date -u -d '-1 hour' +%Y%m%d%H%M%SZ)
  openssl ca -batch -config ca.cnf -extensions "$3" -startdate "$debut" -in "$1.csr" -out "$1.pem" -notext 2>/dev/null
}
mk repondant "/C=FR/O=mpe tests/CN=mpe Test OCSP" repondant
mk repondant-controle "/C=FR/O=mpe tests/CN=mpe Test OCSP sans nocheck" repondant_controle
mk bon "/C=FR/O=mpe tests/CN=Bon" signataire
mk avant "/C=FR/O=mpe tests/CN=Revoque avant" signataire
mk apres "/C=FR/O=mpe tests/CN=Revoque apres" signataire
mk crl-avant "/C=FR/O=mpe tests/CN=Revoque avant CRL" signataire_crl

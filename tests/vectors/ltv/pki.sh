#!/bin/sh
# The test PKI of the long-term signatures: the revocation PKI (../revocation/pki.sh, with
# the loopback addresses of the responders) and an OCSP responder certificate carrying
# id-pkix-ocsp-nocheck, as real delegated responders do: a validator at a past time
# (pyHanko's time slide, ETSI EN 319 102-1 5.6.2.1) needs no revocation data for it.
#   pki.sh DIR OCSP_URL CRL_URL
set -eu
DIR=$1
sh "$(dirname "$0")/../revocation/pki.sh" "$@"
cd "$DIR"
cat >> ca.cnf <<CNF
[repondant_nocheck]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
CNF
openssl req -new -newkey rsa:2048 -nodes -keyout repondant.key -out repondant.csr \
  -subj "/C=FR/O=mpe tests/CN=mpe Test OCSP nocheck" 2>/dev/null
debut=$(date -u -d '-1 hour' +%Y%m%d%H%M%SZ)
openssl ca -batch -config ca.cnf -extensions repondant_nocheck -startdate "$debut" \
  -in repondant.csr -out repondant.pem -notext 2>/dev/null

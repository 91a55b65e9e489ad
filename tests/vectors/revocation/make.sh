#!/bin/sh
# Static fixtures for the bindings' revocation tests (C, PHP, Java pass OCSP responses in
# the verification options' JSON, `reponses_ocsp`, DER in base64):
#   fixe/avant.p7s     CAdES (openssl cms) of offre.txt by a certificate revoked before it
#   fixe/options_ocsp.json      anchors + the delegated responder's response (revoked,
#                               keyCompromise) + a validation time inside every validity
#   fixe/options_usurpee.json   the same revocation signed by a certificate the CA issued
#                               without id-kp-OCSPSigning (must be set aside)
# Run from this folder: sh make.sh
set -eu
rm -rf fixe && mkdir fixe
sh ./pki.sh fixe/pki http://127.0.0.1:9/ http://127.0.0.1:9/ca.crl
cd fixe
printf 'Offre de prix, lot 1\n' > offre.txt
(cd pki && openssl ca -batch -config ca.cnf -revoke avant.pem -crl_reason keyCompromise 2>/dev/null)
sleep 1
openssl cms -sign -binary -md sha256 -in offre.txt -signer pki/avant.pem -inkey pki/avant.key \
  -outform DER -out avant.p7s
cp pki/ca.pem ca.pem
cd pki
openssl ocsp -issuer ca.pem -cert avant.pem -no_nonce -reqout ../req.der
for qui in repondant bon; do
  openssl ocsp -index index.txt -CA ca.pem -rsigner $qui.pem -rkey $qui.key -reqin ../req.der \
    -respout ../$qui.ocsp -ndays 3650 2>/dev/null
done
cd ..
date=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
for f in ocsp:repondant usurpee:bon; do
  nom=${f%%:*}; rep=${f#*:}
  python3 - "$date" "$rep.ocsp" > "options_$nom.json" <<'PY'
import base64, json, sys
print(json.dumps({
    "ancres_pem": open("ca.pem").read(),
    "date_verification": sys.argv[1],
    "reponses_ocsp": [base64.b64encode(open(sys.argv[2], "rb").read()).decode()],
}))
PY
done
rm -rf pki req.der

"""A timestamp authority on loopback for the tests: `openssl ts -reply` behind HTTP.

    python3 tsa_http.py PORT DIR

DIR holds tsa.cnf and what it names (tests/vectors/signature: tsa.pem, tsa.key, ca.pem,
tsaserial, copied by the test). Each POST body (an RFC 3161 TimeStampReq) is answered with
the TimeStampResp of `openssl ts -reply`; "pret" on stderr once listening.
"""

import http.server
import pathlib
import subprocess
import sys
import tempfile

PORT = int(sys.argv[1])
DIR = pathlib.Path(sys.argv[2])


class Tsa(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        n = int(self.headers.get("Content-Length", "0"))
        requete = self.rfile.read(n)
        with tempfile.TemporaryDirectory() as t:
            q = pathlib.Path(t) / "req.tsq"
            r = pathlib.Path(t) / "resp.tsr"
            q.write_bytes(requete)
            p = subprocess.run(
                ["openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", str(q), "-out", str(r)],
                cwd=DIR,
                capture_output=True,
            )
            if p.returncode != 0:
                self.send_error(500, p.stderr.decode(errors="replace")[:200])
                return
            corps = r.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(corps)))
        self.end_headers()
        self.wfile.write(corps)

    def log_message(self, *args: object) -> None:
        pass


serveur = http.server.HTTPServer(("127.0.0.1", PORT), Tsa)
print("pret", file=sys.stderr, flush=True)
serveur.serve_forever()

"""Writes small hand-made PDFs: simple.pdf (classic xref table) and xrefstream.pdf
(cross-reference stream, PDF 1.5). Offsets are computed, so the files are exact."""
import sys

def page_objects(text):
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]

def classic(path, text):
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    objs = page_objects(text)
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n\r\n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    open(path, "wb").write(out)

def xrefstream(path, text):
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    objs = page_objects(text)
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xid = len(objs) + 1
    xoff = len(out)
    rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
    for o in offsets + [xoff]:
        rows += b"\x01" + o.to_bytes(4, "big") + b"\x00\x00"
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (xid, xid + 1, len(rows))
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xoff
    open(path, "wb").write(out)

if __name__ == "__main__":
    classic("simple.pdf", "Offre de prix - lot 1")
    xrefstream("xrefstream.pdf", "Acte d'engagement")

//! Bounded cost of PDF verification (issue #20): a PDF with a million objects and no
//! signature answers in under a second and under 100 MB, because a file without
//! `/ByteRange` is answered without reading its objects; one that declares a million objects
//! in a signed file is bounded by the typed limits (unit tests of `pades::tests`).
//! Alone in its file: the memory figure is the process's peak.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::time::Instant;

use mpe::signature::{self, OptionsVerification, Statut};

/// A PDF 1.4 with `n` objects and a classic cross-reference table (the generator).
fn million(n: usize) -> Vec<u8> {
    let mut pdf = Vec::with_capacity(n * 44 + 1024);
    pdf.extend_from_slice(b"%PDF-1.4\n");
    let mut offs = Vec::with_capacity(n + 1);
    offs.push(pdf.len());
    pdf.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    offs.push(pdf.len());
    pdf.extend_from_slice(b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
    for i in 3..=n {
        offs.push(pdf.len());
        pdf.extend_from_slice(format!("{i} 0 obj\n[{i}]\nendobj\n").as_bytes());
    }
    let x = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f\r\n", n + 1).as_bytes());
    for o in offs {
        pdf.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n",
            n + 1
        )
        .as_bytes(),
    );
    pdf
}

fn memoire_ko(champ: &str) -> usize {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .find(|l| l.starts_with(champ))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap()
}

#[test]
fn million_objets_sans_signature() {
    let pdf = million(1_000_000);
    let avant = memoire_ko("VmRSS:");
    let t = Instant::now();
    let r = signature::verifier(&pdf, None, &OptionsVerification::default()).unwrap();
    let duree = t.elapsed();
    let pic = memoire_ko("VmHWM:");
    assert!(r.signatures.is_empty());
    assert_eq!(r.statut, Statut::Invalide);
    assert!(
        duree.as_secs_f64() < 1.0,
        "{duree:?} pour {} octets",
        pdf.len()
    );
    // The peak above what the test itself holds (the 40 MB file).
    let surcout = pic.saturating_sub(avant);
    assert!(surcout < 100 * 1024, "pic {pic} ko, avant {avant} ko");
    eprintln!(
        "{} octets, 1 000 000 objets : {duree:?}, surcoût mémoire {surcout} ko",
        pdf.len()
    );
}

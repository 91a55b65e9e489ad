//! The little HTTP the CLI needs to fetch revocation data: a GET (CRL distribution point)
//! or a POST (OCSP, RFC 6960 A.1) to an `http://` URI, with a deadline and a size limit.
//!
//! OCSP responders and CRL distribution points are plain HTTP by design (RFC 5019, RFC
//! 5280 4.2.1.13): the data is signed, and TLS would need revocation checks of its own.
//! So std's TCP is enough, and the CLI carries no HTTP stack for it.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use mpe::{CodeErreur, Erreur};

fn injoignable(url: &str, pourquoi: impl std::fmt::Display) -> Erreur {
    Erreur::new(
        CodeErreur::RevocationInjoignable,
        format!("{url} : {pourquoi}"),
    )
}

/// `corps`: `Some((content type, bytes))` for a POST. Answers the body of a 200 response
/// of at most `limite` bytes, received within `delai` in all.
pub fn demander(
    url: &str,
    corps: Option<(&str, &[u8])>,
    limite: usize,
    delai: Duration,
) -> Result<Vec<u8>, Erreur> {
    let debut = Instant::now();
    let reste = url
        .strip_prefix("http://")
        .ok_or_else(|| injoignable(url, "seules les adresses http:// sont prises en charge"))?;
    let (hote, chemin) = match reste.find('/') {
        Some(i) => (
            reste.get(..i).unwrap_or_default(),
            reste.get(i..).unwrap_or("/"),
        ),
        None => (reste, "/"),
    };
    if hote.is_empty() || hote.contains('@') {
        return Err(injoignable(url, "hôte absent ou invalide"));
    }
    let cible = if hote
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        && !hote.ends_with(']')
    {
        hote.to_string()
    } else {
        format!("{hote}:80")
    };
    let adresses = cible
        .to_socket_addrs()
        .map_err(|e| injoignable(url, format!("résolution de {hote} : {e}")))?;
    let mut flux = None;
    let mut derniere = None;
    for a in adresses {
        match TcpStream::connect_timeout(&a, delai) {
            Ok(f) => {
                flux = Some(f);
                break;
            }
            Err(e) => derniere = Some(e),
        }
    }
    let mut flux = flux.ok_or_else(|| {
        injoignable(
            url,
            derniere.map_or_else(|| "aucune adresse".to_string(), |e| e.to_string()),
        )
    })?;
    let io = |e: std::io::Error| injoignable(url, e);
    flux.set_read_timeout(Some(delai)).map_err(io)?;
    flux.set_write_timeout(Some(delai)).map_err(io)?;
    // HTTP/1.0: the server closes the connection after the body, never chunks it.
    let mut requete = match corps {
        Some((type_, octets)) => format!(
            "POST {chemin} HTTP/1.0\r\nHost: {hote}\r\nContent-Type: {type_}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            octets.len()
        )
        .into_bytes(),
        None => format!("GET {chemin} HTTP/1.0\r\nHost: {hote}\r\nConnection: close\r\n\r\n")
            .into_bytes(),
    };
    if let Some((_, octets)) = corps {
        requete.extend_from_slice(octets);
    }
    flux.write_all(&requete).map_err(io)?;
    // Headers count in the limit too, with room for them.
    let maximum = limite.saturating_add(16 * 1024);
    let mut recu = Vec::new();
    let mut tampon = [0u8; 16 * 1024];
    loop {
        if debut.elapsed() > delai {
            return Err(injoignable(
                url,
                format!("pas de réponse complète en {delai:?}"),
            ));
        }
        let n = match flux.read(&mut tampon) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        recu.extend_from_slice(tampon.get(..n).unwrap_or_default());
        if recu.len() > maximum {
            return Err(injoignable(
                url,
                format!("réponse de plus de {limite} octets"),
            ));
        }
    }
    let fin = recu
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| injoignable(url, "réponse HTTP sans en-têtes"))?;
    let entetes = String::from_utf8_lossy(recu.get(..fin).unwrap_or_default()).into_owned();
    let corps = recu.get(fin + 4..).unwrap_or_default().to_vec();
    let statut = entetes
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or_default();
    if statut != "200" {
        return Err(injoignable(url, format!("statut HTTP {statut}")));
    }
    if corps.len() > limite {
        return Err(injoignable(
            url,
            format!("réponse de plus de {limite} octets"),
        ));
    }
    let longueur = entetes.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse::<usize>().ok())?
    });
    if longueur.is_some_and(|l| l != corps.len()) {
        return Err(injoignable(url, "réponse tronquée (Content-Length)"));
    }
    Ok(corps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refus_sans_reseau() {
        let d = Duration::from_secs(1);
        for url in ["https://exemple.invalid/ca.crl", "ftp://x/y", "http:///x"] {
            let e = demander(url, None, 10, d).expect_err(url);
            assert_eq!(e.code(), CodeErreur::RevocationInjoignable, "{url}");
        }
    }

    #[test]
    fn limite_et_statut() {
        use std::net::TcpListener;
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        let t = std::thread::spawn(move || {
            for reponse in [
                "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc".to_string(),
                format!("HTTP/1.0 200 OK\r\n\r\n{}", "x".repeat(100)),
                "HTTP/1.0 404 Not Found\r\n\r\n".to_string(),
            ] {
                let (mut s, _) = l.accept().expect("accept");
                let mut b = [0u8; 1024];
                let _ = s.read(&mut b);
                let _ = s.write_all(reponse.as_bytes());
            }
        });
        let url = format!("http://127.0.0.1:{port}/x");
        let d = Duration::from_secs(5);
        assert_eq!(demander(&url, None, 50, d).expect("200"), b"abc");
        let e = demander(&url, Some(("application/ocsp-request", b"r")), 50, d).expect_err("trop");
        assert!(e.message().contains("plus de 50"), "{}", e.message());
        let e = demander(&url, None, 50, d).expect_err("404");
        assert!(e.message().contains("404"), "{}", e.message());
        t.join().expect("serveur");
    }
}

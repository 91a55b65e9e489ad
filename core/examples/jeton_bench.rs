//! Raw signing on a PKCS#11 token, for `benches/crypto_ec_pkcs11.sh`: signs a fixed SHA-256
//! digest `N` times with `CleJeton::signer_empreinte` (RSA PKCS#1 v1.5 over the DigestInfo,
//! the raw `CKM_RSA_PKCS` operation `pkcs11-tool --sign -m RSA-PKCS` also does), in one
//! session, and prints the total and per-signature time. With `N` = 1 it is one whole
//! process (load the module, log in, sign), the unit `pkcs11-tool --sign` is.
//!
//! ```text
//! jeton_bench <module.so> <jeton> <pin> <clé> <N>
//! ```

use std::process::ExitCode;
use std::time::Instant;

use mpe::crypto::dechiffreur::Hachage;
use mpe::crypto::pkcs11::ModulePkcs11;

fn run(args: &[String]) -> mpe::Result<()> {
    let arg = |i: usize| {
        args.get(i).map(String::as_str).ok_or_else(|| {
            mpe::Erreur::invalid_argument("jeton_bench <module> <jeton> <pin> <clé> <N>")
        })
    };
    let n: u32 = arg(5)?
        .parse()
        .map_err(|_| mpe::Erreur::invalid_argument("N"))?;
    let m = ModulePkcs11::charger(std::path::Path::new(arg(1)?))?;
    let s = m.ouvrir(arg(2)?, Some(arg(3)?))?;
    let k = s.cle(arg(4)?)?;
    let empreinte = [0x5au8; 32];
    let debut = Instant::now();
    let mut octets = 0;
    for _ in 0..n {
        octets += k.signer_empreinte(Hachage::Sha256, &empreinte)?.len();
    }
    let t = debut.elapsed();
    if n > 1 {
        println!(
            "{n} signatures, {:.3} s, {:.1} µs/signature ({octets} octets)",
            t.as_secs_f64(),
            t.as_secs_f64() * 1e6 / f64::from(n)
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur [{}] : {e}", e.code().name());
            ExitCode::from(2)
        }
    }
}

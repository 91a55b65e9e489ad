//! Where the shared real-world corpus is, for every test that reads it in place.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `MPE_CORPUS`, or the first `shared/corpus` above this crate (the main checkout sits
/// beside `shared/`, a worktree deeper). A missing corpus fails the test: never a skip.
pub fn corpus() -> PathBuf {
    if let Some(d) = std::env::var_os("MPE_CORPUS") {
        let d = PathBuf::from(d);
        assert!(
            d.join("expectations.json").is_file(),
            "MPE_CORPUS ne contient pas expectations.json : {}",
            d.display()
        );
        return d;
    }
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    loop {
        let c = dir.join("shared/corpus");
        if c.join("expectations.json").is_file() {
            return c;
        }
        assert!(
            dir.pop(),
            "corpus introuvable (shared/corpus au-dessus du dépôt, ou MPE_CORPUS)"
        );
    }
}

/// `shared/data` beside the corpus (official schemas and lists).
pub fn donnees_officielles() -> PathBuf {
    corpus().join("../data")
}

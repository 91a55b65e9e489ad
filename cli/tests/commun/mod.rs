//! Helpers shared by the CLI tests: run the built `mpe` and check its exit code.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Run `mpe` with `args` in `dir`.
pub fn mpe(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mpe"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// The exit code is `attendu` (stdout and stderr shown otherwise).
#[track_caller]
pub fn code(o: &Output, attendu: i32) {
    assert_eq!(
        o.status.code(),
        Some(attendu),
        "stdout {}\nstderr {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Success (exit code 0).
#[track_caller]
pub fn ok(o: &Output) {
    code(o, 0);
}

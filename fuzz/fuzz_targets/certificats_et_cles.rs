#![no_main]

#[path = "../cibles.rs"]
mod cibles;

libfuzzer_sys::fuzz_target!(|d: &[u8]| cibles::certificats_et_cles(d));

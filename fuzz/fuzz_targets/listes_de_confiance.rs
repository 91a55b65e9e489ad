#![no_main]

#[path = "../cibles.rs"]
mod cibles;

libfuzzer_sys::fuzz_target!(|d: &[u8]| cibles::listes_de_confiance(d));

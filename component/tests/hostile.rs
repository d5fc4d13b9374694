//! Hostile input, natively and fast: truncations and byte flips of every fixture through the
//! pipeline must end in an image or a typed error, never a panic (a panic is a trap in wasm).
//! The same cases through the real component are the test host's job; this one is exhaustive.

// Test code: a panic here is a failed test, which is what these lints guard against elsewhere.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use imgpipe_component::{Options, OutputFormat, process};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-host/tests/images");
    let mut out = Vec::new();
    for dir in ["sharp", "pngsuite", "formats"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            // The large photos make the loops slow without adding new header shapes.
            if bytes.len() < 300_000 {
                out.push((
                    path.file_name().unwrap().to_string_lossy().into_owned(),
                    bytes,
                ));
            }
        }
    }
    out.sort();
    out
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn survive(name: &str, case: &str, input: &[u8]) {
    let options = Options {
        max_width: Some(64),
        max_height: Some(64),
        max_input_pixels: Some(4_000_000),
        ..Options::default()
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        process(input, &options, OutputFormat::Png)
    }));
    assert!(result.is_ok(), "{name}: {case}: panicked");
}

#[test]
fn truncations_never_panic() {
    for (name, bytes) in fixtures() {
        let len = bytes.len();
        let mut cuts: Vec<usize> = (0..64.min(len)).collect();
        cuts.extend((1..16).map(|i| len * i / 16));
        for cut in cuts {
            survive(&name, &format!("truncated at {cut}"), &bytes[..cut]);
        }
    }
}

#[test]
fn byte_flips_never_panic() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for (name, bytes) in fixtures() {
        for round in 0..12 {
            let mut input = bytes.clone();
            for _ in 0..1 + round % 4 {
                // Headers hold most of the structure: flip there more often.
                let span = if round % 2 == 0 {
                    input.len().min(512)
                } else {
                    input.len()
                };
                let at = (rng.next() as usize) % span;
                input[at] ^= 1 << (rng.next() % 8);
            }
            survive(&name, &format!("flip round {round}"), &input);
        }
    }
}

/// Inputs the fuzz targets found a panic with (`component/tests/findings/`, each named for what
/// it exercises), kept once fixed: each must now end in an image or a typed error, through
/// `process` and `inspect` alike.
#[test]
fn fuzz_findings_stay_fixed() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/findings");
    let mut found = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        survive(&name, "as found", &bytes);
        let inspected = catch_unwind(|| imgpipe_component::inspect(&bytes));
        assert!(inspected.is_ok(), "{name}: inspect panicked");
        found += 1;
    }
    assert!(found > 0, "no findings to check");
}

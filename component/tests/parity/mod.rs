//! What the JPEG codec parity tests share: their JPEG files, a stable hash, and the comparison of
//! a report (one line per decode or encode) with the one the published crate wrote.

use std::path::PathBuf;

/// Every JPEG in `tests/jpeg` and among the fixtures, as (file name, bytes), sorted by name.
pub fn jpeg_files() -> Vec<(String, Vec<u8>)> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        manifest.join("tests/jpeg"),
        manifest.join("../test-host/tests/images/sharp"),
    ] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "jpg") {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// FNV-1a, 64-bit: stable across Rust versions, unlike `DefaultHasher`.
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Compares `actual` with `tests/jpeg/<stem>-<arch>.txt`, line by line, failing with every
/// differing line; `what` names the lines ("decodes", "encodes"). With
/// `IMGPIPE_WRITE_JPEG_EXPECTED` set it writes the file instead: run so against the published
/// crate (the test files say how). Returns whether it compared.
pub fn compare_with_published(stem: &str, actual: &str, what: &str) -> bool {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/jpeg")
        .join(format!("{stem}-{}.txt", std::env::consts::ARCH));
    if std::env::var_os("IMGPIPE_WRITE_JPEG_EXPECTED").is_some() {
        std::fs::write(&path, actual).unwrap();
        return false;
    }
    let Ok(expected) = std::fs::read_to_string(&path) else {
        // CI runs x86_64 and wasm32; another target needs its own file, written as above.
        assert!(
            !matches!(std::env::consts::ARCH, "x86_64" | "wasm32"),
            "{} is missing",
            path.display()
        );
        eprintln!("no {}: not compared on this target", path.display());
        return false;
    };
    let differences: Vec<String> = expected
        .lines()
        .zip(actual.lines())
        .filter(|(e, a)| e != a)
        .map(|(e, a)| format!("expected {e}\n     got {a}"))
        .collect();
    assert_eq!(expected.lines().count(), actual.lines().count());
    assert!(
        differences.is_empty(),
        "{} of {} {what} differ:\n{}",
        differences.len(),
        expected.lines().count(),
        differences.join("\n")
    );
    true
}

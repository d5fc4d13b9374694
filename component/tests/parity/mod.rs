//! What the JPEG codec parity tests share: a stable hash, and the comparison of a report (one
//! line per decode or encode) with the one the published crate wrote.

use std::path::PathBuf;

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

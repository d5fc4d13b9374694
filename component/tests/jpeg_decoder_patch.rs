//! The patched jpeg-decoder (`component/vendor/jpeg-decoder`, PATCHES.md) must decode exactly
//! as the published 0.3.2 does: same pixels at every DCT scale, same outcomes, for varied JPEGs
//! (baseline 4:2:0/4:2:2/4:4:4, grey, CMYK, progressive, restart markers, optimised Huffman
//! tables, odd sizes) and for truncated and 0xFF-corrupted copies of them, which drive the
//! entropy decoder's marker and byte-stuffing paths.
//!
//! `tests/jpeg/expected-<arch>.txt` were written by this test built against the published
//! crate: comment out the `[patch.crates-io]` entry in the workspace's Cargo.toml and run
//! `IMGPIPE_WRITE_JPEG_EXPECTED=1 cargo test --release -p imgpipe-component --test jpeg_decoder_patch`
//! (x86_64), and the same in wasm with `scripts/test-wasm-jpeg` (wasm32; it passes the
//! variable on to wasmtime). scripts/test runs both.

// Test code: a panic here is a failed test, which is what these lints guard against elsewhere.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use parity::{fnv, jpeg_files};
use std::fmt::Write as _;

mod parity;

/// What decoding `bytes` at 1/`denominator` scale gives: the size and a hash of the pixels, or
/// the error.
fn outcome(bytes: &[u8], denominator: u16) -> String {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    let result = decoder.read_info().and_then(|()| {
        let info = decoder.info().unwrap();
        let wanted = (
            info.width.div_ceil(denominator),
            info.height.div_ceil(denominator),
        );
        decoder.scale(wanted.0, wanted.1)?;
        decoder.decode()
    });
    match result {
        Ok(decoded) => {
            let info = decoder.info().unwrap();
            let (w, h, format) = (info.width, info.height, info.pixel_format);
            format!("{w}x{h} {format:?} {:016x}", fnv(&decoded))
        }
        Err(error) => format!("error: {error}"),
    }
}

/// Where copies are damaged: five places in the second half, past the headers, where the
/// entropy decoder reads (each leaves room for a two-byte change).
fn damage_points(n: usize) -> impl Iterator<Item = usize> {
    (1..=5)
        .map(move |k| n / 2 + k * n / 13)
        .filter(move |&at| at + 1 < n)
}

/// The input and the copies whose outcome must match the published crate's exactly: cut at
/// 1/4, 1/2 and 3/4, and with 0xFF written in (a marker where the entropy decoder reads).
fn compared_copies(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![("whole".to_owned(), bytes.to_vec())];
    let n = bytes.len();
    for (label, len) in [
        ("cut 1/4", n / 4),
        ("cut 1/2", n / 2),
        ("cut 3/4", n * 3 / 4),
    ] {
        out.push((label.to_owned(), bytes[..len].to_vec()));
    }
    for at in damage_points(n) {
        let mut marker = bytes.to_vec();
        marker[at] = 0xFF;
        out.push((format!("0xFF at {at}"), marker));
    }
    out
}

/// Copies with garbage in their entropy-coded data: bits flipped (wrong codes, decoded on or
/// refused) and a stuffed 0xFF 0x00 pair written in (a valid byte 0xFF).
///
/// Such garbage can give a run of zeros that overruns the block, which no valid stream has.
/// The published crate then consumes the coefficient's extra bits if the code was in its 8-bit
/// lookup table and not if it was decoded the slow way; the patch's 10-bit table moves codes
/// between those paths, so from such a spot on the garbage differs, and may or may not end in
/// an invalid code. These copies are held to `garbage_is_contained` instead.
fn garbage_copies(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for at in damage_points(bytes.len()) {
        let mut flipped = bytes.to_vec();
        flipped[at] ^= 0x55;
        if flipped[at] == 0xFF {
            flipped[at] = 0xFE;
        }
        out.push((format!("bits flipped at {at}"), flipped));
        let mut stuffed = bytes.to_vec();
        stuffed[at] = 0xFF;
        stuffed[at + 1] = 0x00;
        out.push((format!("0xFF 0x00 at {at}"), stuffed));
    }
    out
}

fn report() -> String {
    let mut report = String::new();
    for (file, bytes) in jpeg_files() {
        for (label, variant) in compared_copies(&bytes) {
            for denominator in [1, 2, 4, 8] {
                let result = outcome(&variant, denominator);
                writeln!(report, "{file} | {label} | 1/{denominator} | {result}").unwrap();
            }
        }
    }
    report
}

#[test]
fn patched_decoder_matches_the_published_crate() {
    // The published crate's own SIMD (SSSE3 on x86, simd128 on wasm) rounds differently per
    // target, so each target has its expectations.
    let actual = report();
    if !parity::compare_with_published("expected", &actual, "decodes") {
        return;
    }
    // Whole files decode; the damaged ones must include both outcomes, or the test is not
    // reaching the error paths it is meant to compare.
    assert!(
        actual
            .lines()
            .any(|l| l.contains("| whole |") && !l.contains("error"))
    );
    assert!(actual.lines().any(|l| l.contains("error:")));
}

/// Copies with garbage in their entropy-coded data decode to an image of the file's size, or
/// fail with an error; never a panic (the pipeline's own hostile tests and fuzzing go further).
#[test]
fn garbage_is_contained() {
    let (mut decoded, mut refused) = (0, 0);
    for (file, bytes) in jpeg_files() {
        // A fixture that is itself broken (corrupt-header.jpg) has nothing to damage.
        if jpeg_decoder::Decoder::new(&bytes[..]).decode().is_err() {
            continue;
        }
        for (label, variant) in garbage_copies(&bytes) {
            let mut decoder = jpeg_decoder::Decoder::new(&variant[..]);
            match decoder.decode() {
                Ok(pixels) => {
                    let info = decoder.info().unwrap();
                    let channels =
                        pixels.len() / (usize::from(info.width) * usize::from(info.height));
                    assert!(
                        (1..=4).contains(&channels),
                        "{file} {label}: {} bytes",
                        pixels.len()
                    );
                    decoded += 1;
                }
                Err(_) => refused += 1,
            }
        }
    }
    assert!(
        decoded > 0 && refused > 0,
        "{decoded} decoded, {refused} refused"
    );
}

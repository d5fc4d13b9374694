//! The patched jpeg-encoder (`component/vendor/jpeg-encoder`, PATCHES.md) must write exactly
//! the bytes the published 0.7.1 writes: for photos and for synthetic images made to reach the
//! entropy coder's corners (noise: large coefficients and long codes; smooth gradients and flat
//! fields: zero runs past 16 and blocks ending early), at qualities from 1 to 100, with 4:4:4,
//! 4:2:2 and 4:2:0 sampling, from RGB, RGBA and grey input, baseline and progressive, with
//! optimised Huffman tables and with restart markers.
//!
//! `tests/jpeg/encoder-expected-<arch>.txt` were written by this test built against the
//! published crate: comment out the `jpeg-encoder` line of `[patch.crates-io]` in the
//! workspace's Cargo.toml and run
//! `IMGPIPE_WRITE_JPEG_EXPECTED=1 cargo test --release -p imgpipe-component --test jpeg_encoder_patch`
//! (x86_64), and the same in wasm with `scripts/test-wasm-jpeg` (wasm32), which is also the run
//! that takes the patch's simd128 paths. The encoder is integer arithmetic and writes the same
//! bytes on both targets, but the photos it is given come from jpeg-decoder, whose colour
//! conversion rounds differently per target, hence a file each.

// Test code: a panic here is a failed test, which is what these lints guard against elsewhere.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::fmt::Write as _;

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use parity::{fnv, jpeg_files};

mod parity;

/// An 8-bit RGB image.
struct Rgb {
    name: String,
    width: u16,
    height: u16,
    pixels: Vec<u8>,
}

/// The fixture photos, decoded at 1/4 scale (the encoder sees the same kind of content at a
/// fraction of the test's time), and the synthetic images.
fn inputs() -> Vec<Rgb> {
    let mut out = Vec::new();
    for (name, bytes) in jpeg_files() {
        let mut decoder = jpeg_decoder::Decoder::new(&bytes[..]);
        let Ok(()) = decoder.read_info() else {
            continue;
        };
        let info = decoder.info().unwrap();
        decoder
            .scale(info.width.div_ceil(4), info.height.div_ceil(4))
            .unwrap();
        let Ok(pixels) = decoder.decode() else {
            continue;
        };
        let info = decoder.info().unwrap();
        // RGB only: grey and CMYK decodes are covered by the synthetic grey input.
        if info.pixel_format != jpeg_decoder::PixelFormat::RGB24 {
            continue;
        }
        out.push(Rgb {
            name,
            width: info.width,
            height: info.height,
            pixels,
        });
    }
    out.extend(synthetic());
    out
}

fn synthetic() -> Vec<Rgb> {
    let make = |name: &str, width: u16, height: u16, f: &dyn Fn(usize, usize, usize) -> u8| {
        let mut pixels = Vec::with_capacity(usize::from(width) * usize::from(height) * 3);
        for y in 0..usize::from(height) {
            for x in 0..usize::from(width) {
                pixels.extend((0..3).map(|c| f(x, y, c)));
            }
        }
        Rgb {
            name: name.to_owned(),
            width,
            height,
            pixels,
        }
    };
    let noise = |x: usize, y: usize, c: usize| {
        // A multiplicative hash: deterministic noise with every bit pattern.
        let n = (x * 7919 + y * 104_729 + c * 1_299_709) as u32;
        (n.wrapping_mul(2_654_435_761) >> 24) as u8
    };
    vec![
        make("noise 61x37", 61, 37, &noise),
        make("gradient 96x64", 96, 64, &|x, y, c| {
            ((x * 2 + y + c * 40) % 256) as u8
        }),
        make("flat 16x16", 16, 16, &|_, _, c| [200, 30, 90][c]),
        make("one pixel", 1, 1, &|_, _, c| [255, 0, 128][c]),
        make("stripes 17x9", 17, 9, &|x, _, c| {
            if (x + c) % 2 == 0 { 255 } else { 0 }
        }),
    ]
}

/// One encoder setting: its label and how to apply it.
struct Setting {
    label: String,
    sampling: SamplingFactor,
    progressive: bool,
    optimized: bool,
    restart: Option<u16>,
}

fn settings() -> Vec<Setting> {
    let mut out = Vec::new();
    for (name, sampling) in [
        ("4:4:4", SamplingFactor::F_1_1),
        ("4:2:2", SamplingFactor::F_2_1),
        ("4:2:0", SamplingFactor::F_2_2),
    ] {
        out.push(Setting {
            label: name.to_owned(),
            sampling,
            progressive: false,
            optimized: false,
            restart: None,
        });
    }
    for (label, progressive, optimized, restart) in [
        ("4:2:0 progressive", true, false, None),
        ("4:2:0 optimised", false, true, None),
        ("4:2:0 restart 3", false, false, Some(3)),
    ] {
        out.push(Setting {
            label: label.to_owned(),
            sampling: SamplingFactor::F_2_2,
            progressive,
            optimized,
            restart,
        });
    }
    out
}

/// Encodes `data` (of `color`) with `setting` at `quality`: the size and a hash of the bytes, or
/// the error.
fn outcome(image: &Rgb, data: &[u8], color: ColorType, setting: &Setting, quality: u8) -> String {
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(setting.sampling);
    encoder.set_progressive(setting.progressive);
    encoder.set_optimized_huffman_tables(setting.optimized);
    if let Some(interval) = setting.restart {
        encoder.set_restart_interval(interval);
    }
    match encoder.encode(data, image.width, image.height, color) {
        Ok(()) => format!("{} {:016x}", out.len(), fnv(&out)),
        Err(error) => format!("error: {error}"),
    }
}

fn report() -> String {
    let mut report = String::new();
    for image in inputs() {
        let rgba: Vec<u8> = image
            .pixels
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect();
        let grey: Vec<u8> = image.pixels.chunks_exact(3).map(|p| p[1]).collect();
        let name = &image.name;
        for setting in settings() {
            for quality in [1, 40, 80, 95, 100] {
                let label = &setting.label;
                let result = outcome(&image, &image.pixels, ColorType::Rgb, &setting, quality);
                writeln!(report, "{name} | RGB {label} q{quality} | {result}").unwrap();
            }
        }
        // The colour type changes only the input side; one setting each is enough.
        let setting = &settings()[2];
        let result = outcome(&image, &rgba, ColorType::Rgba, setting, 80);
        writeln!(report, "{name} | RGBA 4:2:0 q80 | {result}").unwrap();
        let result = outcome(&image, &grey, ColorType::Luma, setting, 80);
        writeln!(report, "{name} | grey q80 | {result}").unwrap();
    }
    report
}

#[test]
fn patched_encoder_matches_the_published_crate() {
    let actual = report();
    if !parity::compare_with_published("encoder-expected", &actual, "encodes") {
        return;
    }
    // The photos were found (the report is not just the synthetic images), and they encoded.
    assert!(actual.lines().filter(|l| l.contains(".jpg |")).count() > 100);
    assert!(!actual.contains("error"));
}

/// The one new behaviour of the patch (`set_optimized_huffman_tables_interleaved`): the same
/// quantised coefficients as the default-table encode, so exactly the same decoded pixels, in
/// one interleaved scan (one SOS marker), and never larger.
#[test]
fn interleaved_optimised_tables_decode_to_the_same_pixels() {
    let encode = |image: &Rgb, data: &[u8], color, sampling, restart, optimise| {
        let mut out = Vec::new();
        let mut encoder = Encoder::new(&mut out, 80);
        encoder.set_sampling_factor(sampling);
        encoder.set_optimized_huffman_tables_interleaved(optimise);
        if let Some(interval) = restart {
            encoder.set_restart_interval(interval);
        }
        encoder
            .encode(data, image.width, image.height, color)
            .unwrap();
        out
    };
    let decode = |bytes: &[u8]| jpeg_decoder::Decoder::new(bytes).decode().unwrap();
    let scans = |bytes: &[u8]| bytes.windows(2).filter(|w| w == &[0xFF, 0xDA]).count();
    let (mut plain_total, mut optimised_total) = (0, 0);
    for image in inputs() {
        let grey: Vec<u8> = image.pixels.chunks_exact(3).map(|p| p[1]).collect();
        for (data, color) in [(&image.pixels, ColorType::Rgb), (&grey, ColorType::Luma)] {
            for sampling in [
                SamplingFactor::F_1_1,
                SamplingFactor::F_2_1,
                SamplingFactor::F_2_2,
            ] {
                for restart in [None, Some(3)] {
                    let plain = encode(&image, data, color, sampling, restart, false);
                    let optimised = encode(&image, data, color, sampling, restart, true);
                    let what = format!("{} {color:?} {sampling:?} {restart:?}", image.name);
                    assert_eq!(decode(&plain), decode(&optimised), "{what}");
                    assert_eq!(scans(&optimised), 1, "{what}");
                    assert!(optimised.len() <= plain.len(), "{what}");
                    plain_total += plain.len();
                    optimised_total += optimised.len();
                }
            }
        }
    }
    // Photos among the inputs: the tables earn their keep.
    assert!(
        optimised_total * 100 < plain_total * 97,
        "{optimised_total} bytes optimised, {plain_total} with the standard tables"
    );
}

//! Hostile input through the real component: truncations and byte flips of every fixture,
//! corrupt PngSuite files, empty and one-byte inputs, headers declaring huge sizes for every
//! format, extreme aspect ratios and many-frame animations. Every case must end in an image or a
//! typed error, never a trap, and the same instance must then answer a valid call correctly.

use std::collections::BTreeMap;

use image::{DynamicImage, ImageFormat, RgbImage};
use imgpipe::wit::{Error, Options, OutputFormat};
use imgpipe::{Processor, error_kind};

use crate::*;

/// Outcomes by kind, printed at the end of each test (`cargo test -- --nocapture`).
#[derive(Default)]
struct Tally(BTreeMap<String, usize>);

impl Tally {
    /// Runs one case; a trap fails the test with the case's name.
    fn run(&mut self, p: &mut Processor<'_>, case: &str, input: &[u8], options: &Options) {
        let before = p.instances_created();
        let outcome = match p.process(input, options, Some(OutputFormat::Png)) {
            Ok(Ok(out)) => {
                assert!(out.width > 0 && out.height > 0, "{case}: empty image");
                "image".to_string()
            }
            Ok(Err(e)) => format!("{:?}", error_kind(&e)),
            Err(trap) => panic!("{case}: trapped: {trap:#}"),
        };
        assert_eq!(
            p.instances_created(),
            before.max(1),
            "{case}: instance replaced"
        );
        *self.0.entry(outcome).or_default() += 1;
    }

    fn report(&self, name: &str) -> usize {
        let total = self.0.values().sum();
        eprintln!("{name}: {total} cases: {:?}", self.0);
        total
    }
}

fn small_fixtures() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["sharp", "pngsuite", "formats"] {
        for entry in std::fs::read_dir(fixtures().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            if bytes.len() < 300_000 {
                out.push((
                    format!("{dir}/{}", path.file_name().unwrap().to_string_lossy()),
                    bytes,
                ));
            }
        }
    }
    out.sort();
    out
}

/// A 64x64 box and a 4 MP input limit: what a thumbnail service would set, and enough to keep
/// a flipped size field from asking for gigabytes.
fn bounded() -> Options {
    Options {
        max_input_pixels: Some(4_000_000),
        ..size(64, 64)
    }
}

/// After refusals of huge inputs: linear memory never grew past 64 MiB, and the same instance
/// still serves.
fn refused_small_and_still_serves(p: &mut Processor<'_>) {
    let stats = p.stats().unwrap();
    assert!(
        stats.peak_memory_bytes < 64 << 20,
        "peak {} bytes",
        stats.peak_memory_bytes
    );
    still_serves(p);
}

fn still_serves(p: &mut Processor<'_>) {
    let out = p
        .process(
            &fixture("sharp/320x240.jpg"),
            &size(100, 100),
            Some(OutputFormat::Png),
        )
        .unwrap()
        .unwrap();
    assert_eq!((out.width, out.height), (100, 75));
    assert_eq!(p.instances_created(), 1);
}

#[test]
fn truncated_fixtures() {
    let mut p = processor();
    let mut tally = Tally::default();
    for (name, bytes) in small_fixtures() {
        let len = bytes.len();
        let mut cuts: Vec<usize> = (0..24.min(len)).collect();
        cuts.extend((1..12).map(|i| len * i / 12));
        for cut in cuts {
            tally.run(
                &mut p,
                &format!("{name} cut at {cut}"),
                &bytes[..cut],
                &bounded(),
            );
        }
    }
    assert!(tally.report("truncations") > 3000);
    still_serves(&mut p);
}

#[test]
fn byte_flips() {
    let mut p = processor();
    let mut tally = Tally::default();
    let mut state: u64 = 0x0DDB_1A5E_5BAD_5EED;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for (name, bytes) in small_fixtures() {
        for round in 0..6 {
            let mut input = bytes.clone();
            for _ in 0..1 + round % 3 {
                let span = if round % 2 == 0 {
                    input.len().min(256)
                } else {
                    input.len()
                };
                let at = next() as usize % span;
                input[at] ^= 1 << (next() % 8);
            }
            tally.run(
                &mut p,
                &format!("{name} flip round {round}"),
                &input,
                &bounded(),
            );
        }
    }
    assert!(tally.report("byte flips") > 1000);
    still_serves(&mut p);
}

/// Bit flips and cut lengths inside embedded ICC profiles (JPEG APP2, PNG iCCP), converted
/// to sRGB and to P3: a broken profile is ignored or refused, never a trap.
#[test]
fn damaged_colour_profiles() {
    let mut p = processor();
    let mut tally = Tally::default();
    let mut state: u64 = 0x1CC_C010_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for (name, marker) in [
        ("colour/display-p3.jpg", &b"ICC_PROFILE\0"[..]),
        ("colour/adobe-rgb.jpg", b"ICC_PROFILE\0"),
        ("colour/cmyk.jpg", b"ICC_PROFILE\0"),
        ("colour/display-p3-16bit.png", b"iCCP"),
    ] {
        let bytes = fixture(name);
        let start = bytes
            .windows(marker.len())
            .position(|w| w == marker)
            .unwrap()
            + marker.len();
        // The profile's header and tag table, where sizes and offsets live.
        let span = 2048.min(bytes.len() - start);
        for round in 0..60 {
            let mut input = bytes.clone();
            for _ in 0..1 + round % 4 {
                let at = start + next() as usize % span;
                input[at] ^= 1 << (next() % 8);
            }
            // PNG drops an ancillary chunk whose CRC fails: make the damage reach the profile.
            if marker == b"iCCP" {
                fix_chunk_crc(&mut input, start - 4);
            }
            let color_profile = Some(if round % 2 == 0 {
                imgpipe::wit::ColorProfile::Srgb
            } else {
                imgpipe::wit::ColorProfile::P3
            });
            let options = Options {
                color_profile,
                ..bounded()
            };
            tally.run(
                &mut p,
                &format!("{name} profile flip {round}"),
                &input,
                &options,
            );
        }
    }
    assert!(tally.report("damaged colour profiles") == 240);
    still_serves(&mut p);
}

/// Rewrites the CRC of the PNG chunk whose type starts at `at` (its length is the 4 bytes before).
fn fix_chunk_crc(png: &mut [u8], at: usize) {
    let length = u32::from_be_bytes(png[at - 4..at].try_into().unwrap()) as usize;
    let crc = crc32(&png[at..at + 4 + length]);
    png[at + 4 + length..at + 8 + length].copy_from_slice(&crc.to_be_bytes());
}

/// CRC-32 (IEEE), as PNG computes it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn tiny_inputs() {
    let mut p = processor();
    let mut tally = Tally::default();
    let magics: [&[u8]; 8] = [
        b"",
        b"\0",
        b"\xFF",
        b"\xFF\xD8\xFF",
        b"\x89PNG\r\n\x1a\n",
        b"GIF89a",
        b"RIFF\0\0\0\0WEBP",
        b"II*\0",
    ];
    for magic in magics {
        tally.run(&mut p, &format!("{magic:?}"), magic, &Options::default());
    }
    tally.report("tiny inputs");
    still_serves(&mut p);
}

/// A PNG header declaring 100000 x 100000 pixels (10 GP), and nothing else.
pub fn huge_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(100_000u32.to_be_bytes());
    png.extend(100_000u32.to_be_bytes());
    png.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    png
}

/// A HEIF file whose every `ispe` (the declared size, of the image and of its grid tiles) says
/// 100000 x 100000.
fn huge_ispe(fixture_name: &str) -> Vec<u8> {
    let mut bytes = fixture(fixture_name);
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(4).position(|w| w == b"ispe") {
        // The box type, then version and flags (4 bytes), then width and height.
        let fields = at + found + 8;
        bytes[fields..fields + 4].copy_from_slice(&100_000u32.to_be_bytes());
        bytes[fields + 4..fields + 8].copy_from_slice(&100_000u32.to_be_bytes());
        at = fields + 8;
    }
    assert!(at > 0, "{fixture_name} has no ispe");
    bytes
}

/// Minimal headers that declare a huge canvas, one per format.
fn huge_headers() -> Vec<(&'static str, Vec<u8>)> {
    let png = huge_png();
    let mut gif = b"GIF89a".to_vec();
    gif.extend([0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0]);
    gif.extend(b",\0\0\0\0\xFF\xFF\xFF\xFF\0\x02\x02D\x01\0;");
    let mut bmp = b"BM".to_vec();
    bmp.extend([0u8; 12]);
    bmp.extend(40u32.to_le_bytes());
    bmp.extend(100_000i32.to_le_bytes());
    bmp.extend(100_000i32.to_le_bytes());
    bmp.extend([1, 0, 24, 0]);
    bmp.extend([0u8; 24]);
    let mut webp = b"RIFF\x1a\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
    webp.extend([0xFF, 0x3F, 0, 0xFF, 0x3F, 0]); // 16384 x 16384
    let mut jpeg = b"\xFF\xD8\xFF\xC0\0\x11\x08".to_vec();
    jpeg.extend([
        0xFF, 0xFF, 0xFF, 0xFF, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
    ]);
    jpeg.extend(b"\xFF\xD9");
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend(4u16.to_le_bytes());
    for (tag, value) in [(256u16, 100_000u32), (257, 100_000), (258, 8), (262, 2)] {
        tiff.extend(tag.to_le_bytes());
        tiff.extend(4u16.to_le_bytes());
        tiff.extend(1u32.to_le_bytes());
        tiff.extend(value.to_le_bytes());
    }
    tiff.extend(0u32.to_le_bytes());
    vec![
        ("AVIF", huge_ispe("formats/photo.avif")),
        ("HEIC", huge_ispe("formats/photo.heic")),
        ("PNG", png),
        ("GIF", gif),
        ("BMP", bmp),
        ("WebP", webp),
        ("JPEG", jpeg),
        ("TIFF", tiff),
    ]
}

#[test]
fn huge_declared_dimensions_are_refused_without_allocating() {
    let mut p = processor();
    for (format, header) in huge_headers() {
        match p.process(&header, &Options::default(), None).unwrap() {
            Err(Error::TooLarge(t)) => assert!(t.found > t.limit, "{format}: {t:?}"),
            // Formats whose size field sits behind other structure may stop earlier.
            Err(Error::DecodeFailed(m)) | Err(Error::UnsupportedFormat(m)) => {
                eprintln!("{format}: {m}")
            }
            other => panic!("{format}: expected an error, got {other:?}"),
        }
    }
    refused_small_and_still_serves(&mut p);
}

#[test]
fn extreme_aspect_ratio_and_many_frames() {
    let mut p = processor();
    let tall = encode_native(
        &DynamicImage::ImageRgb8(RgbImage::new(1, 100_000)),
        ImageFormat::Png,
    );
    let out = p
        .process(&tall, &size(100, 100), Some(OutputFormat::Png))
        .unwrap()
        .unwrap();
    assert_eq!((out.width, out.height), (1, 100));
    // Unresized, 100000 rows are too many for JPEG: the request's error, not a trap.
    match p.process(&tall, &Options::default(), None).unwrap() {
        Err(Error::TooLarge(t)) => assert_eq!((t.found, t.limit), (100_000, 65_535), "{t:?}"),
        other => panic!("{other:?}"),
    }

    // A GIF with 300 frames: only the first is decoded.
    let mut gif = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut gif);
        let frames = (0..300u32).map(|i| {
            let pixel = image::Rgba([(i % 256) as u8, 0, 0, 255]);
            image::Frame::new(image::RgbaImage::from_pixel(64, 64, pixel))
        });
        encoder.encode_frames(frames).unwrap();
    }
    let out = p
        .process(&gif, &Options::default(), Some(OutputFormat::Png))
        .unwrap()
        .unwrap();
    let first = image::load_from_memory(&out.image).unwrap().into_rgb8();
    assert_eq!(first.get_pixel(10, 10).0, [0, 0, 0]);
    still_serves(&mut p);
}

/// The size a HEIF file declares is refused before any picture is decoded, and named; JPEG XL's
/// header is read before its frames.
#[test]
fn avif_heic_and_jpeg_xl_sizes_are_checked_before_decoding() {
    let mut p = processor();
    for name in ["formats/photo.avif", "formats/photo.heic"] {
        match p
            .process(&huge_ispe(name), &Options::default(), None)
            .unwrap()
        {
            Err(Error::TooLarge(t)) => {
                assert_eq!((t.width, t.height), (100_000, 100_000), "{name}: {t:?}")
            }
            other => panic!("{name}: expected too-large, got {other:?}"),
        }
    }
    let small_limit = Options {
        max_input_pixels: Some(10_000),
        ..Options::default()
    };
    for name in [
        "formats/photo.avif",
        "formats/photo.heic",
        "formats/photo.jxl",
    ] {
        match p.process(&fixture(name), &small_limit, None).unwrap() {
            Err(Error::TooLarge(t)) => {
                assert_eq!((t.width, t.height, t.limit), (320, 240, 10_000), "{name}")
            }
            other => panic!("{name}: expected too-large, got {other:?}"),
        }
    }
    refused_small_and_still_serves(&mut p);
}

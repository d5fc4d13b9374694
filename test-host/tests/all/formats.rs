//! Every input format decodes; every output format re-decodes to the planned size and looks like
//! the input.

use image::ImageFormat;
use imgpipe::wit::{InputFormat, Options, OutputFormat};

use crate::*;

/// A progressive JPEG, made natively from a fixture (the fixtures hold only baseline ones).
fn progressive_jpeg() -> Vec<u8> {
    let image = image::load_from_memory(&fixture("sharp/320x240.jpg"))
        .unwrap()
        .into_rgb8();
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder.set_progressive(true);
    encoder
        .encode(image.as_raw(), 320, 240, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// Name, bytes, expected format, expected size ((0, 0): whatever the native decoder says).
type Input = (&'static str, Vec<u8>, InputFormat, (u32, u32));

fn inputs() -> Vec<Input> {
    let photo = image::load_from_memory(&fixture("sharp/320x240.jpg")).unwrap();
    vec![
        (
            "baseline JPEG",
            fixture("sharp/320x240.jpg"),
            InputFormat::Jpeg,
            (320, 240),
        ),
        (
            "progressive JPEG",
            progressive_jpeg(),
            InputFormat::Jpeg,
            (320, 240),
        ),
        (
            "CMYK JPEG",
            fixture("sharp/Channel_digital_image_CMYK_color.jpg"),
            InputFormat::Jpeg,
            (0, 0),
        ),
        (
            "PNG",
            fixture("pngsuite/basn2c08.png"),
            InputFormat::Png,
            (32, 32),
        ),
        (
            "interlaced PNG",
            fixture("pngsuite/basi6a16.png"),
            InputFormat::Png,
            (32, 32),
        ),
        (
            "lossy WebP",
            fixture("sharp/4.webp"),
            InputFormat::Webp,
            (0, 0),
        ),
        (
            "WebP with alpha",
            fixture("sharp/5_webp_a.webp"),
            InputFormat::Webp,
            (0, 0),
        ),
        (
            "animated WebP",
            fixture("sharp/animated-loop-3.webp"),
            InputFormat::Webp,
            (0, 0),
        ),
        (
            "animated GIF",
            fixture("sharp/animated-loop-3.gif"),
            InputFormat::Gif,
            (0, 0),
        ),
        (
            "BMP",
            encode_native(&photo, ImageFormat::Bmp),
            InputFormat::Bmp,
            (320, 240),
        ),
        (
            "TIFF",
            encode_native(&photo, ImageFormat::Tiff),
            InputFormat::Tiff,
            (320, 240),
        ),
        (
            "lossless WebP",
            encode_native(&photo, ImageFormat::WebP),
            InputFormat::Webp,
            (320, 240),
        ),
    ]
}

#[test]
fn every_input_format_decodes_and_matches_a_native_decode() {
    let mut p = processor();
    for (name, bytes, format, known_size) in inputs() {
        let info = p
            .inspect(&bytes)
            .unwrap()
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(info.format, format, "{name}");
        let native = image::load_from_memory(&bytes).unwrap();
        assert_eq!(
            (info.width, info.height),
            (native.width(), native.height()),
            "{name}"
        );
        if known_size != (0, 0) {
            assert_eq!((info.width, info.height), known_size, "{name}");
        }
        // Lossless PNG at the stored size, default options: pixels must match a native decode
        // (first frame). These inputs are sRGB, so colour management leaves them as stored; a
        // CMYK JPEG goes through its profile, which native decoders ignore (see `colour`).
        if name == "CMYK JPEG" {
            continue;
        }
        let out = p
            .process(&bytes, &Options::default(), Some(OutputFormat::Png))
            .unwrap()
            .unwrap_or_else(|e| panic!("{name}: {}", imgpipe::describe(&e)));
        assert_eq!((out.width, out.height), (info.width, info.height), "{name}");
        let expected = flatten_white(native);
        // JPEG decoders differ in IDCT and upsampling rounding; the rest are lossless paths.
        let min = if format == InputFormat::Jpeg {
            30.0
        } else {
            45.0
        };
        assert_psnr(
            &format!("decode-{name}"),
            &decode(&out.image),
            &expected,
            min,
        );
    }
}

/// A file, another decoder's reading of it, its format, its size, whether it has alpha.
type DecodedElsewhere = (&'static str, &'static str, InputFormat, (u32, u32), bool);

/// AVIF, HEIC and JPEG XL files made by their reference encoders (`images/formats/make`), with
/// the reference decoder's output: dav1d (through avifdec), libheif, libjxl.
const DECODED_ELSEWHERE: [DecodedElsewhere; 6] = [
    (
        "photo.avif",
        "photo-by-dav1d.png",
        InputFormat::Avif,
        (320, 240),
        false,
    ),
    (
        "photo-grid.avif",
        "photo-grid-by-dav1d.png",
        InputFormat::Avif,
        (320, 240),
        false,
    ),
    (
        "logo-10bit-alpha.avif",
        "logo-10bit-alpha-by-dav1d.png",
        InputFormat::Avif,
        (64, 40),
        true,
    ),
    (
        "photo.heic",
        "photo-heic-by-libheif.png",
        InputFormat::Heic,
        (320, 240),
        false,
    ),
    (
        "photo.jxl",
        "photo-jxl-by-libjxl.png",
        InputFormat::Jxl,
        (320, 240),
        false,
    ),
    (
        "logo-lossless.jxl",
        "logo-lossless-by-libjxl.png",
        InputFormat::Jxl,
        (64, 40),
        true,
    ),
];

/// Within 40 dB of the reference decode. The reference with its range squeezed, as reading
/// full-range samples as limited-range does, falls well under that: the HEIC photo decoded
/// without its stream's range flag measured 33.5 dB.
#[test]
fn avif_heic_and_jpeg_xl_match_their_reference_decoders() {
    let mut p = processor();
    for (file, reference, format, size, alpha) in DECODED_ELSEWHERE {
        let bytes = fixture(&format!("formats/{file}"));
        let info = p
            .inspect(&bytes)
            .unwrap()
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        assert_eq!(info.format, format, "{file}");
        assert_eq!((info.width, info.height), size, "{file}");
        assert_eq!(info.has_alpha, alpha, "{file}");
        let out = p
            .process(&bytes, &Options::default(), Some(OutputFormat::Png))
            .unwrap()
            .unwrap_or_else(|e| panic!("{file}: {}", imgpipe::describe(&e)));
        let expected =
            flatten_white(image::open(fixture_path(&format!("formats/{reference}"))).unwrap());
        assert_psnr(
            &format!("decode-{file}"),
            &decode(&out.image),
            &expected,
            40.0,
        );
    }
    let expected =
        flatten_white(image::open(fixture_path("formats/photo-heic-by-libheif.png")).unwrap());
    let mut squeezed = expected.clone();
    for v in squeezed.iter_mut() {
        *v = (16.0 + f64::from(*v) * 219.0 / 255.0).round() as u8;
    }
    assert!(psnr(&squeezed, &expected) < 35.0);
}

#[test]
fn every_output_format_re_decodes_and_looks_like_the_input() {
    let input = fixture("sharp/320x240.jpg");
    let expected = reference(&input, 160, 120);
    // A full-size decode, so that both sides resample the same pixels with Lanczos3 and the
    // difference is the codec's (shrink-on-load is tested on its own in `resize`).
    let options = Options {
        fast_shrink_on_load: Some(false),
        ..size(160, 160)
    };
    for (format, mime, min_psnr) in [
        (OutputFormat::Jpeg, "image/jpeg", 28.0),
        (OutputFormat::Png, "image/png", 35.0),
        (OutputFormat::Webp, "image/webp", 28.0),
        (OutputFormat::WebpLossless, "image/webp", 35.0),
        (OutputFormat::Avif, "image/avif", 28.0),
        // 256 colours a frame, from NeuQuant.
        (OutputFormat::Gif, "image/gif", 25.0),
    ] {
        let out = process_ok(&input, &options, format);
        assert_eq!((out.width, out.height), (160, 120), "{format:?}");
        assert_eq!(out.format, format);
        assert_eq!(out.mime_type, mime);
        let decoded = decode(&out.image);
        assert_eq!(decoded.dimensions(), (160, 120), "{format:?}");
        assert_psnr(&format!("output-{format:?}"), &decoded, &expected, min_psnr);
    }
}

#[test]
fn lossless_outputs_are_exact() {
    let input = fixture("pngsuite/basn6a08.png");
    let png = process_ok(&input, &Options::default(), OutputFormat::Png);
    let webp = process_ok(&input, &Options::default(), OutputFormat::WebpLossless);
    let original = image::load_from_memory(&input).unwrap().into_rgba8();
    for out in [png, webp] {
        let decoded = image::load_from_memory(&out.image).unwrap().into_rgba8();
        assert_eq!(decoded, original, "{:?}", out.format);
    }
}

#[test]
fn process_is_jpeg_and_drops_metadata() {
    let input = fixture("sharp/Landscape_6.jpg");
    let out = processor()
        .process(&input, &size(100, 100), None)
        .unwrap()
        .unwrap();
    assert_eq!(out.format, OutputFormat::Jpeg);
    assert!(out.image.starts_with(&[0xFF, 0xD8, 0xFF]));
    // No APP1 (EXIF/XMP) or APP2 (ICC) segment in the output.
    assert!(
        !out.image
            .windows(2)
            .any(|w| w == [0xFF, 0xE1] || w == [0xFF, 0xE2])
    );
}

/// A JPEG's frame header: its marker (0xC0 baseline, 0xC2 progressive) and each component's
/// sampling factors (0x22: half resolution both ways, 0x11: full).
fn frame(jpeg: &[u8]) -> (u8, Vec<u8>) {
    let mut at = 2;
    loop {
        assert_eq!(jpeg[at], 0xFF, "a marker at {at}");
        let marker = jpeg[at + 1];
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        if matches!(marker, 0xC0..=0xC2) {
            let components = usize::from(jpeg[at + 9]);
            let sampling = (0..components).map(|c| jpeg[at + 11 + 3 * c]).collect();
            return (marker, sampling);
        }
        at += 2 + length;
    }
}

#[test]
fn progressive_and_chroma_subsampling() {
    let input = fixture("colour/srgb.png");
    let jpeg = |progressive, chroma_subsampling| {
        let options = Options {
            progressive,
            chroma_subsampling,
            quality: Some(90),
            ..Options::default()
        };
        process_ok(&input, &options, OutputFormat::Jpeg).image
    };
    let baseline = jpeg(None, None);
    assert_eq!(frame(&baseline), (0xC0, vec![0x22, 0x11, 0x11]));

    // The same pixels, coded in several scans.
    let progressive = jpeg(Some(true), None);
    assert_eq!(frame(&progressive), (0xC2, vec![0x22, 0x11, 0x11]));
    assert_psnr(
        "progressive",
        &decode(&progressive),
        &decode(&baseline),
        40.0,
    );

    // Full colour resolution: closer to the original's saturated hues, and larger.
    let full = jpeg(None, Some(imgpipe::wit::ChromaSubsampling::Yuv444));
    assert_eq!(frame(&full), (0xC0, vec![0x11, 0x11, 0x11]));
    assert!(full.len() > baseline.len());
    let original = decode(&process_ok(&input, &Options::default(), OutputFormat::Png).image);
    assert_psnr("yuv444", &decode(&full), &original, 30.0);
}

//! Bad input gets a typed error with its context, and the same instance answers the next call.

use imgpipe::wit::{Error, Fit, Options, OutputFormat};

use crate::*;

#[test]
fn empty_input() {
    match process_err(&[], &Options::default(), OutputFormat::Jpeg) {
        Error::EmptyInput(m) => assert!(m.contains("empty")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_and_unsupported_formats() {
    match process_err(
        b"GIF-ish but not really",
        &Options::default(),
        OutputFormat::Jpeg,
    ) {
        Error::UnsupportedFormat(m) => assert!(m.contains("unknown image format"), "{m}"),
        other => panic!("{other:?}"),
    }
    let avif = b"\0\0\0\x1cftypavif\0\0\0\0mif1miafMA1B";
    match process_err(avif, &Options::default(), OutputFormat::Jpeg) {
        Error::UnsupportedFormat(m) => assert!(m.contains("AVIF"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn corrupt_jpeg_names_the_format() {
    match process_err(
        &fixture("sharp/corrupt-header.jpg"),
        &Options::default(),
        OutputFormat::Jpeg,
    ) {
        Error::DecodeFailed(m) => assert!(m.starts_with("decode JPEG: "), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn truncated_inputs() {
    let mut p = processor();
    for name in [
        "sharp/320x240.jpg",
        "pngsuite/basn2c08.png",
        "sharp/4.webp",
        "sharp/animated-loop-3.gif",
    ] {
        let bytes = fixture(name);
        for cut in [1, 10, 50, bytes.len() / 2] {
            // A typed error or, where the decoder pads a cut-off scan, a valid image: never a trap.
            match p.process(&bytes[..cut], &Options::default(), None).unwrap() {
                Ok(out) => assert!(out.width > 0),
                Err(e) => assert!(!imgpipe::describe(&e).is_empty()),
            }
        }
    }
    assert_eq!(p.instances_created(), 1);
    assert!(
        p.process(&fixture("sharp/320x240.jpg"), &Options::default(), None)
            .unwrap()
            .is_ok()
    );
}

#[test]
fn invalid_options_name_the_option() {
    let input = fixture("sharp/320x240.jpg");
    let cases = [
        (
            Options {
                quality: Some(0),
                ..Options::default()
            },
            "quality",
        ),
        (
            Options {
                quality: Some(101),
                ..Options::default()
            },
            "quality",
        ),
        (
            Options {
                max_width: Some(0),
                ..Options::default()
            },
            "max-width",
        ),
        (
            Options {
                max_height: Some(100_000),
                ..Options::default()
            },
            "max-height",
        ),
        (
            Options {
                fit: Some(Fit::Cover),
                max_width: Some(10),
                ..Options::default()
            },
            "fit",
        ),
        (
            Options {
                max_input_pixels: Some(0),
                ..Options::default()
            },
            "max-input-pixels",
        ),
        (
            Options {
                max_input_bytes: Some(0),
                ..Options::default()
            },
            "max-input-bytes",
        ),
    ];
    for (options, name) in cases {
        match process_err(&input, &options, OutputFormat::Jpeg) {
            Error::InvalidOption(o) => {
                assert_eq!(o.name, name);
                assert!(!o.message.is_empty());
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn output_too_large_for_the_format_is_an_encode_error() {
    // 20000x1 fits JPEG but not WebP (16383 at most).
    let image = image::RgbImage::new(20_000, 1);
    let input = encode_native(
        &image::DynamicImage::ImageRgb8(image),
        image::ImageFormat::Png,
    );
    match process_err(&input, &Options::default(), OutputFormat::Webp) {
        Error::EncodeFailed(m) => assert!(m.contains("16383"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        process_ok(&input, &Options::default(), OutputFormat::Jpeg).width,
        20_000
    );
}

//! Bad input gets a typed error with its context, and the same instance answers the next call.

use imgpipe::names::ErrorKind;
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
    // Other ISO media (an MP4 video) is named by its brand.
    let mp4 = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2";
    match process_err(mp4, &Options::default(), OutputFormat::Jpeg) {
        Error::UnsupportedFormat(m) => assert!(m.contains("`isom`"), "{m}"),
        other => panic!("{other:?}"),
    }
    // An AVIF header with nothing after it is AVIF that fails to decode, and says so.
    let avif = b"\0\0\0\x1cftypavif\0\0\0\0mif1miafMA1B";
    match process_err(avif, &Options::default(), OutputFormat::Jpeg) {
        Error::DecodeFailed(m) => assert!(m.starts_with("decode AVIF: "), "{m}"),
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
        let whole = p
            .process(&bytes, &Options::default(), None)
            .unwrap()
            .unwrap();
        for cut in [1, 10, 50, bytes.len() / 2] {
            // A typed error or, where the decoder pads a cut-off scan, the whole image's size:
            // never a trap, never another kind of error.
            match p.process(&bytes[..cut], &Options::default(), None).unwrap() {
                Ok(out) => assert_eq!(
                    (out.width, out.height),
                    (whole.width, whole.height),
                    "{name} cut at {cut}"
                ),
                Err(e) => assert!(
                    matches!(
                        imgpipe::error_kind(&e),
                        ErrorKind::DecodeFailed | ErrorKind::UnsupportedFormat
                    ),
                    "{name} cut at {cut}: {}",
                    imgpipe::describe(&e)
                ),
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
            // The message is whole: it names the option by its WIT name, as every host shows it.
            Error::InvalidOption(o) => {
                assert_eq!(o.name, name);
                assert!(
                    o.message.starts_with(&format!("invalid option {name}")),
                    "{}",
                    o.message
                );
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn output_too_large_for_the_format_is_the_caller_s_error() {
    // 20000x1 fits JPEG but not WebP (16383 at most): the request's fault, found before
    // decoding, and a box that fits is the way out.
    let image = image::RgbImage::new(20_000, 1);
    let input = encode_native(
        &image::DynamicImage::ImageRgb8(image),
        image::ImageFormat::Png,
    );
    for format in [OutputFormat::Webp, OutputFormat::WebpLossless] {
        match process_err(&input, &Options::default(), format) {
            Error::TooLarge(t) => {
                assert_eq!(t.limit_kind, imgpipe::wit::LimitKind::Dimensions);
                assert_eq!((t.found, t.limit), (20_000, 16_383));
                assert_eq!((t.width, t.height), (20_000, 1));
                assert!(t.message.contains("16383"), "{}", t.message);
            }
            other => panic!("{other:?}"),
        }
    }
    let fitted = Options {
        max_width: Some(16_383),
        ..Options::default()
    };
    assert_eq!(
        process_ok(&input, &fitted, OutputFormat::Webp).width,
        16_383
    );
    assert_eq!(
        process_ok(&input, &Options::default(), OutputFormat::Jpeg).width,
        20_000
    );
}

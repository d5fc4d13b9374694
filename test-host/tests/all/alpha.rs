//! Colour handling: alpha flattened for JPEG, CMYK to sRGB, 16-bit inputs.

use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};
use imgpipe::wit::{Color, Options, OutputFormat};

use crate::*;

#[test]
fn alpha_flattened_onto_the_background_for_jpeg() {
    let image = RgbaImage::from_fn(32, 32, |x, _| {
        if x < 16 {
            Rgba([0, 0, 0, 0])
        } else {
            Rgba([0, 0, 255, 255])
        }
    });
    let input = encode_native(&DynamicImage::ImageRgba8(image), ImageFormat::Png);
    let options = Options {
        background: Some(Color {
            r: 0,
            g: 200,
            b: 0,
            a: 255,
        }),
        quality: Some(100),
        ..Options::default()
    };
    let out = process_ok(&input, &options, OutputFormat::Jpeg);
    let decoded = image::load_from_memory(&out.image).unwrap().into_rgb8();
    let near = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 12);
    assert!(
        near(decoded.get_pixel(4, 16).0, [0, 200, 0]),
        "{:?}",
        decoded.get_pixel(4, 16)
    );
    assert!(
        near(decoded.get_pixel(28, 16).0, [0, 0, 255]),
        "{:?}",
        decoded.get_pixel(28, 16)
    );
    // Default background is white.
    let out = process_ok(&input, &Options::default(), OutputFormat::Jpeg);
    let decoded = image::load_from_memory(&out.image).unwrap().into_rgb8();
    assert!(near(decoded.get_pixel(4, 16).0, [255, 255, 255]));
}

#[test]
fn alpha_kept_for_formats_that_store_it() {
    let input = fixture("sharp/5_webp_a.webp");
    for format in [
        OutputFormat::Png,
        OutputFormat::Webp,
        OutputFormat::WebpLossless,
    ] {
        let out = process_ok(&input, &size(100, 100), format);
        let decoded = image::load_from_memory(&out.image).unwrap();
        assert!(decoded.color().has_alpha(), "{format:?}");
        assert!(
            decoded.into_rgba8().pixels().any(|p| p[3] < 255),
            "{format:?} lost transparency"
        );
    }
}

#[test]
fn sixteen_bit_png() {
    for name in [
        "operations/grey-16bit-alpha.png",
        "pngsuite/basn2c16.png",
        "pngsuite/basn0g16.png",
    ] {
        let input = fixture(name);
        let info = processor().inspect(&input).unwrap().unwrap();
        assert_eq!(info.bits_per_channel, 16, "{name}");
        let out = process_ok(&input, &Options::default(), OutputFormat::Png);
        let native = image::load_from_memory(&input).unwrap();
        assert_psnr(
            &format!("16bit-{name}"),
            &decode(&out.image),
            &flatten_white(native),
            45.0,
        );
    }
}

//! Colour management against references made another way (libvips, `images/colour/make`): a
//! picture stored in Adobe RGB, Display P3 (8 and 16 bits) and CMYK comes out as the sRGB
//! original does, within a mean CIE76 delta-E of 1.5; the same picture without the conversion
//! would be far off, so the check can fail; `keep` and `p3` carry the profile they promise.

use image::{ImageDecoder, ImageReader, RgbImage};
use imgpipe::wit::{ColorProfile, Error, Options, OutputFormat};

use crate::*;

/// The largest mean delta-E allowed against the reference.
const MEAN_DELTA_E: f64 = 1.5;

/// Display P3, as the component embeds it.
const DISPLAY_P3: &[u8] = include_bytes!("../../../component/icc/DisplayP3.icm");

fn small(color_profile: Option<ColorProfile>) -> Options {
    Options {
        max_width: Some(128),
        color_profile,
        ..Options::default()
    }
}

/// `name` through the component at 128 pixels wide, as PNG, decoded.
fn through(name: &str, options: &Options) -> RgbImage {
    decode(&process_ok(&fixture(name), options, OutputFormat::Png).image)
}

/// CIE L*a*b* (D65) of an 8-bit sRGB pixel.
fn lab([r, g, b]: [u8; 3]) -> [f64; 3] {
    let linear = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (linear(r), linear(g), linear(b));
    let x = (0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b) / 0.950_47;
    let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175 * b;
    let z = (0.019_333_9 * r + 0.119_192 * g + 0.950_304_1 * b) / 1.088_83;
    let f = |t: f64| {
        if t > 216.0 / 24_389.0 {
            t.cbrt()
        } else {
            (24_389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// Mean CIE76 delta-E between two images of the same size.
fn mean_delta_e(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let total: f64 = a
        .pixels()
        .zip(b.pixels())
        .map(|(p, q)| {
            let (p, q) = (lab(p.0), lab(q.0));
            ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt()
        })
        .sum();
    total / f64::from(a.width() * a.height())
}

#[test]
fn wide_gamut_inputs_come_out_as_the_srgb_original() {
    let reference = through("colour/srgb.png", &small(None));
    for name in [
        "colour/adobe-rgb.jpg",
        "colour/display-p3.jpg",
        "colour/display-p3-16bit.png",
    ] {
        let converted = mean_delta_e(&through(name, &small(None)), &reference);
        eprintln!("{name}: mean delta-E {converted:.3}");
        assert!(converted <= MEAN_DELTA_E, "{name}: {converted:.3}");
        // The pixels as stored, unconverted: what this test exists to catch.
        let unconverted =
            mean_delta_e(&through(name, &small(Some(ColorProfile::Keep))), &reference);
        assert!(unconverted > 5.0, "{name} unconverted: {unconverted:.3}");
    }
}

#[test]
fn cmyk_comes_out_as_libvips_converts_it() {
    let reference = through("colour/cmyk-to-srgb-by-libvips.png", &small(None));
    let converted = mean_delta_e(&through("colour/cmyk.jpg", &small(None)), &reference);
    eprintln!("cmyk.jpg: mean delta-E {converted:.3} from libvips");
    assert!(converted <= MEAN_DELTA_E, "{converted:.3}");
    // The same ink without its profile gets the plain formula: visibly different.
    let plain = mean_delta_e(
        &through("colour/cmyk-no-profile.jpg", &small(None)),
        &reference,
    );
    assert!(plain > 3.0, "without the profile: {plain:.3}");
}

/// The ICC profile of an encoded image, as the `image` crate's decoders read it.
fn embedded_profile(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut decoder = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    decoder.icc_profile().unwrap()
}

#[test]
fn keep_and_p3_carry_their_profile() {
    let p3_input = fixture("colour/display-p3.jpg");
    let input_profile = embedded_profile(&p3_input).unwrap();
    for format in [
        OutputFormat::Jpeg,
        OutputFormat::Png,
        OutputFormat::Webp,
        OutputFormat::WebpLossless,
    ] {
        let kept = process_ok(&p3_input, &small(Some(ColorProfile::Keep)), format);
        assert_eq!(
            embedded_profile(&kept.image).as_deref(),
            Some(input_profile.as_slice()),
            "{format:?} keep"
        );
        // The image still decodes, at the size asked for.
        let decoded = image::load_from_memory(&kept.image).unwrap();
        assert_eq!(decoded.width(), 128, "{format:?}");

        let srgb_input = fixture("colour/srgb.png");
        let wide = process_ok(&srgb_input, &small(Some(ColorProfile::P3)), format);
        assert_eq!(
            embedded_profile(&wide.image).as_deref(),
            Some(DISPLAY_P3),
            "{format:?} p3"
        );
        let default = process_ok(&srgb_input, &small(None), format);
        assert_eq!(embedded_profile(&default.image), None, "{format:?} srgb");
    }
}

#[test]
fn lossy_webp_with_alpha_carries_the_profile_too() {
    // libwebp writes an extended (VP8X) file for alpha: the profile joins it there.
    let out = process_ok(
        &fixture("sharp/5_webp_a.webp"),
        &small(Some(ColorProfile::P3)),
        OutputFormat::Webp,
    );
    assert_eq!(embedded_profile(&out.image).as_deref(), Some(DISPLAY_P3));
    let decoded = image::load_from_memory(&out.image).unwrap();
    assert!(decoded.color().has_alpha());
    assert_eq!(decoded.width(), 128);
}

#[test]
fn the_background_is_converted_into_the_output_s_space() {
    // A 256x192 picture contained in a 128x128 box: the top rows are padding, sRGB red asked.
    let red = imgpipe::wit::Color {
        r: 255,
        g: 0,
        b: 0,
        a: 255,
    };
    let padded = |name: &str, color_profile| {
        let options = Options {
            max_width: Some(128),
            max_height: Some(128),
            fit: Some(imgpipe::wit::Fit::Contain),
            background: Some(red),
            color_profile,
            ..Options::default()
        };
        let out = decode(&process_ok(&fixture(name), &options, OutputFormat::Png).image);
        out.get_pixel(64, 0).0
    };
    assert_eq!(padded("colour/srgb.png", None), [255, 0, 0]);
    // sRGB red is inside P3 and Adobe RGB: less than full red there.
    for (name, mode) in [
        ("colour/srgb.png", ColorProfile::P3),
        ("colour/adobe-rgb.jpg", ColorProfile::Keep),
    ] {
        let [r, g, b] = padded(name, Some(mode));
        assert!(
            r < 245 && g < 80 && b < 60,
            "{name} {mode:?}: {:?}",
            [r, g, b]
        );
    }
}

#[test]
fn p3_output_holds_the_same_colours_in_p3_values() {
    // sRGB content in P3 values: a saturated sRGB red is a less saturated P3 red, and read
    // back through the P3 profile (by the component itself, from its own output) it is the
    // original colour again.
    let original = through("colour/srgb.png", &small(None));
    let p3 = process_ok(
        &fixture("colour/srgb.png"),
        &small(Some(ColorProfile::P3)),
        OutputFormat::Png,
    );
    let as_stored = decode(&p3.image);
    assert!(mean_delta_e(&as_stored, &original) > 3.0);
    let back = decode(&process_ok(&p3.image, &Options::default(), OutputFormat::Png).image);
    let round_trip = mean_delta_e(&back, &original);
    assert!(round_trip <= 1.0, "{round_trip:.3}");
}

#[test]
fn avif_refuses_a_profile_it_cannot_carry() {
    for (name, mode) in [
        ("colour/display-p3.jpg", ColorProfile::Keep),
        ("colour/srgb.png", ColorProfile::P3),
    ] {
        match processor()
            .process(&fixture(name), &small(Some(mode)), Some(OutputFormat::Avif))
            .unwrap()
        {
            Err(Error::InvalidOption(o)) => assert_eq!(o.name, "color-profile"),
            other => panic!("{name} {mode:?}: {other:?}"),
        }
    }
    // Converted to sRGB, the wide-gamut input makes an AVIF like any other.
    let out = process_ok(
        &fixture("colour/display-p3.jpg"),
        &small(None),
        OutputFormat::Avif,
    );
    assert_eq!(out.width, 128);
}

//! Colour management against references made another way (libvips, `images/colour/make`): a
//! picture stored in Adobe RGB, Display P3 (8 and 16 bits), CMYK with and without its profile,
//! linear grey, and a PNG whose cICP and iCCP chunks disagree, comes out as the sRGB original
//! (or libvips's conversion) does, within a mean CIE76 delta-E of 1.5; the same picture without
//! the conversion would be far off, so the check can fail; `keep` and `p3` carry the profile
//! they promise in JPEG, PNG, WebP and AVIF, read back by other decoders.

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
    // The same ink read through another profile (the standard one) lands elsewhere.
    let other = mean_delta_e(
        &through("colour/cmyk-no-profile.jpg", &small(None)),
        &reference,
    );
    assert!(other > 3.0, "through the standard profile: {other:.3}");
}

#[test]
fn cmyk_without_a_profile_comes_out_as_libvips_converts_it() {
    // libvips reads ink without a profile through its default CMYK profile, as the component
    // does (component/icc/cmyk.icc).
    let name = "colour/cmyk-no-profile.jpg";
    let reference_name = "colour/cmyk-no-profile-to-srgb-by-libvips.png";
    let standard = mean_delta_e(
        &through(name, &small(None)),
        &through(reference_name, &small(None)),
    );
    eprintln!("{name}: mean delta-E {standard:.3} from libvips");
    assert!(standard <= MEAN_DELTA_E, "{standard:.3}");
    // The plain formula (the `image` crate's reading of the same ink) is visibly off.
    let plain = image::load_from_memory(&fixture(name)).unwrap().to_rgb8();
    let plain = mean_delta_e(&plain, &decode(&fixture(reference_name)));
    assert!(plain > 3.0, "the plain formula: {plain:.3}");
}

#[test]
fn a_grey_profile_is_applied() {
    let name = "colour/grey-linear.jpg";
    let reference = through("colour/grey-to-srgb-by-libvips.png", &small(None));
    let converted = mean_delta_e(&through(name, &small(None)), &reference);
    eprintln!("{name}: mean delta-E {converted:.3} from libvips");
    assert!(converted <= MEAN_DELTA_E, "{converted:.3}");
    // `keep` converts too: no RGB output can carry a grey profile.
    let kept = mean_delta_e(&through(name, &small(Some(ColorProfile::Keep))), &reference);
    assert!(kept <= MEAN_DELTA_E, "keep: {kept:.3}");
    // The grey levels as stored, unconverted (the `image` crate's reading).
    let stored = image::load_from_memory(&fixture(name)).unwrap().to_rgb8();
    let unconverted = mean_delta_e(
        &stored,
        &decode(&fixture("colour/grey-to-srgb-by-libvips.png")),
    );
    assert!(unconverted > 5.0, "unconverted: {unconverted:.3}");
}

/// Display P3 values, labelled by a PNG cICP chunk (P3 primaries, sRGB transfer), with an
/// Adobe RGB iCCP chunk as well; with `cicp` false, the iCCP chunk alone.
fn p3_png(cicp: bool) -> Vec<u8> {
    let p3 = image::load_from_memory(&fixture("colour/display-p3.jpg"))
        .unwrap()
        .to_rgb8();
    let adobe = embedded_profile(&fixture("colour/adobe-rgb.jpg")).unwrap();
    let mut info = png::Info::with_size(p3.width(), p3.height());
    info.color_type = png::ColorType::Rgb;
    info.bit_depth = png::BitDepth::Eight;
    info.icc_profile = Some(adobe.into());
    let mut out = Vec::new();
    let mut writer = png::Encoder::with_info(&mut out, info)
        .unwrap()
        .write_header()
        .unwrap();
    if cicp {
        // Primaries 12 (P3), transfer 13 (sRGB), identity matrix, full range.
        writer
            .write_chunk(png::chunk::ChunkType(*b"cICP"), &[12, 13, 0, 1])
            .unwrap();
    }
    writer.write_image_data(p3.as_raw()).unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn png_cicp_comes_before_its_icc_profile() {
    // PNG's third edition: cICP, then iCCP, then sRGB, then cHRM and gAMA.
    let reference = through("colour/srgb.png", &small(None));
    let read = |bytes: &[u8]| decode(&process_ok(bytes, &small(None), OutputFormat::Png).image);
    let by_cicp = mean_delta_e(&read(&p3_png(true)), &reference);
    eprintln!("P3 PNG with cICP: mean delta-E {by_cicp:.3}");
    assert!(by_cicp <= MEAN_DELTA_E, "{by_cicp:.3}");
    let by_icc = mean_delta_e(&read(&p3_png(false)), &reference);
    assert!(by_icc > 3.0, "read by the iCCP chunk: {by_icc:.3}");
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

/// The ICC profile of an AVIF's primary item, as heic-rs's container parser reads it.
fn avif_profile(bytes: &[u8]) -> Option<Vec<u8>> {
    let meta = heic_rs::meta::parse(bytes).unwrap();
    let props = heic_rs::props::gather(&meta.props, meta.primary).unwrap();
    props.icc.map(<[u8]>::to_vec)
}

#[test]
fn avif_carries_the_profile_too() {
    let p3_input = fixture("colour/display-p3.jpg");
    let input_profile = embedded_profile(&p3_input).unwrap();
    let srgb_input = fixture("colour/srgb.png");
    let reference = through("colour/srgb.png", &small(None));
    for chroma in [None, Some(imgpipe::wit::ChromaSubsampling::Yuv420)] {
        let options = |color_profile| Options {
            chroma_subsampling: chroma,
            ..small(color_profile)
        };
        let kept = process_ok(
            &p3_input,
            &options(Some(ColorProfile::Keep)),
            OutputFormat::Avif,
        );
        assert_eq!(
            avif_profile(&kept.image).as_deref(),
            Some(input_profile.as_slice()),
            "{chroma:?} keep"
        );
        let wide = process_ok(
            &srgb_input,
            &options(Some(ColorProfile::P3)),
            OutputFormat::Avif,
        );
        assert_eq!(
            avif_profile(&wide.image).as_deref(),
            Some(DISPLAY_P3),
            "{chroma:?} p3"
        );
        // libavif reads the profile too, and `nclx` leaves primaries and transfer to it.
        let info = avif_info(&wide.image);
        let present = format!("Present ({} bytes)", DISPLAY_P3.len());
        assert_eq!(
            info.get("ICC Profile"),
            Some(&present),
            "{chroma:?} {info:?}"
        );
        assert_eq!(info.get("Color Primaries").map(String::as_str), Some("2"));
        assert_eq!(info.get("Transfer Char.").map(String::as_str), Some("2"));
        let meta = heic_rs::meta::parse(&wide.image).unwrap();
        let nclx = heic_rs::props::gather(&meta.props, meta.primary)
            .unwrap()
            .nclx
            .unwrap();
        assert_eq!((nclx.primaries, nclx.transfer), (2, 2), "{chroma:?}");
        // Read back (by the component, through the profile it wrote): the original colours.
        let back = decode(&process_ok(&wide.image, &small(None), OutputFormat::Png).image);
        let delta = mean_delta_e(&back, &reference);
        assert!(delta <= 2.5, "{chroma:?} p3 read back: {delta:.3}");
        let default = process_ok(&srgb_input, &options(None), OutputFormat::Avif);
        assert_eq!(avif_profile(&default.image), None, "{chroma:?} srgb");
        let info = avif_info(&default.image);
        assert_eq!(info.get("ICC Profile").map(String::as_str), Some("Absent"));
        assert_eq!(info.get("Color Primaries").map(String::as_str), Some("1"));
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
fn gif_refuses_a_profile_it_cannot_carry() {
    for (name, mode) in [
        ("colour/display-p3.jpg", ColorProfile::Keep),
        ("colour/srgb.png", ColorProfile::P3),
    ] {
        match processor()
            .process(&fixture(name), &small(Some(mode)), Some(OutputFormat::Gif))
            .unwrap()
        {
            Err(Error::InvalidOption(o)) => assert_eq!(o.name, "color-profile"),
            other => panic!("{name} {mode:?}: {other:?}"),
        }
    }
    // Converted to sRGB, the wide-gamut input makes a GIF like any other.
    let out = process_ok(
        &fixture("colour/display-p3.jpg"),
        &small(None),
        OutputFormat::Gif,
    );
    assert_eq!(out.width, 128);
}

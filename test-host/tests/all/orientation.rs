//! EXIF orientation: the eight Landscape and eight Portrait fixtures come out upright and equal.

use imgpipe::wit::{Options, OutputFormat};

use crate::*;

fn upright(name: &str) -> image::RgbImage {
    let out = process_ok(
        &fixture(&format!("sharp/{name}")),
        &Options::default(),
        OutputFormat::Png,
    );
    without_digit(decode(&out.image))
}

/// Each fixture shows its own orientation number in the centre; blank the middle fifth of the
/// width so that only the picture around it is compared.
fn without_digit(mut image: image::RgbImage) -> image::RgbImage {
    let (w, h) = image.dimensions();
    for y in 0..h {
        for x in w * 2 / 5..w * 3 / 5 {
            image.put_pixel(x, y, image::Rgb([0, 0, 0]));
        }
    }
    image
}

#[test]
fn all_orientations_come_out_upright() {
    for kind in ["Landscape", "Portrait"] {
        let first = upright(&format!("{kind}_1.jpg"));
        let (w, h) = first.dimensions();
        assert_eq!(w > h, kind == "Landscape", "{kind}_1 is {w}x{h}");
        for n in 2..=8 {
            let name = format!("{kind}_{n}.jpg");
            assert_eq!(
                processor()
                    .inspect(&fixture(&format!("sharp/{name}")))
                    .unwrap()
                    .unwrap()
                    .orientation,
                n
            );
            let other = upright(&name);
            assert_eq!(other.dimensions(), (w, h), "{name}");
            // Each file was JPEG-compressed after its own transform: artefacts and chroma siting differ by
            // a pixel here and there (~22-30 dB); a wrong orientation scores about 12 dB.
            assert_psnr(&format!("orientation-{name}"), &other, &first, 20.0);
        }
    }
}

#[test]
fn orientation_with_resize_and_cover() {
    // Resizing happens before rotation: the planned box must still apply to the upright image.
    let options = Options {
        max_width: Some(200),
        max_height: Some(100),
        fit: Some(imgpipe::wit::Fit::Cover),
        ..Options::default()
    };
    let reference = without_digit(decode(
        &process_ok(
            &fixture("sharp/Portrait_1.jpg"),
            &options,
            OutputFormat::Png,
        )
        .image,
    ));
    for n in 2..=8 {
        let out = process_ok(
            &fixture(&format!("sharp/Portrait_{n}.jpg")),
            &options,
            OutputFormat::Png,
        );
        assert_eq!((out.width, out.height), (200, 100));
        assert_psnr(
            &format!("cover-Portrait_{n}"),
            &without_digit(decode(&out.image)),
            &reference,
            20.0,
        );
    }
}

#[test]
fn auto_orient_off_keeps_stored_orientation() {
    let options = Options {
        auto_orient: Some(false),
        ..Options::default()
    };
    let out = process_ok(
        &fixture("sharp/Landscape_6.jpg"),
        &options,
        OutputFormat::Jpeg,
    );
    let info = processor()
        .inspect(&fixture("sharp/Landscape_6.jpg"))
        .unwrap()
        .unwrap();
    assert_eq!((out.width, out.height), (info.width, info.height));
    assert!(
        out.height > out.width,
        "stored landscape-6 is portrait-shaped"
    );
}

#[test]
fn a_wrong_orientation_would_be_caught() {
    // The tolerance above must separate right from wrong: without auto-orient, a mirrored
    // image scores far below it.
    let options = Options {
        auto_orient: Some(false),
        ..Options::default()
    };
    let first = upright("Landscape_1.jpg");
    let mirrored = process_ok(
        &fixture("sharp/Landscape_2.jpg"),
        &options,
        OutputFormat::Png,
    );
    let p = psnr(&without_digit(decode(&mirrored.image)), &first);
    assert!(p < 16.0, "mirrored image scored {p:.1} dB");
}

/// `rotate`, `flip` and `flop` on a lossless path are exact: each equals the `image` crate's
/// own turn or mirror of the same pixels, in sharp's order (flip, flop, then rotate), and the
/// box applies to the turned image.
#[test]
fn rotate_flip_and_flop_are_exact() {
    let input = fixture("colour/srgb.png");
    let original = image::load_from_memory(&input).unwrap();
    let ours = |rotate: Option<f32>, flip: bool, flop: bool| {
        let options = Options {
            rotate,
            flip: Some(flip),
            flop: Some(flop),
            ..Options::default()
        };
        decode(&process_ok(&input, &options, OutputFormat::Png).image)
    };
    let theirs = |image: image::DynamicImage| image.to_rgb8();
    assert_eq!(ours(Some(90.0), false, false), theirs(original.rotate90()));
    assert_eq!(
        ours(Some(180.0), false, false),
        theirs(original.rotate180())
    );
    assert_eq!(
        ours(Some(270.0), false, false),
        theirs(original.rotate270())
    );
    assert_eq!(
        ours(Some(-90.0), false, false),
        theirs(original.rotate270())
    );
    assert_eq!(ours(Some(450.0), false, false), theirs(original.rotate90()));
    assert_eq!(ours(None, true, false), theirs(original.flipv()));
    assert_eq!(ours(None, false, true), theirs(original.fliph()));
    // The order: the mirror first, then the turn (the other order gives another image).
    let flipped_then_turned = theirs(original.flipv().rotate90());
    assert_eq!(ours(Some(90.0), true, false), flipped_then_turned);
    assert_ne!(flipped_then_turned, theirs(original.rotate90().flipv()));

    // The box is the turned image's: 256x192 turned is 192x256, fitted into 96x96 is 72x96.
    let options = Options {
        rotate: Some(90.0),
        ..size(96, 96)
    };
    let out = process_ok(&input, &options, OutputFormat::Png);
    assert_eq!((out.width, out.height), (72, 96));
}

#[test]
fn rotate_adds_to_the_exif_orientation() {
    // Landscape_6 is stored turned; upright it equals Landscape_1. A further quarter turn of
    // each must agree too.
    let turned = Options {
        rotate: Some(90.0),
        ..size(200, 200)
    };
    let a = decode(
        &process_ok(
            &fixture("sharp/Landscape_6.jpg"),
            &turned,
            OutputFormat::Png,
        )
        .image,
    );
    let b = decode(
        &process_ok(
            &fixture("sharp/Landscape_1.jpg"),
            &turned,
            OutputFormat::Png,
        )
        .image,
    );
    assert_eq!(a.dimensions(), b.dimensions());
    // Each shows its own number in the middle, which the turn puts in the middle too.
    assert_psnr(
        "landscape-6-turned",
        &without_digit(a),
        &without_digit(b),
        20.0,
    );
}

#[test]
fn angles_that_are_no_number_are_refused() {
    for rotate in [f32::NAN, f32::INFINITY, 1e9] {
        let options = Options {
            rotate: Some(rotate),
            ..Options::default()
        };
        match processor()
            .process(
                &fixture("colour/srgb.png"),
                &options,
                Some(OutputFormat::Png),
            )
            .unwrap()
        {
            Err(imgpipe::wit::Error::InvalidOption(o)) => assert_eq!(o.name, "rotate"),
            other => panic!("{rotate}: {other:?}"),
        }
    }
}

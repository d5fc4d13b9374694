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

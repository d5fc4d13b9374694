//! The operations beyond resizing, through the real component: each against libvips's result
//! (made by `tests/images/operations/make` and committed) or an exact computation here, with a
//! check that a wrong result would fail; and the order the WIT documents, by combining them.

use image::{Rgb, RgbImage};
use imgpipe::wit::{
    ChromaSubsampling, Edges, Error, Gravity, Options, OutputFormat, Overlay, Placeholder, Point,
    Region,
};

use crate::{decode, fixture, process_ok, processor, psnr, size};

fn scene() -> Vec<u8> {
    fixture("operations/scene.png")
}

fn png(options: &Options, input: &[u8]) -> RgbImage {
    decode(&process_ok(input, options, OutputFormat::Png).image)
}

fn refused(input: &[u8], options: &Options) -> String {
    match processor()
        .process(input, options, Some(OutputFormat::Png))
        .unwrap()
    {
        Err(Error::InvalidOption(o)) => o.name,
        other => panic!("{options:?}: {other:?}"),
    }
}

fn encode_png(image: &RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn blur_matches_libvips_gaussblur() {
    let reference = decode(&fixture("operations/blur-2-by-libvips.png"));
    let ours = png(
        &Options {
            blur: Some(2.0),
            ..Options::default()
        },
        &scene(),
    );
    let db = psnr(&ours, &reference);
    assert!(db >= 50.0, "blur 2 against vips gaussblur 2: {db:.1} dB");
    // A different sigma is far from it: the comparison can fail.
    let wrong = png(
        &Options {
            blur: Some(3.0),
            ..Options::default()
        },
        &scene(),
    );
    assert!(psnr(&wrong, &reference) < 40.0);
}

#[test]
fn sharpen_matches_libvips_sharpen() {
    let reference = decode(&fixture("operations/sharpen-1.5-by-libvips.png"));
    let ours = png(
        &Options {
            sharpen: Some(1.5),
            ..Options::default()
        },
        &scene(),
    );
    let db = psnr(&ours, &reference);
    assert!(db >= 45.0, "sharpen 1.5 against vips sharpen: {db:.1} dB");
    let unsharpened = decode(&scene());
    assert!(psnr(&unsharpened, &reference) < 35.0);
    // Other slopes give another result.
    let flatter = png(
        &Options {
            sharpen: Some(1.5),
            sharpen_jagged: Some(0.5),
            ..Options::default()
        },
        &scene(),
    );
    assert!(psnr(&flatter, &reference) < 40.0);
}

#[test]
fn extract_is_exact_and_in_the_upright_image() {
    let original = decode(&scene());
    let region = Region {
        left: 25,
        top: 40,
        width: 100,
        height: 50,
    };
    let out = png(
        &Options {
            extract: Some(region),
            ..Options::default()
        },
        &scene(),
    );
    let expected = image::imageops::crop_imm(&original, 25, 40, 100, 50).to_image();
    assert_eq!(out, expected);
    // Then turned: `extract` comes before `rotate`.
    let turned = png(
        &Options {
            extract: Some(region),
            rotate: Some(90.0),
            ..Options::default()
        },
        &scene(),
    );
    assert_eq!(turned, image::imageops::rotate90(&expected));
    // A region reaching outside, or empty, is refused.
    for region in [
        Region {
            left: 200,
            top: 0,
            width: 41,
            height: 10,
        },
        Region {
            left: 0,
            top: 0,
            width: 0,
            height: 10,
        },
    ] {
        let options = Options {
            extract: Some(region),
            ..Options::default()
        };
        assert_eq!(refused(&scene(), &options), "extract");
    }
}

#[test]
fn gravity_and_focal_point_place_the_crop() {
    // 240x160 into 160x160 (no scaling): the crop is a plain window.
    let original = decode(&scene());
    let window = |left| image::imageops::crop_imm(&original, left, 0, 160, 160).to_image();
    for (gravity, left) in [
        (Gravity::West, 0),
        (Gravity::Centre, 40),
        (Gravity::East, 80),
        (Gravity::NorthEast, 80),
    ] {
        let options = Options {
            fit: Some(imgpipe::wit::Fit::Cover),
            gravity: Some(gravity),
            ..size(160, 160)
        };
        assert_eq!(png(&options, &scene()), window(left), "{gravity:?}");
    }
    let options = Options {
        fit: Some(imgpipe::wit::Fit::Cover),
        focal_point: Some(Point { x: 0.45, y: 0.5 }),
        ..size(160, 160)
    };
    // Centred on x = 108: the window starts at 28.
    assert_eq!(png(&options, &scene()), window(28));
    let both = Options {
        gravity: Some(Gravity::North),
        ..options
    };
    assert_eq!(refused(&scene(), &both), "focal-point");
}

/// A textured 600x300 picture with a face-coloured, detailed subject of 80x80 centred at
/// (`x`, `y`).
fn subject_at(x: u32, y: u32) -> Vec<u8> {
    let mut image = RgbImage::from_fn(600, 300, |px, py| {
        let v = 70 + ((px * 7 + py * 13) % 11) as u8;
        Rgb([v, v + 5, v + 10])
    });
    for py in y - 40..y + 40 {
        for px in x - 40..x + 40 {
            let stripe = (px / 4 + py / 4) % 2 == 0;
            image.put_pixel(
                px,
                py,
                if stripe {
                    Rgb([225, 170, 140])
                } else {
                    Rgb([120, 60, 40])
                },
            );
        }
    }
    encode_png(&image)
}

#[test]
fn smart_crop_keeps_the_subject_where_centre_does_not() {
    for (x, y) in [(90, 150), (510, 150), (300, 60)] {
        let input = subject_at(x, y);
        // A 150x150 crop of the 300x150 scaled image: the subject is 40x40 there.
        let holds_subject = |gravity: Gravity| {
            let options = Options {
                fit: Some(imgpipe::wit::Fit::Cover),
                gravity: Some(gravity),
                ..size(150, 150)
            };
            let out = png(&options, &input);
            // The subject's pixels are the only saturated ones: count them.
            let seen = out
                .pixels()
                .filter(|p| i32::from(p[0]) - i32::from(p[2]) > 50)
                .count();
            seen >= 40 * 40 * 8 / 10
        };
        assert!(
            holds_subject(Gravity::Attention),
            "attention, subject at {x},{y}"
        );
        assert!(
            holds_subject(Gravity::Entropy),
            "entropy, subject at {x},{y}"
        );
        if y == 150 {
            assert!(
                !holds_subject(Gravity::Centre),
                "centre, subject at {x},{y}"
            );
        }
    }
}

#[test]
fn trim_removes_a_uniform_border_and_extend_adds_one() {
    let original = decode(&scene());
    let framed = process_ok(
        &scene(),
        &Options {
            extend: Some(Edges {
                top: 7,
                right: 11,
                bottom: 3,
                left: 20,
            }),
            background: Some(imgpipe::wit::Color {
                r: 255,
                g: 255,
                b: 255,
                a: 255,
            }),
            ..Options::default()
        },
        OutputFormat::Png,
    );
    assert_eq!((framed.width, framed.height), (240 + 31, 160 + 10));
    let framed_pixels = decode(&framed.image);
    assert_eq!(framed_pixels.get_pixel(0, 0), &Rgb([255, 255, 255]));
    assert_eq!(
        image::imageops::crop_imm(&framed_pixels, 20, 7, 240, 160).to_image(),
        original
    );
    let trimmed = png(
        &Options {
            trim: Some(10.0),
            ..Options::default()
        },
        &framed.image,
    );
    assert_eq!(trimmed, original);
}

#[test]
fn free_angles_turn_onto_a_larger_canvas() {
    let out = process_ok(
        &scene(),
        &Options {
            rotate: Some(30.0),
            background: Some(imgpipe::wit::Color {
                r: 0,
                g: 255,
                b: 0,
                a: 255,
            }),
            ..Options::default()
        },
        OutputFormat::Png,
    );
    // 240x160 turned 30°: 240 cos + 160 sin = 287.8, 240 sin + 160 cos = 258.6.
    assert_eq!((out.width, out.height), (288, 259));
    let turned = decode(&out.image);
    assert_eq!(turned.get_pixel(0, 0), &Rgb([0, 255, 0]));
    // Turning back and cutting the middle out gives the original's middle, resampled twice.
    let back = png(
        &Options {
            rotate: Some(-30.0),
            ..Options::default()
        },
        &out.image,
    );
    let (bw, bh) = back.dimensions();
    let middle = |img: &RgbImage, w: u32, h: u32| {
        image::imageops::crop_imm(img, (w - 120) / 2, (h - 80) / 2, 120, 80).to_image()
    };
    let db = psnr(&middle(&back, bw, bh), &middle(&decode(&scene()), 240, 160));
    assert!(db > 28.0, "turned and back: {db:.1} dB");
    // The box bounds the turned image.
    let boxed = process_ok(
        &scene(),
        &Options {
            rotate: Some(45.0),
            ..size(100, 100)
        },
        OutputFormat::Png,
    );
    assert!(boxed.width <= 100 && boxed.height <= 100);
    assert_eq!(
        refused(
            &scene(),
            &Options {
                rotate: Some(f32::NAN),
                ..Options::default()
            }
        ),
        "rotate"
    );
}

#[test]
fn max_bytes_finds_the_best_quality_that_fits() {
    let photo = fixture("colour/display-p3.jpg");
    for format in [OutputFormat::Jpeg, OutputFormat::Webp] {
        let full = process_ok(&photo, &Options::default(), format);
        let budget = full.image.len() as u64 / 2;
        let options = Options {
            max_bytes: Some(budget),
            ..Options::default()
        };
        let out = process_ok(&photo, &options, format);
        assert!(out.image.len() as u64 <= budget, "{format:?}");
        // Not far below: the search takes the highest quality that fits.
        assert!(
            out.image.len() as u64 > budget / 2,
            "{format:?}: {}",
            out.image.len()
        );
    }
    let impossible = Options {
        max_bytes: Some(100),
        ..Options::default()
    };
    match processor()
        .process(&photo, &impossible, Some(OutputFormat::Jpeg))
        .unwrap()
    {
        Err(Error::InvalidOption(o)) => {
            assert_eq!(o.name, "max-bytes");
            assert!(o.message.contains("at quality 1 it takes"), "{}", o.message);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_parameters_are_invalid_options() {
    for (options, name) in [
        (
            Options {
                blur: Some(-1.0),
                ..Options::default()
            },
            "blur",
        ),
        (
            Options {
                blur: Some(f32::INFINITY),
                ..Options::default()
            },
            "blur",
        ),
        (
            Options {
                sharpen: Some(0.0),
                ..Options::default()
            },
            "sharpen",
        ),
        (
            Options {
                sharpen_flat: Some(f32::NAN),
                ..Options::default()
            },
            "sharpen-flat",
        ),
        (
            Options {
                trim: Some(300.0),
                ..Options::default()
            },
            "trim",
        ),
        (
            Options {
                focal_point: Some(Point { x: 1.5, y: 0.5 }),
                ..Options::default()
            },
            "focal-point",
        ),
        (
            Options {
                extend: Some(Edges {
                    top: 70_000,
                    right: 0,
                    bottom: 0,
                    left: 0,
                }),
                ..Options::default()
            },
            "extend",
        ),
        (
            Options {
                effort: Some(10),
                ..Options::default()
            },
            "effort",
        ),
    ] {
        assert_eq!(refused(&scene(), &options), name);
    }
    // A bad overlay, including one that is not an image or is cut short, is the option's
    // fault, never a trap.
    let logo = fixture("operations/logo.png");
    for bad in [
        Overlay {
            image: Vec::new(),
            ..overlay(None, 0, 0, 1.0)
        },
        overlay(Some(Gravity::Entropy), 0, 0, 1.0),
        overlay(None, 0, 0, 1.5),
        overlay(None, 0, 0, f32::NAN),
        Overlay {
            scale: Some(0.0),
            ..overlay(None, 0, 0, 1.0)
        },
        Overlay {
            image: b"not an image".to_vec(),
            ..overlay(None, 0, 0, 1.0)
        },
        Overlay {
            image: logo[..logo.len() / 2].to_vec(),
            ..overlay(None, 0, 0, 1.0)
        },
    ] {
        let options = Options {
            overlay: Some(bad),
            ..Options::default()
        };
        assert_eq!(refused(&scene(), &options), "overlay");
    }
}

#[test]
fn the_documented_order_holds_when_combined() {
    // extract 100x50 -> rotate 90 (50x100) -> fit inside 40x40 (20x40) -> extend 1 all round.
    let out = process_ok(
        &scene(),
        &Options {
            extract: Some(Region {
                left: 10,
                top: 10,
                width: 100,
                height: 50,
            }),
            rotate: Some(90.0),
            blur: Some(1.0),
            sharpen: Some(1.0),
            extend: Some(Edges {
                top: 1,
                right: 1,
                bottom: 1,
                left: 1,
            }),
            ..size(40, 40)
        },
        OutputFormat::Png,
    );
    assert_eq!((out.width, out.height), (22, 42));
    // The border is the background, untouched by blur and sharpen (they come before it).
    let pixels = decode(&out.image);
    assert_eq!(pixels.get_pixel(0, 20), &Rgb([255, 255, 255]));
    assert_eq!(pixels.get_pixel(21, 41), &Rgb([255, 255, 255]));
}

fn overlay(gravity: Option<Gravity>, x: i32, y: i32, opacity: f32) -> Overlay {
    Overlay {
        image: fixture("operations/logo.png"),
        gravity,
        x: Some(x),
        y: Some(y),
        opacity: Some(opacity),
        scale: None,
        tile: None,
    }
}

#[test]
fn overlay_matches_libvips_composite() {
    let reference = decode(&fixture("operations/overlay-south-east-by-libvips.png"));
    let with = |o: Overlay| {
        png(
            &Options {
                overlay: Some(o),
                ..Options::default()
            },
            &scene(),
        )
    };
    let ours = with(overlay(Some(Gravity::SouthEast), 10, 5, 0.6));
    let db = psnr(&ours, &reference);
    assert!(db >= 50.0, "overlay against vips composite2: {db:.1} dB");
    // Elsewhere, or at another opacity, it is not the reference.
    assert!(
        psnr(
            &with(overlay(Some(Gravity::SouthEast), 12, 5, 0.6)),
            &reference
        ) < 40.0
    );
    assert!(
        psnr(
            &with(overlay(Some(Gravity::SouthEast), 10, 5, 0.9)),
            &reference
        ) < 40.0
    );
    assert!(psnr(&decode(&scene()), &reference) < 35.0);

    // `scale` sizes it by the result's width; an opaque green square (a colour the scene has
    // nowhere) at half the width, in the centre, covers exactly the middle 120x120.
    let square = encode_png(&RgbImage::from_pixel(10, 10, Rgb([1, 254, 3])));
    let out = with(Overlay {
        image: square,
        scale: Some(0.5),
        ..overlay(None, 0, 0, 1.0)
    });
    for (x, y, p) in out.enumerate_pixels() {
        let inside = (60..180).contains(&x) && (20..140).contains(&y);
        assert_eq!(p.0 == [1, 254, 3], inside, "({x}, {y}) {:?}", p.0);
    }
}

#[test]
fn placeholders_describe_the_result() {
    use base64::Engine as _;
    let small = |image: &RgbImage, w: u32, h: u32| {
        image::imageops::resize(image, w, h, image::imageops::FilterType::Triangle)
    };
    // The mean difference per channel between two images of one size.
    let distance = |a: &RgbImage, b: &[u8]| {
        let sum: u64 = a
            .pixels()
            .zip(b.chunks_exact(4))
            .flat_map(|(p, q)| (0..3).map(move |c| u64::from(p.0[c].abs_diff(q[c]))))
            .sum();
        sum as f64 / (f64::from(a.width() * a.height()) * 3.0)
    };
    let scene_image = decode(&scene());
    let other_image = decode(&subject_at(200, 40));
    for kind in [Placeholder::Blurhash, Placeholder::Thumbhash] {
        let out = process_ok(
            &scene(),
            &Options {
                placeholder: Some(kind),
                ..Options::default()
            },
            OutputFormat::Png,
        );
        let hash = out.placeholder.expect("a placeholder");
        // Decoded by the other side of each format's reference library.
        let (w, h, rgba) = match kind {
            Placeholder::Blurhash => (24, 16, blurhash::decode(&hash, 24, 16, 1.0).unwrap()),
            Placeholder::Thumbhash => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(&hash)
                    .unwrap();
                let (w, h, rgba) = thumbhash::thumb_hash_to_rgba(&bytes).unwrap();
                (w as u32, h as u32, rgba)
            }
        };
        // ThumbHash keeps the shape, roughly: 240x160 is 3:2.
        assert!(
            (f64::from(w) / f64::from(h) - 1.5).abs() < 0.15,
            "{kind:?} {w}x{h}"
        );
        let near = distance(&small(&scene_image, w, h), &rgba);
        let far = distance(&small(&other_image, w, h), &rgba);
        // A handful of cosines cannot draw the scene's square and disc: close, not equal.
        assert!(
            near < 30.0 && far > 2.0 * near,
            "{kind:?}: {near:.1} against {far:.1}"
        );
    }
    // Not asked, not computed.
    assert_eq!(
        process_ok(&scene(), &Options::default(), OutputFormat::Png).placeholder,
        None
    );
}

#[test]
fn encoder_options_change_what_they_say() {
    let photo = fixture("sharp/2569067123_aca715a2ee_o.jpg");
    let at = |format: OutputFormat, options: Options| {
        process_ok(
            &photo,
            &Options {
                max_width: Some(320),
                ..options
            },
            format,
        )
        .image
    };
    // Optimised Huffman tables: smaller, and the same pixels to every decoder (the image
    // crate's zune-jpeg read the per-component scans of the published encoder wrong).
    let standard = at(OutputFormat::Jpeg, Options::default());
    let optimised = at(
        OutputFormat::Jpeg,
        Options {
            optimize_coding: Some(true),
            ..Options::default()
        },
    );
    assert!(optimised.len() < standard.len());
    assert_eq!(decode(&optimised), decode(&standard));
    // WebP: effort 0 is larger than the default; sharp YUV gives other bytes.
    let webp = at(OutputFormat::Webp, Options::default());
    let fast = at(
        OutputFormat::Webp,
        Options {
            effort: Some(0),
            ..Options::default()
        },
    );
    assert!(fast.len() > webp.len(), "{} {}", fast.len(), webp.len());
    let sharp_yuv = at(
        OutputFormat::Webp,
        Options {
            chroma_subsampling: Some(ChromaSubsampling::Yuv444),
            ..Options::default()
        },
    );
    assert_ne!(sharp_yuv, webp);
    assert!(psnr(&decode(&sharp_yuv), &decode(&webp)) > 35.0);
    // PNG: more effort, smaller.
    let png_fast = at(
        OutputFormat::Png,
        Options {
            effort: Some(0),
            ..Options::default()
        },
    );
    let png_best = at(
        OutputFormat::Png,
        Options {
            effort: Some(9),
            ..Options::default()
        },
    );
    assert!(png_best.len() < png_fast.len());
    assert_eq!(decode(&png_best), decode(&png_fast));
    // AVIF: the fastest effort is another encode; 4:2:0 is written as asked (libavif reads it
    // back as 4:2:0, close to the 4:4:4 encode, and smaller).
    let avif_fast = at(
        OutputFormat::Avif,
        Options {
            effort: Some(0),
            max_width: Some(96),
            ..Options::default()
        },
    );
    assert_ne!(
        avif_fast,
        at(
            OutputFormat::Avif,
            Options {
                max_width: Some(96),
                ..Options::default()
            }
        )
    );
    let full = at(OutputFormat::Avif, Options::default());
    let half = at(
        OutputFormat::Avif,
        Options {
            chroma_subsampling: Some(ChromaSubsampling::Yuv420),
            ..Options::default()
        },
    );
    assert!(half.len() < full.len(), "{} {}", half.len(), full.len());
    let (half_image, full_image) = (decode(&half), decode(&full));
    let truth = crate::reference(&photo, half_image.width(), half_image.height());
    let (db_half, db_full) = (psnr(&half_image, &truth), psnr(&full_image, &truth));
    assert!(
        db_half > 27.0 && db_half > db_full - 3.0,
        "AVIF 4:2:0 {db_half:.1} dB, 4:4:4 {db_full:.1} dB"
    );
    let avif_info = |bytes: &[u8]| {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.avif");
        std::fs::write(&file, bytes).unwrap();
        let out = std::process::Command::new("avifdec")
            .arg("--info")
            .arg(&file)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let info = avif_info(&half);
    assert!(
        info.contains("YUV420") && info.contains("Alpha          : Absent"),
        "{info}"
    );
    // With alpha: a second, monochrome image.
    let with_alpha = process_ok(
        &fixture("operations/grey-16bit-alpha.png"),
        &Options {
            chroma_subsampling: Some(ChromaSubsampling::Yuv420),
            ..Options::default()
        },
        OutputFormat::Avif,
    );
    let info = avif_info(&with_alpha.image);
    assert!(
        info.contains("YUV420") && !info.contains("Alpha          : Absent"),
        "{info}"
    );
}

//! The PngSuite: every valid file decodes to its size; every corrupt (`x*`) file is a typed error.

use imgpipe::wit::{Error, Options, OutputFormat};

use crate::*;

fn suite() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(fixtures().join("pngsuite"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(files.len() > 150, "PngSuite has {} files", files.len());
    files
}

#[test]
fn valid_files_decode_to_their_size() {
    let mut p = processor();
    for (name, bytes) in suite().into_iter().filter(|(n, _)| !n.starts_with('x')) {
        let native =
            image::load_from_memory(&bytes).unwrap_or_else(|e| panic!("{name}: native: {e}"));
        // The native decoder manages no colour. Every file but the cHRM ones (ccwn*, converted
        // from their own primaries and gamma: `chromaticities_and_gamma_are_converted`) is
        // sRGB, or gamma alone (taken as sRGB), and must come out as stored by default.
        let options = Options {
            color_profile: name
                .starts_with("ccwn")
                .then_some(imgpipe::wit::ColorProfile::Keep),
            ..Options::default()
        };
        let out = p
            .process(&bytes, &options, Some(OutputFormat::Png))
            .unwrap()
            .unwrap_or_else(|e| panic!("{name}: {}", imgpipe::describe(&e)));
        assert_eq!(
            (out.width, out.height),
            (native.width(), native.height()),
            "{name}"
        );
        assert_psnr(
            &format!("pngsuite-{name}"),
            &decode(&out.image),
            &flatten_white(native),
            45.0,
        );
    }
}

#[test]
fn corrupt_files_are_typed_errors() {
    let mut p = processor();
    let corrupt: Vec<_> = suite()
        .into_iter()
        .filter(|(n, _)| n.starts_with('x'))
        .collect();
    assert!(corrupt.len() >= 10);
    for (name, bytes) in corrupt {
        match p
            .process(&bytes, &Options::default(), Some(OutputFormat::Png))
            .unwrap()
        {
            // A damaged signature is not recognised as PNG; any other damage is PNG's to report.
            Err(Error::DecodeFailed(m)) => assert!(m.starts_with("decode PNG: "), "{name}: {m}"),
            Err(Error::UnsupportedFormat(m)) => {
                assert!(m.starts_with("unknown image format"), "{name}: {m}")
            }
            other => panic!("{name}: expected decode-failed or unsupported-format, got {other:?}"),
        }
    }
    // Still serving after all of them.
    assert!(
        p.process(&fixture("pngsuite/basn2c08.png"), &Options::default(), None)
            .unwrap()
            .is_ok()
    );
}

#[test]
fn chromaticities_and_gamma_are_converted() {
    // ccwn2c08: gAMA 1.0 (linear values) with cHRM giving sRGB's primaries: converted to sRGB,
    // mid-tones brighten, as a browser shows them; `keep` leaves the values as stored.
    let bytes = fixture("pngsuite/ccwn2c08.png");
    let converted = decode(&process_ok(&bytes, &Options::default(), OutputFormat::Png).image);
    let keep = Options {
        color_profile: Some(imgpipe::wit::ColorProfile::Keep),
        ..Options::default()
    };
    let stored = decode(&process_ok(&bytes, &keep, OutputFormat::Png).image);
    let mean = |image: &image::RgbImage| {
        image.as_raw().iter().map(|&v| f64::from(v)).sum::<f64>() / image.as_raw().len() as f64
    };
    let (converted, stored) = (mean(&converted), mean(&stored));
    assert!(converted > stored + 10.0, "{converted:.1} vs {stored:.1}");
}

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
        let out = p
            .process(&bytes, &Options::default(), Some(OutputFormat::Png))
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
            Err(Error::DecodeFailed(m)) | Err(Error::UnsupportedFormat(m)) => {
                assert!(!m.is_empty())
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

//! Integration tests: the real component in wasmtime, on real images and on images made for them,
//! all in `test-host/tests/images` (its README names each one's source and licence).
//! One binary; one module per behaviour; helpers here.

mod alpha;
mod animation;
mod browser;
mod cli;
mod colour;
mod epoch_checks;
mod errors;
mod formats;
mod hostile;
mod http;
mod limits;
mod memory;
mod metadata;
mod operations;
mod orientation;
mod pngsuite;
mod polyglot;
mod quality;
mod resize;
mod sandbox;
mod stats;
mod wasmcloud;

use std::path::PathBuf;
use std::sync::OnceLock;

use image::RgbImage;
use imgpipe::wit::{Error, Options, OutputFormat, Processed};
use imgpipe::{Processor, Runtime, RuntimeConfig};

/// One runtime (engine + compiled component) shared by every test.
pub fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let config = RuntimeConfig {
            max_instances: 64,
            ..RuntimeConfig::default()
        };
        Runtime::new(config).expect("load the component")
    })
}

/// A processor with a fresh instance.
pub fn processor() -> Processor<'static> {
    runtime().processor()
}

/// The test images' folder, `test-host/tests/images`.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/images")
}

/// Where the input `name` (`sharp/320x240.jpg`, `colour/cmyk.jpg`) is.
pub fn fixture_path(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// The bytes of the input `name` (see [`fixture_path`]).
pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixture_path(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read fixture {}: {e}", path.display()))
}

/// Runs `process-with-format` and expects an image.
pub fn process_ok(input: &[u8], options: &Options, format: OutputFormat) -> Processed {
    match processor()
        .process(input, options, Some(format))
        .expect("no trap")
    {
        Ok(p) => p,
        Err(e) => panic!("expected an image, got {}", imgpipe::describe(&e)),
    }
}

/// Runs `process-with-format` and expects an error.
pub fn process_err(input: &[u8], options: &Options, format: OutputFormat) -> Error {
    match processor()
        .process(input, options, Some(format))
        .expect("no trap")
    {
        Ok(p) => panic!("expected an error, got a {}x{} image", p.width, p.height),
        Err(e) => e,
    }
}

pub fn size(w: u32, h: u32) -> Options {
    Options {
        max_width: Some(w),
        max_height: Some(h),
        ..Options::default()
    }
}

/// Decodes an encoded output independently of the component: the `image` crate natively (its
/// own JPEG decoder, zune-jpeg, differs from the component's), and libavif's `avifdec` for AVIF.
/// Alpha is composited onto white.
pub fn decode(bytes: &[u8]) -> RgbImage {
    let image = if bytes.get(4..12).is_some_and(|b| b.starts_with(b"ftyp")) {
        let dir = tempfile::tempdir().unwrap();
        let (avif, png) = (dir.path().join("in.avif"), dir.path().join("out.png"));
        std::fs::write(&avif, bytes).unwrap();
        let status = std::process::Command::new("avifdec")
            .arg(&avif)
            .arg(&png)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("avifdec (libavif-bin, installed by scripts/setup)");
        assert!(status.success(), "avifdec rejected the output");
        image::open(&png).unwrap()
    } else {
        image::load_from_memory(bytes).expect("output decodes natively")
    };
    flatten_white(image)
}

/// What libavif's `avifdec --info` reports of an AVIF, field by field ("ICC Profile" ->
/// "Present (2936 bytes)", "Color Primaries" -> "2", ...): a reader of the container other than
/// the component's own.
pub fn avif_info(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let avif = dir.path().join("in.avif");
    std::fs::write(&avif, bytes).unwrap();
    let out = std::process::Command::new("avifdec")
        .arg("--info")
        .arg(&avif)
        .output()
        .expect("avifdec (libavif-bin, installed by scripts/setup)");
    assert!(out.status.success(), "avifdec --info rejected the output");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.trim().strip_prefix("* ")?.split_once(':'))
        .map(|(key, value)| (key.trim().to_string(), value.trim().to_string()))
        .collect()
}

pub fn flatten_white(image: image::DynamicImage) -> RgbImage {
    let rgba = image.into_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(p[3]);
        for c in 0..3 {
            o[c] = ((u32::from(p[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

/// Reference pipeline by another path: the `image` crate's decoder, EXIF-less, and its own
/// Lanczos3 resize, natively.
pub fn reference(input: &[u8], w: u32, h: u32) -> RgbImage {
    let image = image::load_from_memory(input).expect("reference decode");
    let image = image.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
    flatten_white(image)
}

/// Peak signal-to-noise ratio in dB over RGB; infinite when identical.
pub fn psnr(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions(), "PSNR needs equal sizes");
    let se: f64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum();
    let mse = se / a.as_raw().len() as f64;
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0 * 255.0 / mse).log10()
    }
}

/// Asserts PSNR at least `min`; on failure keeps both images for a look and names them.
pub fn assert_psnr(name: &str, actual: &RgbImage, expected: &RgbImage, min: f64) {
    let p = psnr(actual, expected);
    if p < min {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mismatches");
        std::fs::create_dir_all(&dir).unwrap();
        let (a, e) = (
            dir.join(format!("{name}.actual.png")),
            dir.join(format!("{name}.expected.png")),
        );
        actual.save(&a).unwrap();
        expected.save(&e).unwrap();
        panic!(
            "{name}: PSNR {p:.2} dB < {min} dB; see {} and {}",
            a.display(),
            e.display()
        );
    }
}

/// Encodes an image natively in a given format, for inputs the fixtures lack (BMP, TIFF, ...).
pub fn encode_native(image: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

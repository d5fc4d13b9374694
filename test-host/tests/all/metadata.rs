//! Metadata: stripped by default; with `keep-metadata`, the input's EXIF (orientation reset
//! to 1 once the pixels are upright) and XMP come out in JPEG, PNG and WebP, as the `image`
//! crate's decoders read them back, and in AVIF, as heic-rs's container parser reads them.

use image::{ImageDecoder, ImageReader};
use imgpipe::wit::{Options, OutputFormat};

use crate::*;

const XMP: &[u8] = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>imgpipe tests</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"#;

/// Little-endian EXIF: IFD0 with Make "imgpipe" and the orientation.
fn exif(orientation: u16) -> Vec<u8> {
    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    t.extend_from_slice(&2u16.to_le_bytes());
    // Make, ASCII, 8 bytes stored at offset 38 (after the IFD and its next-IFD link).
    t.extend_from_slice(&0x010Fu16.to_le_bytes());
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend_from_slice(&8u32.to_le_bytes());
    t.extend_from_slice(&38u32.to_le_bytes());
    t.extend_from_slice(&0x0112u16.to_le_bytes());
    t.extend_from_slice(&3u16.to_le_bytes());
    t.extend_from_slice(&1u32.to_le_bytes());
    t.extend_from_slice(&orientation.to_le_bytes());
    t.extend_from_slice(&[0, 0]);
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(b"imgpipe\0");
    t
}

/// A 64x32 JPEG (a gradient) carrying `exif` and XMP.
fn tagged_jpeg(exif: &[u8]) -> Vec<u8> {
    let mut pixels = Vec::new();
    for y in 0..32u8 {
        for x in 0..64u8 {
            pixels.extend_from_slice(&[x * 4, y * 8, 128]);
        }
    }
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder
        .add_app_segment(1, [b"Exif\0\0".as_slice(), exif].concat())
        .unwrap();
    encoder
        .add_app_segment(
            1,
            [b"http://ns.adobe.com/xap/1.0/\0".as_slice(), XMP].concat(),
        )
        .unwrap();
    encoder
        .encode(&pixels, 64, 32, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// EXIF and XMP as the `image` crate's decoder for `bytes` reads them.
fn read_back(bytes: &[u8]) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let mut decoder = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    (
        decoder.exif_metadata().unwrap(),
        decoder.xmp_metadata().unwrap(),
    )
}

/// EXIF and XMP as heic-rs reads them from an AVIF's primary item.
fn read_back_avif(bytes: &[u8]) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let context = heic_rs::context::Context {
        file: bytes,
        ftyp: heic_rs::ftyp::FileType {
            major: heic_rs::Brand::Avif,
            effective: heic_rs::Brand::Avif,
            minor_version: 0,
            compatible_count: 0,
        },
        meta: heic_rs::meta::parse(bytes).unwrap(),
    };
    let primary = context.meta.primary;
    // avif-serialize stores the EXIF item in two extents: read whole, then past its offset.
    let exif = context.exif_item(primary).map(|id| {
        let item = context.item_data(id).unwrap();
        heic_rs::metadata::exif_tiff(&item).unwrap().to_vec()
    });
    let xmp = context
        .xmp_item(primary)
        .map(|id| context.item_data(id).unwrap().into_owned());
    (exif, xmp)
}

fn keep() -> Options {
    Options {
        keep_metadata: Some(true),
        ..Options::default()
    }
}

/// The outputs that carry metadata.
const CARRIERS: [OutputFormat; 4] = [
    OutputFormat::Jpeg,
    OutputFormat::Png,
    OutputFormat::Webp,
    OutputFormat::WebpLossless,
];

#[test]
fn kept_metadata_comes_out_with_the_orientation_applied() {
    let input = tagged_jpeg(&exif(6));
    for format in CARRIERS {
        let out = process_ok(&input, &keep(), format);
        // Orientation 6 applied: the 64x32 picture stands upright as 32x64.
        assert_eq!((out.width, out.height), (32, 64), "{format:?}");
        let (exif_out, xmp_out) = read_back(&out.image);
        assert_eq!(exif_out.as_deref(), Some(exif(1).as_slice()), "{format:?}");
        let xmp_out = xmp_out.unwrap_or_else(|| panic!("{format:?}: no XMP"));
        // The PNG reader may keep the text's terminator; the packet itself is unchanged.
        assert!(xmp_out.starts_with(XMP), "{format:?}");
        let decoded = image::load_from_memory(&out.image).unwrap();
        assert_eq!(decoded.width(), 32, "{format:?}");
    }
}

#[test]
fn avif_keeps_metadata_too() {
    let input = tagged_jpeg(&exif(6));
    let out = process_ok(&input, &keep(), OutputFormat::Avif);
    assert_eq!((out.width, out.height), (32, 64));
    let (exif_out, xmp_out) = read_back_avif(&out.image);
    assert_eq!(exif_out.as_deref(), Some(exif(1).as_slice()));
    assert_eq!(xmp_out.as_deref(), Some(XMP));
    let stripped = process_ok(&input, &Options::default(), OutputFormat::Avif);
    assert_eq!(read_back_avif(&stripped.image), (None, None));

    // Everything at once, both chroma layouts: alpha (a turn onto a transparent background), a
    // profile (`p3`), EXIF and XMP; libavif reads each of them back.
    for chroma in [None, Some(imgpipe::wit::ChromaSubsampling::Yuv420)] {
        let options = Options {
            rotate: Some(30.0),
            background: Some(imgpipe::wit::Color {
                r: 0,
                g: 0,
                b: 0,
                a: 0,
            }),
            color_profile: Some(imgpipe::wit::ColorProfile::P3),
            chroma_subsampling: chroma,
            ..keep()
        };
        let out = process_ok(&input, &options, OutputFormat::Avif);
        let info = avif_info(&out.image);
        assert_eq!(
            info.get("Alpha").map(String::as_str),
            Some("Not premultiplied"),
            "{chroma:?} {info:?}"
        );
        for field in ["ICC Profile", "Exif Metadata", "XMP Metadata"] {
            let value = info.get(field).map(String::as_str).unwrap_or("");
            assert!(value.starts_with("Present"), "{chroma:?} {field}: {info:?}");
        }
        let (exif_out, xmp_out) = read_back_avif(&out.image);
        assert_eq!(exif_out.as_deref(), Some(exif(1).as_slice()), "{chroma:?}");
        assert_eq!(xmp_out.as_deref(), Some(XMP), "{chroma:?}");
    }
}

#[test]
fn without_auto_orient_the_orientation_stays() {
    let input = tagged_jpeg(&exif(6));
    let options = Options {
        auto_orient: Some(false),
        ..keep()
    };
    let out = process_ok(&input, &options, OutputFormat::Jpeg);
    assert_eq!((out.width, out.height), (64, 32));
    assert_eq!(read_back(&out.image).0, Some(exif(6)));
}

#[test]
fn metadata_is_stripped_by_default() {
    let input = tagged_jpeg(&exif(6));
    for format in CARRIERS {
        let out = process_ok(&input, &Options::default(), format);
        assert_eq!(read_back(&out.image), (None, None), "{format:?}");
    }
}

//! Any bytes through decode, orient, resize and encode (PNG, or lossy WebP) must give an image
//! or a typed error.
#![no_main]

/// A 1x1 PNG for overlays to be drawn on.
const BASE: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0x00,
    0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xDD, 0x8D, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E,
    0x44, 0xAE, 0x42, 0x60, 0x82,
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // The component's own checks, with a pixel limit that keeps one input under ~100 ms.
    // Half the inputs converted to Display P3, so embedded profiles meet both directions.
    let color_profile = if data.len() % 2 == 0 {
        imgpipe_component::ColorProfile::Srgb
    } else {
        imgpipe_component::ColorProfile::P3
    };
    let options = imgpipe_component::Options {
        max_width: Some(64),
        max_height: Some(64),
        max_input_pixels: Some(4_000_000),
        color_profile: Some(color_profile),
        // And a third keep their EXIF and XMP, written back into the PNG.
        keep_metadata: Some(data.len() % 3 == 0),
        ..Default::default()
    };
    // And a fifth through the operations that look at the pixels: trim, a free turn, smart
    // crop, blur and sharpen.
    let options = if data.len() % 5 == 0 {
        imgpipe_component::Options {
            trim: Some(10.0),
            rotate: Some(30.0),
            fit: Some(imgpipe_component::Fit::Cover),
            gravity: Some(imgpipe_component::options::Gravity::Attention),
            blur: Some(1.5),
            sharpen: Some(1.0),
            ..options
        }
    } else {
        options
    };
    // And a quarter, all converted to sRGB, as lossy WebP: a JPEG's planes go to it without RGB.
    let format = if data.len() % 4 == 2 {
        imgpipe_component::OutputFormat::Webp
    } else {
        imgpipe_component::OutputFormat::Png
    };
    let _ = imgpipe_component::process(data, &options, format);
    // And a seventh as an overlay (tiled, half transparent) on a small valid image, with a
    // placeholder of the result: the overlay's decoder meets the same bytes.
    if data.len() % 7 == 0 {
        let overlay = imgpipe_component::options::Overlay {
            image: data.to_vec(),
            opacity: Some(0.5),
            tile: Some(true),
            ..Default::default()
        };
        let options = imgpipe_component::Options {
            overlay: Some(overlay),
            placeholder: Some(imgpipe_component::options::Placeholder::Thumbhash),
            max_input_pixels: Some(4_000_000),
            ..Default::default()
        };
        let _ = imgpipe_component::process(BASE, &options, imgpipe_component::OutputFormat::Png);
    }
});

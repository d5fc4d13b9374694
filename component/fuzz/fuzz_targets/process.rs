//! Any bytes through decode, orient, resize and encode must give an image or a typed error.
#![no_main]

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
    let _ = imgpipe_component::process(data, &options, imgpipe_component::OutputFormat::Png);
});

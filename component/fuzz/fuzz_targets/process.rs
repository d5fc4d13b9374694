//! Any bytes through decode, orient, resize and encode must give an image or a typed error.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // The component's own checks, with a pixel limit that keeps one input under ~100 ms.
    let options = imgpipe_component::Options {
        max_width: Some(64),
        max_height: Some(64),
        max_input_pixels: Some(4_000_000),
        ..Default::default()
    };
    let _ = imgpipe_component::process(data, &options, imgpipe_component::OutputFormat::Png);
});

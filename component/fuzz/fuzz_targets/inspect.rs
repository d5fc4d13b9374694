//! Any bytes through header reading (format detection, declared sizes, EXIF orientation).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = imgpipe_component::inspect(data);
});

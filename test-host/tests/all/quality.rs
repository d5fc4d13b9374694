//! The quality option is honoured: higher quality, larger file, closer to the input.

use imgpipe::wit::{Options, OutputFormat};

use crate::*;

#[test]
fn higher_quality_is_larger_and_closer() {
    let input = fixture("sharp/320x240.jpg");
    let expected = reference(&input, 320, 240);
    for format in [OutputFormat::Jpeg, OutputFormat::Webp, OutputFormat::Avif] {
        let at = |q: u8| {
            let options = Options {
                quality: Some(q),
                ..Options::default()
            };
            let out = process_ok(&input, &options, format);
            (out.image.len(), psnr(&decode(&out.image), &expected))
        };
        let (low_size, low_psnr) = at(30);
        let (high_size, high_psnr) = at(90);
        assert!(
            high_size > low_size,
            "{format:?}: q90 {high_size} B <= q30 {low_size} B"
        );
        assert!(
            high_psnr > low_psnr + 1.0,
            "{format:?}: q90 {high_psnr:.2} dB vs q30 {low_psnr:.2} dB"
        );
    }
}

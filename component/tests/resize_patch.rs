//! The patched fast_image_resize (`component/vendor/fast_image_resize`, PATCHES.md) must give
//! the pixels the published 6.1.0 gives. The patch changes only wasm32 simd128 kernels (the
//! horizontal pass for 8-bit RGB and grey, and the vertical pass every 8-bit pixel type shares), which
//! exist only in wasm: `scripts/test-wasm-jpeg` runs this test there. The reference is the
//! crate's own scalar code (`CpuExtensions::None`), which for 8-bit images computes the same
//! integer sums with the same rounding as every SIMD kernel, so all of them give the same
//! pixels (natively this compares the host's SSE4.1 or AVX2 kernels instead).
//!
//! The cases cover what the patch spells out and where it hands back to the published loops:
//! shrinking by 1.1x to 4x gives windows of 2 to 25 taps (the patch writes out up to 19
//! horizontally and 17 vertically for RGB, and takes up to 16 in one load for grey), odd and
//! even counts, rows whose width leaves bytes after the 32-byte chunks, the right edge (whose
//! last output pixels take the published loops) and crops that start windows between pixels;
//! enlarging by 1.05x (a JPEG's chroma resized to the output, `resize::resample_ycbcr`) and 2x;
//! in RGB (the photos' type) and RGBA (images with alpha, premultiplied around the resize) and
//! grey (each plane of a JPEG).

// Test code: a panic here is a failed test, which is what these lints guard against elsewhere.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{
    CpuExtensions, Filter, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer,
};

/// `width` x `height` pixels of `channels` bytes of seeded noise: every tap's weight shows in
/// the sums.
fn noise(width: u32, height: u32, channels: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761) | 1;
    (0..width * height * channels)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect()
}

fn resize(
    src: &[u8],
    pixel_type: PixelType,
    (width, height): (u32, u32),
    to: (u32, u32),
    options: &ResizeOptions,
    extensions: Option<CpuExtensions>,
) -> Vec<u8> {
    let source = ImageRef::new(width, height, src, pixel_type).unwrap();
    let mut dst = Image::new(to.0, to.1, pixel_type);
    let mut resizer = Resizer::new();
    if let Some(extensions) = extensions {
        // Safety: `None` (the scalar code) runs on every CPU.
        unsafe { resizer.set_cpu_extensions(extensions) };
    }
    resizer.resize(&source, &mut dst, options).unwrap();
    dst.into_vec()
}

#[test]
fn the_patched_kernels_give_the_scalar_code_s_pixels() {
    #[cfg(target_arch = "wasm32")]
    assert_eq!(
        Resizer::new().cpu_extensions(),
        CpuExtensions::Simd128,
        "in wasm the resizer must take the simd128 kernels this test is for"
    );
    let filters = [
        FilterType::Lanczos3,
        FilterType::CatmullRom,
        FilterType::Mitchell,
        FilterType::Bilinear,
    ];
    let mut cases = 0;
    for (pixel_type, channels) in [
        (PixelType::U8x3, 3),
        (PixelType::U8x4, 4),
        (PixelType::U8, 1),
    ] {
        for (index, &(width, height)) in [(97, 61), (331, 45), (1363, 37)].iter().enumerate() {
            let src = noise(width, height, channels, index as u32 + 1);
            for shrink in [
                0.5, 0.95, 1.1, 1.3, 1.5, 1.89, 2.0, 2.4, 2.67, 3.0, 3.3, 4.0,
            ] {
                let to = (
                    ((f64::from(width) / shrink) as u32).max(1),
                    ((f64::from(height) / shrink) as u32).max(1),
                );
                for filter in filters {
                    for crop in [None, Some(0.37), Some(2.5)] {
                        let mut options =
                            ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
                        if let Some(left) = crop {
                            let (w, h) = (f64::from(width) - left - 1.3, f64::from(height) - left);
                            options = options.crop(left, left, w, h);
                        }
                        let size = (width, height);
                        let fast = resize(&src, pixel_type, size, to, &options, None);
                        let scalar = resize(
                            &src,
                            pixel_type,
                            size,
                            to,
                            &options,
                            Some(CpuExtensions::None),
                        );
                        assert!(
                            fast == scalar,
                            "{pixel_type:?} {width}x{height} to {}x{}, {filter:?}, crop {crop:?}: \
                             the kernels' pixels differ from the scalar code's",
                            to.0,
                            to.1
                        );
                        cases += 1;
                    }
                }
            }
        }
    }
    assert_eq!(cases, 3 * 3 * 12 * 4 * 3);
}

/// The published crate's Lanczos3 weight, `sinc(x) sinc(x / 3)` with two sines, which the patch
/// computes with one (PATCHES.md).
fn published_lanczos3(x: f64) -> f64 {
    fn sinc(x: f64) -> f64 {
        if x == 0.0 {
            1.0
        } else {
            let x = x * std::f64::consts::PI;
            x.sin() / x
        }
    }
    if (-3.0..3.0).contains(&x) {
        sinc(x) * sinc(x / 3.0)
    } else {
        0.0
    }
}

#[test]
fn the_one_sine_lanczos3_gives_the_published_pixels() {
    let published = FilterType::Custom(Filter::new("lanczos3", published_lanczos3, 3.0).unwrap());
    let mut cases = 0;
    for (index, &(width, height)) in [(97, 61), (331, 45), (1363, 37), (2725, 9)]
        .iter()
        .enumerate()
    {
        let src = noise(width, height, 3, index as u32 + 7);
        // Shrinking (W1 is 1.893: 1363 to 720) and enlarging, with and without a crop.
        for scale in [0.4, 0.77, 1.1, 1.5, 1.893, 2.0, 2.67, 3.785, 5.0] {
            let to = (
                ((f64::from(width) / scale) as u32).max(1),
                ((f64::from(height) / scale) as u32).max(1),
            );
            for crop in [None, Some(0.37)] {
                let options = |filter| {
                    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
                    match crop {
                        Some(left) => options.crop(
                            left,
                            left,
                            f64::from(width) - left - 1.3,
                            f64::from(height) - left,
                        ),
                        None => options,
                    }
                };
                let size = (width, height);
                let patched = resize(
                    &src,
                    PixelType::U8x3,
                    size,
                    to,
                    &options(FilterType::Lanczos3),
                    None,
                );
                let reference = resize(&src, PixelType::U8x3, size, to, &options(published), None);
                assert!(
                    patched == reference,
                    "{width}x{height} to {}x{}, crop {crop:?}: the one-sine Lanczos3 gives other \
                     pixels than the published two-sine one",
                    to.0,
                    to.1
                );
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 4 * 9 * 2);
}

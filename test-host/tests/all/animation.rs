//! Animated GIF and WebP stay animated in WebP and GIF outputs: every frame, resized alike, with
//! its delay and the loop count; `animated: false` and the still formats take the first frame;
//! the frame and pixel limits are checked before decoding. Outputs are read back by the `image`
//! crate's decoders, natively.

use std::io::Cursor;

use image::codecs::gif::GifDecoder;
use image::codecs::webp::WebPDecoder;
use image::metadata::LoopCount;
use image::{AnimationDecoder, RgbaImage};
use imgpipe::wit::{Error, LimitKind, Options, OutputFormat};

use crate::*;

/// How often an animation plays: 0 for ever. `image` gives a GIF's loop count as written, the
/// repeats after the first play; a WebP's is the plays.
fn plays(count: LoopCount, gif: bool) -> u32 {
    match count {
        LoopCount::Infinite => 0,
        LoopCount::Finite(n) => n.get() + u32::from(gif),
    }
}

/// Transparent pixels compare equal whatever colour they hold (encoders may change it).
fn visible(image: &RgbaImage) -> RgbaImage {
    let mut out = image.clone();
    for p in out.pixels_mut() {
        if p[3] == 0 {
            p.0 = [0; 4];
        }
    }
    out
}

/// Frames (whole canvases), each with its delay in milliseconds, and the plays.
fn frames_of(bytes: &[u8]) -> (Vec<(RgbaImage, u32)>, u32) {
    let collect = |frames: image::Frames<'_>| -> Vec<(RgbaImage, u32)> {
        frames
            .map(|f| {
                let f = f.unwrap();
                let (n, d) = f.delay().numer_denom_ms();
                (f.into_buffer(), n / d)
            })
            .collect()
    };
    if bytes.starts_with(b"GIF") {
        let decoder = GifDecoder::new(Cursor::new(bytes)).unwrap();
        let count = plays(decoder.loop_count(), true);
        (collect(decoder.into_frames()), count)
    } else {
        let count = plays(
            WebPDecoder::new(Cursor::new(bytes)).unwrap().loop_count(),
            false,
        );
        // libwebp's own decoder: image-webp blends a frame over the one before it a level off
        // in places (its arithmetic rounds down).
        let mut shown_until = 0;
        let frames = libwebp_frames(bytes)
            .into_iter()
            .map(|(image, ends)| {
                let delay = ends - shown_until;
                shown_until = ends;
                (image, u32::try_from(delay).unwrap())
            })
            .collect();
        (frames, count)
    }
}

/// An animated WebP's frames as libwebp's animation decoder composes them (the copy of libwebp
/// the component's native build compiles), each with the time it ends, in ms.
fn libwebp_frames(bytes: &[u8]) -> Vec<(RgbaImage, i32)> {
    use libwebp_sys as sys;
    use std::mem::MaybeUninit;

    /// The decoder, deleted on drop (also when an assertion below fails).
    struct Decoder(*mut sys::WebPAnimDecoder);
    impl Drop for Decoder {
        fn drop(&mut self) {
            // SAFETY: created non-null below, deleted once.
            unsafe { sys::WebPAnimDecoderDelete(self.0) };
        }
    }

    let data = sys::WebPData {
        bytes: bytes.as_ptr(),
        size: bytes.len(),
    };
    // Zeroed first: the init sets the fields libwebp uses, not its padding.
    let mut options = MaybeUninit::<sys::WebPAnimDecoderOptions>::zeroed();
    // SAFETY: sets every field but the padding.
    let initialised = unsafe { sys::WebPAnimDecoderOptionsInit(options.as_mut_ptr()) };
    assert_ne!(initialised, 0);
    // SAFETY: zeroed, then initialised just above.
    let mut options = unsafe { options.assume_init() };
    options.color_mode = sys::WEBP_CSP_MODE::MODE_RGBA;
    // SAFETY: `data` points at `bytes`, which outlive the decoder.
    let decoder = unsafe { sys::WebPAnimDecoderNew(&data, &options) };
    assert!(!decoder.is_null(), "libwebp does not read the animation");
    let decoder = Decoder(decoder);
    let mut info = sys::WebPAnimInfo::default();
    // SAFETY: the decoder is live.
    let read = unsafe { sys::WebPAnimDecoderGetInfo(decoder.0, &mut info) };
    assert_ne!(read, 0);
    let canvas = info.canvas_width as usize * info.canvas_height as usize * 4;
    let mut frames = Vec::new();
    // SAFETY: the decoder is live; each frame's canvas is `canvas` bytes that libwebp owns until
    // the next call, copied at once.
    while unsafe { sys::WebPAnimDecoderHasMoreFrames(decoder.0) } != 0 {
        let mut pixels = std::ptr::null_mut();
        let mut ends = 0;
        assert_ne!(
            unsafe { sys::WebPAnimDecoderGetNext(decoder.0, &mut pixels, &mut ends) },
            0,
            "libwebp does not decode a frame"
        );
        let pixels = unsafe { std::slice::from_raw_parts(pixels, canvas) }.to_vec();
        let image = RgbaImage::from_raw(info.canvas_width, info.canvas_height, pixels).unwrap();
        frames.push((image, ends));
    }
    frames
}

fn rgb(image: &RgbaImage) -> image::RgbImage {
    flatten_white(image::DynamicImage::ImageRgba8(image.clone()))
}

#[test]
fn gif_and_webp_stay_animated_with_their_delays_and_loop_count() {
    for input in ["sharp/animated-loop-3.gif", "sharp/animated-loop-3.webp"] {
        let bytes = fixture(input);
        let (source, source_loops) = frames_of(&bytes);
        assert_eq!(source.len(), 10, "{input}");
        let info = processor().inspect(&bytes).unwrap().unwrap();
        assert_eq!(info.frames, 10, "{input}");
        for format in [OutputFormat::Webp, OutputFormat::Gif] {
            let out = process_ok(&bytes, &size(100, 100), format);
            assert_eq!((out.width, out.height), (100, 77), "{input} to {format:?}");
            let (frames, loops) = frames_of(&out.image);
            assert_eq!(frames.len(), source.len(), "{input} to {format:?}");
            // GIF stores hundredths of a second; these delays are whole ones.
            let delays: Vec<u32> = frames.iter().map(|(_, d)| *d).collect();
            let expected: Vec<u32> = source.iter().map(|(_, d)| *d).collect();
            assert_eq!(delays, expected, "{input} to {format:?}");
            assert_eq!(loops, source_loops, "{input} to {format:?}");
            assert_eq!(loops, 3, "{input}");
            // Every frame resized alike: each looks like its source frame resized.
            for (i, ((frame, _), (original, _))) in frames.iter().zip(&source).enumerate() {
                assert_eq!(frame.dimensions(), (100, 77));
                let expected = image::imageops::resize(
                    original,
                    100,
                    77,
                    image::imageops::FilterType::Lanczos3,
                );
                assert_psnr(
                    &format!("{input}-{format:?}-frame-{i}"),
                    &rgb(frame),
                    &rgb(&expected),
                    25.0,
                );
            }
        }
    }
}

/// From GIF, whose frames every decoder reads alike (a lossy WebP's differ by a level between
/// decoders' YUV conversions).
#[test]
fn lossless_animated_webp_keeps_every_frame_exactly() {
    let bytes = fixture("sharp/animated-loop-3.gif");
    let (source, _) = frames_of(&bytes);
    let out = process_ok(&bytes, &Options::default(), OutputFormat::WebpLossless);
    let (frames, _) = frames_of(&out.image);
    assert_eq!(frames.len(), source.len());
    for (i, ((frame, delay), (original, original_delay))) in frames.iter().zip(&source).enumerate()
    {
        assert_eq!(delay, original_delay, "frame {i}");
        let (a, b) = (visible(frame), visible(original));
        let first = a
            .enumerate_pixels()
            .zip(b.pixels())
            .find(|((_, _, p), q)| p != q);
        assert!(first.is_none(), "frame {i} differs first at {first:?}");
    }
}

#[test]
fn first_frame_only_when_asked_or_when_the_format_is_still() {
    let bytes = fixture("sharp/animated-loop-3.gif");
    let (source, _) = frames_of(&bytes);
    let first = rgb(&source[0].0);
    let still = Options {
        animated: Some(false),
        ..Options::default()
    };
    let out = process_ok(&bytes, &still, OutputFormat::Webp);
    let (frames, _) = frames_of(&out.image);
    assert_eq!(frames.len(), 1);
    assert_psnr("first-frame-webp", &rgb(&frames[0].0), &first, 30.0);
    for format in [OutputFormat::Png, OutputFormat::Jpeg, OutputFormat::Avif] {
        let out = process_ok(&bytes, &Options::default(), format);
        assert_psnr(
            &format!("first-frame-{format:?}"),
            &decode(&out.image),
            &first,
            28.0,
        );
    }
}

#[test]
fn frame_and_pixel_limits_are_checked_before_decoding() {
    let bytes = fixture("sharp/animated-loop-3.gif");
    let mut p = processor();
    let few = Options {
        max_animation_frames: Some(5),
        ..Options::default()
    };
    match p.process(&bytes, &few, Some(OutputFormat::Webp)).unwrap() {
        Err(Error::TooLarge(t)) => {
            assert_eq!(t.limit_kind, LimitKind::Frames);
            assert_eq!((t.found, t.limit), (10, 5));
            assert!(t.message.contains("max-animation-frames"), "{}", t.message);
        }
        other => panic!("{other:?}"),
    }
    // 370x285 is 105,450 pixels a frame, 1,054,500 for all ten: the canvas fits, the whole
    // animation does not.
    let small = Options {
        max_input_pixels: Some(500_000),
        ..Options::default()
    };
    match p.process(&bytes, &small, Some(OutputFormat::Gif)).unwrap() {
        Err(Error::TooLarge(t)) => {
            assert_eq!(t.limit_kind, LimitKind::Pixels);
            assert_eq!((t.found, t.limit), (1_054_500, 500_000));
        }
        other => panic!("{other:?}"),
    }
    // Neither limit holds a still output back.
    for options in [few, small] {
        let out = p
            .process(&bytes, &options, Some(OutputFormat::Png))
            .unwrap()
            .unwrap();
        assert_eq!((out.width, out.height), (370, 285));
    }
}

/// Truncated and bit-flipped animations, kept animated: typed errors or an animation, never a
/// trap; the instance keeps serving.
#[test]
fn damaged_animations_fail_cleanly() {
    let mut p = processor();
    let options = Options {
        max_input_pixels: Some(4_000_000),
        ..size(64, 64)
    };
    for name in ["sharp/animated-loop-3.gif", "sharp/animated-loop-3.webp"] {
        let bytes = fixture(name);
        let mut damaged: Vec<Vec<u8>> = (1..16)
            .map(|i| bytes[..bytes.len() * i / 16].to_vec())
            .collect();
        for i in 0..32 {
            let mut flipped = bytes.clone();
            let at = 13 + (i * 7919) % (bytes.len() - 13);
            flipped[at] ^= 1 << (i % 8);
            damaged.push(flipped);
        }
        for (i, input) in damaged.iter().enumerate() {
            for format in [OutputFormat::Webp, OutputFormat::Gif] {
                match p.process(input, &options, Some(format)).unwrap() {
                    Ok(out) => assert!(out.width <= 64 && out.height <= 64),
                    Err(Error::DecodeFailed(_) | Error::UnsupportedFormat(_)) => {}
                    Err(other) => panic!("{name} case {i}: {other:?}"),
                }
            }
        }
    }
    assert_eq!(p.instances_created(), 1);
}

//! Animated GIF and WebP. The frame and loop counts are read before any frame is decoded (a
//! GIF's frames are walked without decompressing them, a WebP's chunks listed); frames are then
//! decoded one at a time as whole canvases, each handed on before the next is decoded. Out:
//! animated WebP through libwebp's animation encoder (which stores each frame as the rectangle
//! that changed), and GIF with a palette of its own per frame (NeuQuant, from the gif crate).

use std::io::Cursor;

use crate::error::{Error, InputFormat, OutputFormat, Result};
use crate::metadata::Embedded;
use crate::raster::Raster;

/// What a file says of its animation, before decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// 1 for a still image.
    pub frames: u32,
    /// How often the animation plays: 0 for ever, else that many times (WebP's meaning; a
    /// GIF's loop count counts the repeats after the first play).
    pub plays: u32,
}

/// What every still image is.
pub const STILL: Header = Header {
    frames: 1,
    plays: 0,
};

/// One frame: the whole canvas, and how long it shows.
pub struct Frame {
    pub raster: Raster,
    pub delay_ms: u32,
}

/// The frame and loop counts of a GIF or WebP; a still image for every other format. A file
/// whose structure cannot be walked is taken as still: decoding it reports what is wrong.
pub fn header(bytes: &[u8], format: InputFormat) -> Header {
    match format {
        #[cfg(feature = "gif")]
        InputFormat::Gif => gif_header(bytes),
        InputFormat::Webp => webp_header(bytes),
        _ => STILL,
    }
}

/// Counts the frames whose data is all there; a frame cut short ends the count.
#[cfg(feature = "gif")]
fn gif_header(bytes: &[u8]) -> Header {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    options.skip_frame_decoding(true);
    let Ok(mut decoder) = options.read_info(bytes) else {
        return STILL;
    };
    let mut frames = 0u32;
    while let Ok(Some(_)) = decoder.read_next_frame() {
        frames = frames.saturating_add(1);
    }
    let plays = match decoder.repeat() {
        gif::Repeat::Infinite => 0,
        // No loop extension: one play. A count of n: n repeats, so n + 1 plays.
        gif::Repeat::Finite(repeats) => u32::from(repeats) + 1,
    };
    Header {
        frames: frames.max(1),
        plays,
    }
}

fn webp_header(bytes: &[u8]) -> Header {
    let Ok(decoder) = image_webp::WebPDecoder::new(Cursor::new(bytes)) else {
        return STILL;
    };
    if !decoder.is_animated() {
        return STILL;
    }
    let plays = match decoder.loop_count() {
        image_webp::LoopCount::Forever => 0,
        image_webp::LoopCount::Times(n) => u32::from(n.get()),
    };
    Header {
        frames: decoder.num_frames().max(1),
        plays,
    }
}

/// Decodes the first `count` frames in order, handing each to `each` before decoding the
/// next; the decoders allocate at most `max_alloc` bytes.
pub fn decode(
    bytes: &[u8],
    format: InputFormat,
    count: u32,
    max_alloc: u64,
    mut each: impl FnMut(Frame) -> Result<()>,
) -> Result<()> {
    let fail = |e: &dyn std::fmt::Display| Error::decode(format, e);
    match format {
        #[cfg(feature = "gif")]
        InputFormat::Gif => {
            use image::{AnimationDecoder, ImageDecoder};
            let mut decoder =
                image::codecs::gif::GifDecoder::new(Cursor::new(bytes)).map_err(|e| fail(&e))?;
            let mut limits = image::Limits::default();
            limits.max_alloc = Some(max_alloc);
            decoder.set_limits(limits).map_err(|e| fail(&e))?;
            for frame in decoder.into_frames().take(count as usize) {
                let frame = frame.map_err(|e| fail(&e))?;
                let (numerator, denominator) = frame.delay().numer_denom_ms();
                let delay_ms = numerator.checked_div(denominator).unwrap_or(0);
                let buffer = frame.into_buffer();
                let (width, height) = buffer.dimensions();
                each(Frame {
                    raster: Raster {
                        width,
                        height,
                        alpha: true,
                        data: buffer.into_raw(),
                    },
                    delay_ms,
                })?;
            }
            Ok(())
        }
        InputFormat::Webp => {
            let mut decoder =
                image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(|e| fail(&e))?;
            decoder.set_memory_limit(usize::try_from(max_alloc).unwrap_or(usize::MAX));
            let (width, height) = decoder.dimensions();
            let alpha = decoder.has_alpha();
            let size = decoder
                .output_buffer_size()
                .ok_or_else(|| fail(&"the canvas is too large"))?;
            for _ in 0..count {
                let mut data = vec![0; size];
                let delay_ms = decoder.read_frame(&mut data).map_err(|e| fail(&e))?;
                each(Frame {
                    raster: Raster {
                        width,
                        height,
                        alpha,
                        data,
                    },
                    delay_ms,
                })?;
            }
            Ok(())
        }
        _ => Err(fail(&"the format holds no animation")),
    }
}

/// How an animation is encoded.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub quality: u8,
    /// libwebp's method, 0-6.
    pub method: u8,
    pub plays: u32,
}

/// Encodes `frames` (all the same size) as an animated `format`.
pub fn encode(
    frames: &[Frame],
    format: OutputFormat,
    settings: Settings,
    extra: Embedded<'_>,
) -> Result<Vec<u8>> {
    match format {
        #[cfg(feature = "webp-lossy")]
        OutputFormat::Webp => webp::encode(frames, false, settings, extra),
        #[cfg(feature = "webp-lossy")]
        OutputFormat::WebpLossless => webp::encode(frames, true, settings, extra),
        #[cfg(feature = "gif")]
        OutputFormat::Gif => gif_encode(frames, settings.plays),
        _ => {
            // Only reached in builds without the encoder, which `writes` keeps callers from.
            let _ = (frames, settings, extra);
            Err(Error::UnsupportedFormat(format!(
                "animated {} output is not built into this component",
                format.label()
            )))
        }
    }
}

/// Whether this build writes `format` animated.
pub fn writes(format: OutputFormat) -> bool {
    let webp = matches!(format, OutputFormat::Webp | OutputFormat::WebpLossless);
    (webp && cfg!(feature = "webp-lossy")) || (format == OutputFormat::Gif && cfg!(feature = "gif"))
}

/// Encodes one frame, still, as GIF.
#[cfg(feature = "gif")]
pub fn gif_still(raster: &Raster) -> Result<Vec<u8>> {
    let frame = Frame {
        raster: raster.clone(),
        delay_ms: 0,
    };
    gif_encode(std::slice::from_ref(&frame), 1)
}

#[cfg(feature = "gif")]
fn gif_encode(frames: &[Frame], plays: u32) -> Result<Vec<u8>> {
    let fail = |e: &dyn std::fmt::Display| Error::encode(OutputFormat::Gif, e);
    let first = frames.first().ok_or_else(|| fail(&"no frames"))?;
    let side = |v: u32| u16::try_from(v).map_err(|_| Error::too_large_for(OutputFormat::Gif, v, v));
    let (width, height) = (side(first.raster.width)?, side(first.raster.height)?);
    let mut out = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut out, width, height, &[]).map_err(|e| fail(&e))?;
        if frames.len() > 1 {
            let repeat = match plays {
                0 => gif::Repeat::Infinite,
                n => gif::Repeat::Finite(u16::try_from(n - 1).unwrap_or(u16::MAX)),
            };
            encoder.set_repeat(repeat).map_err(|e| fail(&e))?;
        }
        for frame in frames {
            let raster = &frame.raster;
            if (raster.width, raster.height) != (first.raster.width, first.raster.height) {
                return Err(fail(&"frames differ in size"));
            }
            let mut rgba = gif_pixels(raster);
            // Speed 10 of 30: NeuQuant's sampling, the gif crate's own middle setting.
            let mut gif_frame = gif::Frame::from_rgba_speed(width, height, &mut rgba, 10);
            // GIF counts hundredths of a second.
            gif_frame.delay = u16::try_from(frame.delay_ms.div_ceil(10)).unwrap_or(u16::MAX);
            // Each frame is a whole canvas: what it leaves transparent must not show the last.
            gif_frame.dispose = gif::DisposalMethod::Background;
            encoder.write_frame(&gif_frame).map_err(|e| fail(&e))?;
        }
    }
    Ok(out)
}

/// RGBA with alpha made on or off at half, as GIF stores it.
#[cfg(feature = "gif")]
fn gif_pixels(raster: &Raster) -> Vec<u8> {
    if !raster.alpha {
        let (pixels, _) = raster.data.as_chunks::<3>();
        return pixels
            .iter()
            .flat_map(|&[r, g, b]| [r, g, b, 255])
            .collect();
    }
    let (pixels, _) = raster.data.as_chunks::<4>();
    pixels
        .iter()
        .flat_map(|&[r, g, b, a]| {
            if a < 128 {
                [0, 0, 0, 0]
            } else {
                [r, g, b, 255]
            }
        })
        .collect()
}

/// libwebp's animation encoder and muxer, called directly: a wrapper that holds every frame
/// until the end could not give the last frame its delay.
#[cfg(feature = "webp-lossy")]
mod webp {
    use std::ffi::{CStr, c_int};
    use std::ptr;

    use libwebp_sys as sys;

    use super::{Frame, Settings};
    use crate::error::{Error, OutputFormat, Result};
    use crate::libwebp::Picture;
    use crate::metadata::Embedded;

    pub fn encode(
        frames: &[Frame],
        lossless: bool,
        settings: Settings,
        extra: Embedded<'_>,
    ) -> Result<Vec<u8>> {
        let format = if lossless {
            OutputFormat::WebpLossless
        } else {
            OutputFormat::Webp
        };
        let fail = |what: &str| Error::encode(format, what);
        let first = frames.first().ok_or_else(|| fail("no frames"))?;
        let (width, height) = (first.raster.width, first.raster.height);
        let max = format.max_dimension();
        if width > max || height > max {
            return Err(Error::too_large_for(format, width, height));
        }
        let mut config = crate::libwebp::config(settings.quality, settings.method)
            .ok_or_else(|| fail("libwebp config"))?;
        config.lossless = c_int::from(lossless);
        let mux_version = sys::WebPGetMuxABIVersion();
        let mut set_up = 0;
        // SAFETY: a plain C struct, valid zeroed, which its init sets up (or leaves as it was
        // and returns 0, on a version mismatch).
        let mut options = unsafe {
            crate::libwebp::initialised(|o| {
                set_up = sys::WebPAnimEncoderOptionsInitInternal(o, mux_version);
            })
        };
        if set_up == 0 {
            return Err(fail("libwebp animation options"));
        }
        options.anim_params.loop_count = c_int::try_from(settings.plays.min(65_535)).unwrap_or(0);
        // Both sides fit in c_int: at most 16,383.
        let (w, h) = (width as c_int, height as c_int);
        // SAFETY: the options are initialised; a null result is checked.
        let encoder =
            AnimEncoder(unsafe { sys::WebPAnimEncoderNewInternal(w, h, &options, mux_version) });
        if encoder.0.is_null() {
            return Err(fail("libwebp animation encoder"));
        }
        let mut timestamp: c_int = 0;
        for frame in frames {
            let raster = &frame.raster;
            if (raster.width, raster.height) != (width, height) {
                return Err(fail("frames differ in size"));
            }
            let mut picture = Picture::import(raster).ok_or_else(|| fail("libwebp picture"))?;
            // SAFETY: encoder and picture are live; the encoder copies what it keeps.
            let added =
                unsafe { sys::WebPAnimEncoderAdd(encoder.0, &mut picture.0, timestamp, &config) };
            if added == 0 {
                return Err(fail(&encoder.error()));
            }
            timestamp =
                timestamp.saturating_add(c_int::try_from(frame.delay_ms).unwrap_or(c_int::MAX));
        }
        let mut data = sys::WebPData::default();
        // SAFETY: a null frame at the end time closes the animation (giving the last frame its
        // delay); `data` receives memory libwebp allocated, freed below.
        let assembled = unsafe {
            sys::WebPAnimEncoderAdd(encoder.0, ptr::null_mut(), timestamp, ptr::null()) != 0
                && sys::WebPAnimEncoderAssemble(encoder.0, &mut data) != 0
        };
        if !assembled {
            return Err(fail(&encoder.error()));
        }
        let data = Data(data);
        if extra.icc.is_none() && extra.exif.is_none() && extra.xmp.is_none() {
            return Ok(data.to_vec());
        }
        with_chunks(&data, extra).ok_or_else(|| fail("libwebp mux"))
    }

    /// The animation with ICCP, EXIF and XMP chunks added (the muxer sets the header's flags).
    fn with_chunks(data: &Data, extra: Embedded<'_>) -> Option<Vec<u8>> {
        let version = sys::WebPGetMuxABIVersion();
        // SAFETY: `data` is live; copy = 1, so the mux owns what it holds.
        let mux = Mux(unsafe { sys::WebPMuxCreateInternal(&data.0, 1, version) });
        if mux.0.is_null() {
            return None;
        }
        let chunks: [(&CStr, Option<&[u8]>); 3] = [
            (c"ICCP", extra.icc),
            (c"EXIF", extra.exif),
            (c"XMP ", extra.xmp),
        ];
        for (id, bytes) in chunks {
            let Some(bytes) = bytes else { continue };
            let chunk = sys::WebPData {
                bytes: bytes.as_ptr(),
                size: bytes.len(),
            };
            // SAFETY: the mux is live; copy = 1, so `chunk` need not outlive the call.
            let set = unsafe { sys::WebPMuxSetChunk(mux.0, id.as_ptr(), &chunk, 1) };
            if set != sys::WebPMuxError::WEBP_MUX_OK {
                return None;
            }
        }
        let mut out = sys::WebPData::default();
        // SAFETY: the mux is live; `out` receives memory libwebp allocated, freed by `Data`.
        let assembled = unsafe { sys::WebPMuxAssemble(mux.0, &mut out) };
        let out = Data(out);
        (assembled == sys::WebPMuxError::WEBP_MUX_OK).then(|| out.to_vec())
    }

    struct AnimEncoder(*mut sys::WebPAnimEncoder);

    impl AnimEncoder {
        fn error(&self) -> String {
            // SAFETY: the encoder is live; the message is a C string it owns, copied here.
            let message = unsafe { sys::WebPAnimEncoderGetError(self.0) };
            if message.is_null() {
                return "libwebp animation encoder failed".into();
            }
            // SAFETY: non-null, NUL-terminated, owned by the live encoder.
            unsafe { CStr::from_ptr(message) }
                .to_string_lossy()
                .into_owned()
        }
    }

    impl Drop for AnimEncoder {
        fn drop(&mut self) {
            // SAFETY: created by `WebPAnimEncoderNewInternal` (or null, which it ignores).
            unsafe { sys::WebPAnimEncoderDelete(self.0) };
        }
    }

    struct Mux(*mut sys::WebPMux);

    impl Drop for Mux {
        fn drop(&mut self) {
            // SAFETY: created by `WebPMuxCreateInternal` and non-null (checked on creation).
            unsafe { sys::WebPMuxDelete(self.0) };
        }
    }

    /// Bytes libwebp allocated.
    struct Data(sys::WebPData);

    impl Data {
        fn to_vec(&self) -> Vec<u8> {
            if self.0.bytes.is_null() {
                return Vec::new();
            }
            // SAFETY: libwebp filled `bytes` with `size` bytes, alive until `Drop`.
            unsafe { std::slice::from_raw_parts(self.0.bytes, self.0.size) }.to_vec()
        }
    }

    impl Drop for Data {
        fn drop(&mut self) {
            // SAFETY: the bytes are libwebp's (or null), freed once.
            unsafe { sys::WebPDataClear(&mut self.0) };
        }
    }
}

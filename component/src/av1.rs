//! AV1 still pictures, the payload of AVIF, decoded by rav1d (the Rust port of dav1d) on one
//! thread: the component has none to spare, and rav1d starts none when asked for one.
//!
//! rav1d's public interface is dav1d's C one; this module is the only place that calls it, and
//! hands back planes in the shape the HEIF code composes and converts (`heic_rs::hevc::Frame`).

use std::mem::MaybeUninit;
use std::ptr::NonNull;

use heic_rs::ChromaFormat;
use heic_rs::hevc::Frame;
use rav1d::Dav1dResult;
use rav1d::include::dav1d::data::Dav1dData;
use rav1d::include::dav1d::dav1d::{Dav1dContext, Dav1dLogger, Dav1dSettings};
use rav1d::include::dav1d::headers::{
    DAV1D_PIXEL_LAYOUT_I400, DAV1D_PIXEL_LAYOUT_I420, DAV1D_PIXEL_LAYOUT_I422,
    DAV1D_PIXEL_LAYOUT_I444,
};
use rav1d::include::dav1d::picture::Dav1dPicture;
use rav1d::src::lib::{
    dav1d_close, dav1d_data_create, dav1d_data_unref, dav1d_default_settings, dav1d_get_picture,
    dav1d_open, dav1d_picture_unref, dav1d_send_data,
};

/// The colour description in the sequence header: what applies when the container has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cicp {
    pub primaries: u16,
    pub transfer: u16,
    pub matrix: u16,
    pub full_range: bool,
}

/// One decoded picture.
pub struct Picture {
    pub frame: Frame,
    pub cicp: Cicp,
}

/// Decodes the one frame in `data` (an AVIF item: sequence header and frame OBUs), refusing a
/// frame of more than `max_pixels` before its planes are allocated.
pub fn decode(data: &[u8], max_pixels: u64) -> Result<Picture, String> {
    let decoder = Decoder::open(max_pixels)?;
    let mut input = Input::copy_of(data)?;
    let mut picture = PictureRef(Dav1dPicture::default());
    // One send normally yields the picture; a few more cover data split over several calls.
    // The bound keeps a decoder that stops making progress from spinning.
    for _ in 0..64 {
        if input.0.sz > 0 {
            // SAFETY: the context is open; `input` is a live `Dav1dData` from `dav1d_data_create`.
            let sent = unsafe { dav1d_send_data(decoder.0, Some(NonNull::from(&mut input.0))) };
            if sent.0 < 0 && !is_again(sent) {
                return Err(failure("reading", sent));
            }
        }
        // SAFETY: the context is open; `picture` is an empty picture the call may fill.
        let got = unsafe { dav1d_get_picture(decoder.0, Some(NonNull::from(&mut picture.0))) };
        if got.0 == 0 {
            return picture.to_frame();
        }
        if !is_again(got) {
            return Err(failure("decoding", got));
        }
        if input.0.sz == 0 {
            return Err("the data holds no complete frame".into());
        }
    }
    Err("the decoder made no progress".into())
}

fn is_again(result: Dav1dResult) -> bool {
    result.0 == -libc::EAGAIN
}

fn failure(stage: &str, result: Dav1dResult) -> String {
    let what = match -result.0 {
        libc::ENOMEM => "out of memory or over the size limit",
        libc::EINVAL => "invalid data",
        libc::ENOPROTOOPT => "an unsupported feature",
        _ => "invalid data",
    };
    format!("AV1 {stage} failed: {what}")
}

/// An open rav1d context, closed on drop.
struct Decoder(Option<Dav1dContext>);

impl Decoder {
    fn open(max_pixels: u64) -> Result<Decoder, String> {
        let mut settings = MaybeUninit::<Dav1dSettings>::uninit();
        // SAFETY: the function writes every field of the settings it is given.
        let mut settings = unsafe {
            dav1d_default_settings(NonNull::from(&mut settings).cast());
            settings.assume_init()
        };
        settings.n_threads = 1;
        settings.max_frame_delay = 1;
        // An AVIF item is one frame of the highest operating point, as libavif decodes it.
        settings.all_layers = 0;
        settings.frame_size_limit = u32::try_from(max_pixels).unwrap_or(u32::MAX);
        // SAFETY: no callback, so nothing is ever called with the (absent) cookie; the messages
        // would go to the host's stderr, and the error code says what the caller needs.
        settings.logger = unsafe { Dav1dLogger::new(None, None) };
        let mut decoder = Decoder(None);
        // SAFETY: both pointers are to live values of the types the function expects.
        let opened = unsafe {
            dav1d_open(
                Some(NonNull::from(&mut decoder.0)),
                Some(NonNull::from(&mut settings)),
            )
        };
        if opened.0 < 0 || decoder.0.is_none() {
            return Err(failure("setup", opened));
        }
        Ok(decoder)
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        // SAFETY: the context came from `dav1d_open` (or is `None`, which the call ignores).
        unsafe { dav1d_close(Some(NonNull::from(&mut self.0))) };
    }
}

/// The input bytes, copied into a buffer the decoder owns a reference to; released on drop.
struct Input(Dav1dData);

impl Input {
    fn copy_of(data: &[u8]) -> Result<Input, String> {
        let mut input = Input(Dav1dData::default());
        // SAFETY: `input.0` is a live `Dav1dData` for the function to fill.
        let buffer = unsafe { dav1d_data_create(Some(NonNull::from(&mut input.0)), data.len()) };
        if buffer.is_null() {
            return Err("AV1 data is empty or too large".into());
        }
        // SAFETY: `buffer` holds `data.len()` bytes, freshly allocated, so it cannot overlap.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), buffer, data.len()) };
        Ok(input)
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        // SAFETY: the data came from `dav1d_data_create`; unref of consumed data is a no-op.
        unsafe { dav1d_data_unref(Some(NonNull::from(&mut self.0))) };
    }
}

/// A picture the decoder returned, released on drop.
struct PictureRef(Dav1dPicture);

impl Drop for PictureRef {
    fn drop(&mut self) {
        // SAFETY: the picture is empty or was filled by `dav1d_get_picture`.
        unsafe { dav1d_picture_unref(Some(NonNull::from(&mut self.0))) };
    }
}

impl PictureRef {
    /// Copies the planes out into 16-bit samples.
    fn to_frame(&self) -> Result<Picture, String> {
        let p = &self.0;
        let (width, height) = (positive(p.p.w)?, positive(p.p.h)?);
        let bit_depth = match p.p.bpc {
            8 => 8,
            10 => 10,
            12 => 12,
            other => return Err(format!("AV1 bit depth {other} is not supported")),
        };
        let (chroma, shift_x, shift_y) = match p.p.layout {
            DAV1D_PIXEL_LAYOUT_I400 => (ChromaFormat::Monochrome, 0, 0),
            DAV1D_PIXEL_LAYOUT_I420 => (ChromaFormat::Yuv420, 1, 1),
            DAV1D_PIXEL_LAYOUT_I422 => (ChromaFormat::Yuv422, 1, 0),
            DAV1D_PIXEL_LAYOUT_I444 => (ChromaFormat::Yuv444, 0, 0),
            other => return Err(format!("AV1 pixel layout {other} is not supported")),
        };
        let wide = bit_depth > 8;
        let y = plane(p.data[0], p.stride[0], width, height, wide)?;
        let (c_width, c_height) = ((width + shift_x) >> shift_x, (height + shift_y) >> shift_y);
        let (cb, cr) = if chroma == ChromaFormat::Monochrome {
            (Vec::new(), Vec::new())
        } else {
            (
                plane(p.data[1], p.stride[1], c_width, c_height, wide)?,
                plane(p.data[2], p.stride[1], c_width, c_height, wide)?,
            )
        };
        let cicp = match p.seq_hdr {
            // SAFETY: a returned picture's sequence header lives as long as the picture.
            Some(header) => {
                let header = unsafe { header.as_ref() };
                Cicp {
                    primaries: u16::try_from(header.pri).unwrap_or(2),
                    transfer: u16::try_from(header.trc).unwrap_or(2),
                    matrix: u16::try_from(header.mtrx).unwrap_or(2),
                    full_range: header.color_range != 0,
                }
            }
            None => Cicp {
                primaries: 2,
                transfer: 2,
                matrix: 2,
                full_range: false,
            },
        };
        Ok(Picture {
            frame: Frame {
                width,
                height,
                bit_depth,
                chroma,
                y,
                cb,
                cr,
                y_stride: width,
                c_stride: if chroma == ChromaFormat::Monochrome {
                    0
                } else {
                    c_width
                },
            },
            cicp,
        })
    }
}

fn positive(value: i32) -> Result<u32, String> {
    u32::try_from(value)
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| format!("AV1 picture has no pixels ({value})"))
}

/// One plane's samples, tightly packed as u16.
fn plane(
    data: Option<NonNull<std::ffi::c_void>>,
    stride: isize,
    width: u32,
    height: u32,
    wide: bool,
) -> Result<Vec<u16>, String> {
    let data = data.ok_or("AV1 picture is missing a plane")?;
    let bytes_per_sample = if wide { 2 } else { 1 };
    let row_bytes = width as usize * bytes_per_sample;
    if stride.unsigned_abs() < row_bytes {
        return Err("AV1 picture rows are narrower than the picture".into());
    }
    let mut out = Vec::with_capacity(width as usize * height as usize);
    for row in 0..height as usize {
        // SAFETY: the decoder allocated `height` rows of `stride` bytes, each holding at least
        // `width` samples (checked above); the picture is alive for the whole loop.
        let bytes = unsafe {
            let start = data.as_ptr().cast::<u8>().offset(stride * row as isize);
            std::slice::from_raw_parts(start, row_bytes)
        };
        if wide {
            out.extend(crate::raster::u16_samples(bytes));
        } else {
            out.extend(bytes.iter().map(|&b| u16::from(b)));
        }
    }
    Ok(out)
}

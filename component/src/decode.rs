//! Input: format detection from magic bytes, header reading with limits checked before any pixel
//! is decoded, and decoding to an 8-bit [`Raster`] (JPEG optionally at 1/2, 1/4 or 1/8 scale).

use std::io::Cursor;

use image::{ColorType, DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use crate::color::{Declared, Plan};
use crate::error::{Error, Result};
use crate::metadata::Metadata;
use crate::options::Filter;
use crate::raster::Raster;
use crate::resize;

pub use imgpipe_names::InputFormat;

/// Identifies the input from its first bytes; file names are never trusted.
pub fn detect(bytes: &[u8]) -> Result<InputFormat> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if bytes.is_empty() {
        return Err(Error::EmptyInput);
    }
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Ok(InputFormat::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Ok(InputFormat::Png)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Ok(InputFormat::Gif)
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Ok(InputFormat::Webp)
    } else if starts(b"BM") {
        Ok(InputFormat::Bmp)
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Ok(InputFormat::Tiff)
    } else if let Some(format) = heif_brand(bytes) {
        Ok(format)
    } else if is_jxl(bytes) {
        Ok(InputFormat::Jxl)
    } else {
        Err(Error::UnsupportedFormat(unknown_format_message(bytes)))
    }
}

/// Whether the `ftyp` box names AVIF or HEIC (major brand first, then compatible brands, so a
/// `mif1` file says what it holds), or `None` for another ISOBMFF file or none at all.
fn heif_brand(bytes: &[u8]) -> Option<InputFormat> {
    if bytes.get(4..8) != Some(b"ftyp") {
        return None;
    }
    let size = u32::from_be_bytes(bytes.get(0..4)?.try_into().ok()?) as usize;
    let ftyp = bytes.get(8..size.min(bytes.len()))?;
    let major = ftyp.get(0..4)?;
    let compatible = ftyp.get(8..).unwrap_or_default().chunks_exact(4);
    let kind = |brand: &[u8]| match brand {
        b"avif" | b"avis" => Some(InputFormat::Avif),
        b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" => Some(InputFormat::Heic),
        _ => None,
    };
    kind(major).or_else(|| compatible.filter_map(kind).next())
}

/// JPEG XL's container or bare codestream signature.
fn is_jxl(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0x0A]) || bytes.starts_with(b"\0\0\0\x0cJXL \r\n\x87\n")
}

fn unknown_format_message(bytes: &[u8]) -> String {
    if bytes.get(4..8) == Some(b"ftyp") {
        let brand = String::from_utf8_lossy(bytes.get(8..12).unwrap_or_default()).into_owned();
        return format!("ISO media file of brand `{brand}` is not an image this reads");
    }
    let head: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("unknown image format (first bytes: {})", head.join(" "))
}

/// The canvas size a file declares, read straight from its header where that is a fixed field
/// (PNG, GIF, BMP, WebP); `None` for TIFF and JPEG, whose decoders read headers without
/// allocating, or for a header too short to hold it.
pub fn declared_size(bytes: &[u8], format: InputFormat) -> Option<(u32, u32)> {
    let be32 = |at| field::<4>(bytes, at).map(u32::from_be_bytes);
    let le16 = |at| field::<2>(bytes, at).map(|b| u32::from(u16::from_le_bytes(b)));
    let le24 = |at| field::<3>(bytes, at).map(|[a, b, c]| u32::from_le_bytes([a, b, c, 0]));
    let le32 = |at| field::<4>(bytes, at).map(u32::from_le_bytes);
    match format {
        InputFormat::Png if bytes.get(12..16) == Some(b"IHDR") => Some((be32(16)?, be32(20)?)),
        InputFormat::Gif => Some((le16(6)?, le16(8)?)),
        InputFormat::Bmp => match le32(14)? {
            12 => Some((le16(18)?, le16(20)?)),
            _ => Some((le32(18)?, (le32(22)? as i32).unsigned_abs())),
        },
        InputFormat::Webp => match bytes.get(12..16)? {
            b"VP8X" => Some((le24(24)? + 1, le24(27)? + 1)),
            b"VP8L" => {
                let bits = le32(21)?;
                Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
            }
            b"VP8 " => Some((le16(26)? & 0x3FFF, le16(28)? & 0x3FFF)),
            _ => None,
        },
        _ => None,
    }
}

fn field<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    bytes.get(at..at.checked_add(N)?)?.try_into().ok()
}

/// What the header says, before any pixel is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    pub format: InputFormat,
    /// Stored width, before orientation.
    pub width: u32,
    /// Stored height, before orientation.
    pub height: u32,
    /// EXIF orientation 1-8 (1 when absent).
    pub orientation: u8,
    pub has_alpha: bool,
    pub bits_per_channel: u8,
    /// An animated GIF's or WebP's frame count, as [`crate::pipeline::inspect`] reports it.
    /// Opening a file leaves 1: counting walks a whole GIF, which a call pays only when an
    /// animation may stay animated.
    pub frames: u32,
}

/// An opened input: header read and checked, pixels not yet decoded.
pub struct Source<'a> {
    info: Info,
    /// The colour space the input declares.
    declared: Declared,
    decoder: Decoder<'a>,
}

enum Decoder<'a> {
    Jpeg(Box<jpeg_decoder::Decoder<JpegBytes<'a>>>),
    #[cfg(any(feature = "avif-input", feature = "heic"))]
    Heif(Box<crate::heif::Heif<'a>>, u64),
    #[cfg(feature = "jxl")]
    Jxl(Box<crate::jxl::Jxl>),
    Other(Box<dyn ImageDecoder + 'a>),
}

impl<'a> Source<'a> {
    /// Reads the header and refuses inputs over `max_pixels` before decoding anything.
    pub fn open(bytes: &'a [u8], max_pixels: u64) -> Result<Source<'a>> {
        let format = detect(bytes)?;
        // Checked from the raw header first: some decoders allocate, or overflow 32-bit sizes,
        // while merely opening a file that declares billions of pixels.
        if let Some((width, height)) = declared_size(bytes, format)
            && u64::from(width) * u64::from(height) > max_pixels
        {
            return Err(Error::too_many_pixels(
                format.label(),
                width,
                height,
                max_pixels,
            ));
        }
        let source = match format {
            InputFormat::Jpeg => open_jpeg(bytes, max_pixels)?,
            InputFormat::Avif | InputFormat::Heic => open_heif(bytes, format, max_pixels)?,
            InputFormat::Jxl => open_jxl(bytes, max_pixels)?,
            _ => open_other(bytes, format)?,
        };
        let Info { width, height, .. } = source.info;
        if width == 0 || height == 0 {
            return Err(Error::decode(
                format,
                format!("image has no pixels ({width}x{height})"),
            ));
        }
        check_pixels(format, width, height, max_pixels)?;
        let mut source = source;
        if let Decoder::Other(decoder) = &mut source.decoder {
            // Set only now, so that an oversized header is reported by the pixel check above
            // with its dimensions, not as an anonymous allocation failure.
            let mut limits = Limits::default();
            limits.max_alloc = Some(alloc_limit(max_pixels));
            decoder
                .set_limits(limits)
                .map_err(|e| image_error(format, e))?;
        }
        Ok(source)
    }

    pub fn info(&self) -> Info {
        self.info
    }

    /// The colour space the input declares.
    pub fn declared(&self) -> &Declared {
        &self.declared
    }

    /// The input's EXIF and XMP, from its header (read only when the output keeps them).
    pub fn metadata(&mut self) -> Metadata {
        let (exif, xmp) = match &mut self.decoder {
            Decoder::Jpeg(d) => (
                d.exif_data().map(<[u8]>::to_vec),
                d.xmp_data().map(<[u8]>::to_vec),
            ),
            #[cfg(any(feature = "avif-input", feature = "heic"))]
            Decoder::Heif(d, _) => return d.metadata(),
            #[cfg(feature = "jxl")]
            Decoder::Jxl(d) => (d.exif(), d.xmp()),
            // Unreadable metadata is no metadata: the pixels are what was asked for.
            Decoder::Other(d) => (
                d.exif_metadata().ok().flatten(),
                d.xmp_metadata().ok().flatten(),
            ),
        };
        Metadata::new(exif, xmp)
    }

    /// Decodes the pixels. `at_least` asks for a reduced decode that is still at least that
    /// large in both dimensions, where the format can do it cheaply (JPEG DCT scaling); the
    /// returned raster may be any size from `at_least` up to the stored size.
    ///
    /// Pixels that cannot wait for the smaller, resized raster are converted by `colour` here:
    /// CMYK (which the raster cannot hold) and 16-bit RGB (whose precision the 8-bit raster
    /// would lose). The flag says whether that happened; if not, the caller converts later.
    pub fn decode(self, at_least: Option<(u32, u32)>, colour: &Plan) -> Result<(Raster, bool)> {
        let format = self.info.format;
        let (raster, converted) = match self.decoder {
            Decoder::Jpeg(decoder) => decode_jpeg(*decoder, self.info, at_least, colour)?,
            #[cfg(any(feature = "avif-input", feature = "heic"))]
            Decoder::Heif(heif, max_pixels) => {
                from_dynamic(heif_image(heif.decode(max_pixels)?, format)?, colour)?
            }
            #[cfg(feature = "jxl")]
            Decoder::Jxl(jxl) => from_dynamic(jxl.decode()?, colour)?,
            Decoder::Other(decoder) => {
                let image =
                    DynamicImage::from_decoder(decoder).map_err(|e| image_error(format, e))?;
                from_dynamic(image, colour)?
            }
        };
        Ok((raster.drop_opaque_alpha(), converted))
    }

    /// [`Source::decode`], then [`resize::resize`] to `plan` (made for the image's `full`
    /// size). A YCbCr JPEG takes a shorter way: its planes are resized before they are
    /// converted to RGB ([`resize::resample_ycbcr`]), or, with `yuv420`, not converted at all
    /// ([`resize::resample_yuv420`]).
    pub fn decode_resized(
        self,
        at_least: Option<(u32, u32)>,
        colour: &Plan,
        full: (u32, u32),
        plan: &resize::Plan,
        filter: Filter,
        yuv420: bool,
    ) -> Result<Resized> {
        let mut decoder = match self.decoder {
            Decoder::Jpeg(decoder) if plan.resamples(full) => decoder,
            // Without a resize the decoder's own conversion (and chroma upsampling) is the
            // whole job.
            decoder => {
                let source = Source { decoder, ..self };
                let (raster, converted) = source.decode(at_least, colour)?;
                let raster = resize::resize(raster, full, plan, filter)?;
                return Ok(Resized::Rgb(raster, converted));
            }
        };
        scale_jpeg(&mut decoder, &self.info, at_least)?;
        let decoded = decoder.decode_planar().map_err(jpeg_error)?;
        let out = decoder
            .info()
            .ok_or_else(|| Error::decode(InputFormat::Jpeg, "no frame header"))?;
        let size = (u32::from(out.width), u32::from(out.height));
        Ok(match decoded {
            jpeg_decoder::Decoded::YCbCr(planes) if yuv420 => {
                Resized::Yuv420(resize::resample_yuv420(&planes, size, full, plan, filter)?)
            }
            jpeg_decoder::Decoded::YCbCr(planes) => Resized::Rgb(
                resize::resample_ycbcr(&planes, size, full, plan, filter)?,
                false,
            ),
            jpeg_decoder::Decoded::Pixels(pixels) => {
                let (raster, converted) = jpeg_raster(pixels, out, colour)?;
                Resized::Rgb(resize::resize(raster, full, plan, filter)?, converted)
            }
        })
    }
}

/// What [`Source::decode_resized`] gives.
pub enum Resized {
    /// The pixels, and whether their colour is converted already.
    Rgb(Raster, bool),
    /// A YCbCr JPEG's planes, when asked for: their colour is the source's.
    Yuv420(resize::Yuv420),
}

/// Refuses a declared size over `max_pixels`, naming it.
pub(crate) fn check_pixels(
    format: InputFormat,
    width: u32,
    height: u32,
    max_pixels: u64,
) -> Result<()> {
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(Error::too_many_pixels(
            format.label(),
            width,
            height,
            max_pixels,
        ));
    }
    Ok(())
}

/// Bytes the decoders may allocate for `max_pixels`: 16-bit RGBA plus working room.
pub(crate) fn alloc_limit(max_pixels: u64) -> u64 {
    max_pixels.saturating_mul(8).saturating_add(64 << 20)
}

/// The JPEG decoder's reader: `&[u8]`'s own `Read` and `BufRead`, with `consume` always
/// inlined. The patched decoder consumes once per block; std's `consume` for `&[u8]` stayed an
/// out-of-line call in the decoder's scan loop, 1.4% of a W1 call with the registers it clobbers.
pub(crate) struct JpegBytes<'a>(&'a [u8]);

impl std::io::Read for JpegBytes<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }

    fn read_exact(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
        self.0.read_exact(buf)
    }
}

impl std::io::BufRead for JpegBytes<'_> {
    #[inline(always)]
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Ok(self.0)
    }

    #[inline(always)]
    fn consume(&mut self, amount: usize) {
        self.0 = self.0.get(amount..).unwrap_or_default();
    }
}

fn open_jpeg(bytes: &[u8], max_pixels: u64) -> Result<Source<'_>> {
    let mut decoder = jpeg_decoder::Decoder::new(JpegBytes(bytes));
    decoder.set_max_decoding_buffer_size(
        usize::try_from(alloc_limit(max_pixels)).unwrap_or(usize::MAX),
    );
    decoder.read_info().map_err(jpeg_error)?;
    let info = decoder
        .info()
        .ok_or_else(|| Error::decode(InputFormat::Jpeg, "no frame header"))?;
    let orientation = decoder
        .exif_data()
        .and_then(image::metadata::Orientation::from_exif_chunk)
        .map_or(1, |o| o.to_exif());
    let bits_per_channel = match info.pixel_format {
        jpeg_decoder::PixelFormat::L16 => 16,
        _ => 8,
    };
    // Profiles split over several APP2 markers are joined by the decoder; one it cannot join
    // (a chunk missing) is no profile.
    let mut declared = decoder
        .icc_profile()
        .map(Declared::from_icc)
        .unwrap_or_default();
    // Ink without a CMYK profile is read through a standard one, as libvips reads it.
    if info.pixel_format == jpeg_decoder::PixelFormat::CMYK32 && !declared.is_cmyk() {
        declared = Declared::standard_cmyk();
    }
    Ok(Source {
        info: Info {
            format: InputFormat::Jpeg,
            width: u32::from(info.width),
            height: u32::from(info.height),
            orientation,
            has_alpha: false,
            bits_per_channel,
            frames: 1,
        },
        declared,
        decoder: Decoder::Jpeg(Box::new(decoder)),
    })
}

fn not_built(format: InputFormat) -> Error {
    Error::UnsupportedFormat(format!(
        "{} input is not built into this component",
        format.label()
    ))
}

fn open_heif(bytes: &[u8], format: InputFormat, max_pixels: u64) -> Result<Source<'_>> {
    let left_out = (format == InputFormat::Avif && !cfg!(feature = "avif-input"))
        || (format == InputFormat::Heic && !cfg!(feature = "heic"));
    if left_out {
        return Err(not_built(format));
    }
    #[cfg(any(feature = "avif-input", feature = "heic"))]
    {
        let heif = crate::heif::Heif::open(bytes, format, max_pixels)?;
        Ok(Source {
            info: Info {
                format,
                width: heif.width,
                height: heif.height,
                orientation: 1,
                has_alpha: heif.has_alpha,
                bits_per_channel: if heif.bit_depth > 8 { 16 } else { 8 },
                frames: 1,
            },
            declared: heif.declared(),
            decoder: Decoder::Heif(Box::new(heif), max_pixels),
        })
    }
    #[cfg(not(any(feature = "avif-input", feature = "heic")))]
    {
        let _ = (bytes, max_pixels);
        Err(not_built(format))
    }
}

/// heic-rs's packed samples as an image the rest of decoding takes.
#[cfg(any(feature = "avif-input", feature = "heic"))]
fn heif_image(image: heic_rs::Image, format: InputFormat) -> Result<DynamicImage> {
    use heic_rs::PixelLayout;
    use image::ImageBuffer;
    let (width, height) = (image.width, image.height);
    let wide = || -> Vec<u16> { crate::raster::u16_samples(&image.data).collect() };
    let decoded = match image.layout {
        PixelLayout::Rgb8 => {
            ImageBuffer::from_raw(width, height, image.data).map(DynamicImage::ImageRgb8)
        }
        PixelLayout::Rgba8 => {
            ImageBuffer::from_raw(width, height, image.data).map(DynamicImage::ImageRgba8)
        }
        PixelLayout::Rgb16 => {
            ImageBuffer::from_raw(width, height, wide()).map(DynamicImage::ImageRgb16)
        }
        PixelLayout::Rgba16 => {
            ImageBuffer::from_raw(width, height, wide()).map(DynamicImage::ImageRgba16)
        }
        _ => None,
    };
    decoded.ok_or_else(|| Error::decode(format, "decoded image has the wrong size"))
}

fn open_jxl(bytes: &[u8], max_pixels: u64) -> Result<Source<'_>> {
    #[cfg(feature = "jxl")]
    {
        // jxl-oxide keeps float planes while rendering: 4 channels of 4 bytes per pixel, twice.
        let max_bytes = max_pixels.saturating_mul(32).saturating_add(64 << 20);
        let jxl = crate::jxl::Jxl::open(bytes, max_pixels, max_bytes)?;
        Ok(Source {
            info: Info {
                format: InputFormat::Jxl,
                width: jxl.width,
                height: jxl.height,
                orientation: 1,
                has_alpha: jxl.has_alpha,
                bits_per_channel: jxl.bit_depth,
                frames: 1,
            },
            declared: jxl.declared(),
            decoder: Decoder::Jxl(Box::new(jxl)),
        })
    }
    #[cfg(not(feature = "jxl"))]
    {
        let _ = (bytes, max_pixels);
        Err(not_built(InputFormat::Jxl))
    }
}

fn open_other(bytes: &[u8], format: InputFormat) -> Result<Source<'_>> {
    let left_out = (format == InputFormat::Gif && !cfg!(feature = "gif"))
        || (format == InputFormat::Bmp && !cfg!(feature = "bmp"))
        || (format == InputFormat::Tiff && !cfg!(feature = "tiff"));
    if left_out {
        return Err(not_built(format));
    }
    let image_format = match format {
        InputFormat::Png => ImageFormat::Png,
        InputFormat::Webp => ImageFormat::WebP,
        InputFormat::Gif => ImageFormat::Gif,
        InputFormat::Bmp => ImageFormat::Bmp,
        InputFormat::Tiff => ImageFormat::Tiff,
        InputFormat::Jpeg => ImageFormat::Jpeg,
        InputFormat::Avif | InputFormat::Heic | InputFormat::Jxl => {
            return Err(not_built(format));
        }
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.no_limits();
    let mut decoder = reader.into_decoder().map_err(|e| image_error(format, e))?;
    let (width, height) = decoder.dimensions();
    // A missing or unreadable orientation is not an error: the image is shown as stored.
    let orientation = decoder.orientation().map_or(1, |o| o.to_exif());
    let color = decoder.color_type();
    // PNG's chunks are read by their own precedence, iCCP among them.
    let declared = if format == InputFormat::Png {
        png_declared(bytes)
    } else {
        match decoder.icc_profile() {
            Ok(Some(icc)) => Declared::from_icc(icc),
            _ => Declared::default(),
        }
    };
    Ok(Source {
        info: Info {
            format,
            width,
            height,
            orientation,
            has_alpha: color.has_alpha(),
            bits_per_channel: bits_per_channel(color),
            frames: 1,
        },
        declared,
        decoder: Decoder::Other(Box::new(decoder)),
    })
}

fn bits_per_channel(color: ColorType) -> u8 {
    let channels = color.channel_count().max(1);
    (color.bytes_per_pixel() / channels) * 8
}

/// PNG's colour, by the precedence PNG's third edition gives its chunks: cICP, then iCCP, then
/// sRGB, then cHRM with gAMA. None of them is sRGB; so is gAMA alone, as browsers and libvips
/// take it. cICP code points this cannot apply (HDR transfers) fall through to the next.
fn png_declared(bytes: &[u8]) -> Declared {
    let Ok(reader) = png::Decoder::new(Cursor::new(bytes)).read_info() else {
        return Declared::default();
    };
    let info = reader.info();
    if let Some(declared) = info
        .coding_independent_code_points
        .and_then(|cicp| crate::color::from_cicp(cicp.color_primaries, cicp.transfer_function))
    {
        return declared;
    }
    if let Some(icc) = &info.icc_profile {
        return Declared::from_icc(icc.to_vec());
    }
    if info.srgb.is_some() {
        return Declared::default();
    }
    match (info.gama_chunk, info.chrm_chunk) {
        (Some(gamma), Some(c)) => {
            let xy =
                |(x, y): (png::ScaledFloat, png::ScaledFloat)| (x.into_value(), y.into_value());
            let chromaticities = [xy(c.white), xy(c.red), xy(c.green), xy(c.blue)];
            crate::color::from_gamma_and_chromaticities(gamma.into_value(), chromaticities)
                .map_or_else(Declared::default, Declared::from_profile)
        }
        _ => Declared::default(),
    }
}

/// The decoded image as an 8-bit raster; a 16-bit RGB one is converted (by `colour`) before it
/// is reduced. The flag says whether it was converted.
fn from_dynamic(image: DynamicImage, colour: &Plan) -> Result<(Raster, bool)> {
    let (width, height) = (image.width(), image.height());
    let alpha = image.color().has_alpha();
    let wide = match &image {
        DynamicImage::ImageRgb16(rgb) => colour.convert_rgb16(rgb.as_raw(), false)?,
        DynamicImage::ImageRgba16(rgba) => colour.convert_rgb16(rgba.as_raw(), true)?,
        _ => None,
    };
    let converted = wide.is_some();
    let data = match wide {
        Some(data) => data,
        None if alpha => image.into_rgba8().into_raw(),
        None => image.into_rgb8().into_raw(),
    };
    Ok((
        Raster {
            width,
            height,
            alpha,
            data,
        },
        converted,
    ))
}

/// The smallest JPEG DCT scale (1/8, 1/4, 1/2, 1) whose output still covers `at_least`.
fn jpeg_scaled_size(width: u32, height: u32, at_least: (u32, u32)) -> (u32, u32) {
    for denominator in [8, 4, 2] {
        let (w, h) = (width.div_ceil(denominator), height.div_ceil(denominator));
        if w >= at_least.0 && h >= at_least.1 {
            return (w, h);
        }
    }
    (width, height)
}

fn decode_jpeg(
    mut decoder: jpeg_decoder::Decoder<JpegBytes<'_>>,
    info: Info,
    at_least: Option<(u32, u32)>,
    colour: &Plan,
) -> Result<(Raster, bool)> {
    scale_jpeg(&mut decoder, &info, at_least)?;
    let pixels = decoder.decode().map_err(jpeg_error)?;
    let out = decoder
        .info()
        .ok_or_else(|| Error::decode(InputFormat::Jpeg, "no frame header"))?;
    jpeg_raster(pixels, out, colour)
}

/// Asks the decoder for the smallest DCT scale that still covers `at_least`.
fn scale_jpeg(
    decoder: &mut jpeg_decoder::Decoder<JpegBytes<'_>>,
    info: &Info,
    at_least: Option<(u32, u32)>,
) -> Result<()> {
    if let Some(at_least) = at_least {
        let (w, h) = jpeg_scaled_size(info.width, info.height, at_least);
        if (w, h) != (info.width, info.height) {
            // Both fit in u16: they are at most the stored JPEG dimensions.
            let request = (
                u16::try_from(w).unwrap_or(u16::MAX),
                u16::try_from(h).unwrap_or(u16::MAX),
            );
            decoder.scale(request.0, request.1).map_err(jpeg_error)?;
        }
    }
    Ok(())
}

/// The raster of a decoded JPEG's interleaved pixels (`out` describes them); CMYK is
/// converted by `colour` here, as [`Source::decode`] says.
fn jpeg_raster(
    pixels: Vec<u8>,
    out: jpeg_decoder::ImageInfo,
    colour: &Plan,
) -> Result<(Raster, bool)> {
    let (width, height) = (u32::from(out.width), u32::from(out.height));
    let expected = width as usize * height as usize * out.pixel_format.pixel_bytes();
    if pixels.len() < expected {
        return Err(Error::decode(InputFormat::Jpeg, "premature end of data"));
    }
    if out.pixel_format == jpeg_decoder::PixelFormat::CMYK32
        && let Some(data) = colour.convert_cmyk(&pixels)?
    {
        let raster = Raster {
            width,
            height,
            alpha: false,
            data,
        };
        return Ok((raster, true));
    }
    let data = match out.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => pixels,
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
        jpeg_decoder::PixelFormat::L16 => pixels
            .chunks_exact(2)
            .flat_map(|p| {
                let l = p
                    .first()
                    .copied()
                    .zip(p.get(1).copied())
                    .map_or(0, |(a, b)| u16::from_ne_bytes([a, b]));
                let l = (l >> 8) as u8;
                [l, l, l]
            })
            .collect(),
        // Only when the CMYK profile gave no transform (every CMYK input has one, the
        // standard profile when it carries none): a plain conversion. The decoder has already
        // undone Adobe's inversion: these are ink amounts, 255 = full.
        jpeg_decoder::PixelFormat::CMYK32 => pixels
            .chunks_exact(4)
            .flat_map(|p| match *p {
                [c, m, y, k] => {
                    let white = 255 - u32::from(k);
                    let ch = |v: u8| (((255 - u32::from(v)) * white + 127) / 255) as u8;
                    [ch(c), ch(m), ch(y)]
                }
                _ => [0, 0, 0],
            })
            .collect(),
    };
    let raster = Raster {
        width,
        height,
        alpha: false,
        data,
    };
    Ok((raster, false))
}

fn jpeg_error(e: jpeg_decoder::Error) -> Error {
    match e {
        jpeg_decoder::Error::Unsupported(feature) => {
            Error::UnsupportedFormat(format!("decode JPEG: unsupported feature {feature:?}"))
        }
        jpeg_decoder::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Error::decode(InputFormat::Jpeg, "premature end of data")
        }
        jpeg_decoder::Error::Format(m) => Error::decode(InputFormat::Jpeg, m),
        other => Error::decode(InputFormat::Jpeg, other),
    }
}

fn image_error(format: InputFormat, e: ImageError) -> Error {
    match e {
        ImageError::Limits(limit) => Error::TooLarge {
            kind: crate::error::LimitKind::Dimensions,
            found: 0,
            limit: 0,
            width: 0,
            height: 0,
            message: format!("decode {}: {limit}", format.label()),
        },
        ImageError::Unsupported(u) => {
            Error::UnsupportedFormat(format!("decode {}: {u}", format.label()))
        }
        ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Error::decode(format, "premature end of data")
        }
        other => Error::decode(format, other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_magic() {
        assert_eq!(detect(b"\xFF\xD8\xFF\xE0rest").unwrap(), InputFormat::Jpeg);
        assert_eq!(detect(b"GIF89a....").unwrap(), InputFormat::Gif);
        assert_eq!(detect(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), InputFormat::Webp);
        assert_eq!(detect(b"").unwrap_err(), Error::EmptyInput);
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0";
        assert_eq!(detect(avif).unwrap(), InputFormat::Avif);
        // A `mif1` file says what it holds in its compatible brands.
        let heic = b"\0\0\0\x18ftypmif1\0\0\0\0mif1heic";
        assert_eq!(detect(heic).unwrap(), InputFormat::Heic);
        assert_eq!(detect(b"\xFF\x0A\xFA").unwrap(), InputFormat::Jxl);
        assert_eq!(
            detect(b"\0\0\0\x0cJXL \r\n\x87\n\0\0").unwrap(),
            InputFormat::Jxl
        );
        let mp4 = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2";
        assert!(detect(mp4).unwrap_err().message().contains("`isom`"));
        assert!(
            detect(b"hello world")
                .unwrap_err()
                .message()
                .contains("68 65 6c")
        );
    }

    #[test]
    fn declared_sizes() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend([0, 1, 0, 0, 0, 1, 0, 0]);
        assert_eq!(declared_size(&png, InputFormat::Png), Some((65536, 65536)));
        assert_eq!(
            declared_size(b"GIF89a\x10\x00\x20\x00", InputFormat::Gif),
            Some((16, 32))
        );
        assert_eq!(declared_size(b"GIF89a\x10", InputFormat::Gif), None);
    }

    #[test]
    fn jpeg_scale_keeps_target_covered() {
        // sharp's benchmark image to 720x588: 1/4 would give 682x557, too small.
        assert_eq!(jpeg_scaled_size(2725, 2225, (720, 588)), (1363, 1113));
        assert_eq!(jpeg_scaled_size(2725, 2225, (300, 200)), (341, 279));
        assert_eq!(jpeg_scaled_size(2725, 2225, (2725, 2225)), (2725, 2225));
        assert_eq!(jpeg_scaled_size(16, 16, (1, 1)), (2, 2));
    }
}

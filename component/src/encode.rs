//! Output: JPEG (jpeg-encoder), PNG (png via image), WebP lossy (libwebp) and lossless
//! (image-webp), AVIF (ravif/rav1e), GIF (the gif crate, through [`crate::animation`]). Every
//! encoder gets 8-bit RGB or RGBA, lossy WebP also a JPEG's own YCbCr planes, and writes the
//! metadata it is given (a colour profile, EXIF, XMP) and nothing else; GIF has room for none
//! of it.

use crate::error::{Error, Result};
use crate::metadata::{self, EXIF_HEADER, Embedded, XMP_HEADER};
use crate::options::{ChromaSubsampling, OptionName, OutputFormat};
use crate::raster::Raster;
use crate::resize::Yuv420;

/// The default `effort` of WebP (still and animated): libwebp's method 4, its own default and
/// sharp's.
const DEFAULT_EFFORT: u8 = 4;

/// The default `effort` of AVIF: rav1e's speed 7. At the file size of sharp's default AVIF, a
/// 1920x1200 photo loses 0.13 dB of PSNR against speed 6 (effort 4) and takes 0.7 of its time
/// (bench/README.md, W7); speed 8 gave the same bytes at that quality.
#[cfg(feature = "avif")]
const DEFAULT_AVIF_EFFORT: u8 = 3;

/// How the encoders are asked to encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// 1-100, for JPEG, lossy WebP and AVIF.
    pub quality: u8,
    /// JPEG only.
    pub progressive: bool,
    /// JPEG, WebP and AVIF; `None` is the format's default.
    pub chroma: Option<ChromaSubsampling>,
    /// 0-9, WebP, AVIF and PNG; `None` is the format's default.
    pub effort: Option<u8>,
    /// JPEG only: Huffman tables made for the image.
    pub optimize: bool,
}

impl Settings {
    /// `quality`, with the other settings' defaults.
    pub fn quality(quality: u8) -> Settings {
        Settings {
            quality,
            progressive: false,
            chroma: None,
            effort: None,
            optimize: false,
        }
    }

    /// `effort`, or WebP's default (AVIF has its own, `DEFAULT_AVIF_EFFORT`).
    pub fn effort(self) -> u8 {
        self.effort.unwrap_or(DEFAULT_EFFORT)
    }
}

/// The pixels an encoder is given.
#[derive(Debug, Clone, Copy)]
pub enum Picture<'a> {
    Rgb(&'a Raster),
    /// For lossy WebP only, which encodes YCbCr 4:2:0 itself: a JPEG's planes, resized.
    Yuv420(&'a Yuv420),
}

impl<'a> Picture<'a> {
    pub fn size(self) -> (u32, u32) {
        match self {
            Picture::Rgb(raster) => (raster.width, raster.height),
            Picture::Yuv420(planes) => (planes.width, planes.height),
        }
    }

    /// The RGB(A) pixels, for every encoder but lossy WebP's.
    fn rgb(self, format: OutputFormat) -> Result<&'a Raster> {
        match self {
            Picture::Rgb(raster) => Ok(raster),
            // The pipeline makes planes for lossy WebP only.
            Picture::Yuv420(_) => Err(Error::encode(format, "given YCbCr planes instead of RGB")),
        }
    }
}

/// Encodes `picture` as `format`, carrying `extra`. JPEG input must already be flattened (no
/// alpha).
pub fn encode(
    picture: Picture<'_>,
    format: OutputFormat,
    settings: Settings,
    extra: Embedded<'_>,
) -> Result<Vec<u8>> {
    match format {
        OutputFormat::Jpeg => jpeg(picture.rgb(format)?, settings, extra),
        OutputFormat::Png => png(picture.rgb(format)?, settings, extra),
        OutputFormat::Webp => {
            let webp = match picture {
                Picture::Rgb(raster) => webp_lossy(raster, settings)?,
                Picture::Yuv420(planes) => webp_yuv420(planes, settings)?,
            };
            if extra.icc.is_none() && extra.exif.is_none() && extra.xmp.is_none() {
                Ok(webp)
            } else {
                let (width, height) = picture.size();
                metadata::webp_with(&webp, extra, width, height)
            }
        }
        OutputFormat::WebpLossless => webp_lossless(picture.rgb(format)?, extra),
        OutputFormat::Avif => avif(picture.rgb(format)?, settings, extra),
        // GIF keeps no metadata here; the colour plan asks for no profile with GIF.
        #[cfg(feature = "gif")]
        OutputFormat::Gif => crate::animation::gif_still(picture.rgb(format)?),
        #[cfg(not(feature = "gif"))]
        OutputFormat::Gif => Err(Error::UnsupportedFormat(
            "GIF output is not built into this component".into(),
        )),
    }
}

/// [`encode`], at the highest quality up to `settings.quality` whose output is at most
/// `max_bytes` long (a binary search: at most 7 more encodes). Lossless formats have no
/// quality to give up: they fit or are refused.
pub fn encode_within(
    picture: Picture<'_>,
    format: OutputFormat,
    settings: Settings,
    extra: Embedded<'_>,
    max_bytes: Option<u64>,
) -> Result<Vec<u8>> {
    let first = encode(picture, format, settings, extra)?;
    let Some(max) = max_bytes else {
        return Ok(first);
    };
    let fits = |bytes: &[u8]| bytes.len() as u64 <= max;
    if fits(&first) {
        return Ok(first);
    }
    let refuse = |smallest: usize, how: &str| {
        Error::invalid(
            OptionName::MaxBytes,
            format!(
                "{max} bytes cannot hold this {}x{} image as {}: {how} it takes {smallest} bytes",
                picture.size().0,
                picture.size().1,
                format.label()
            ),
        )
    };
    if matches!(
        format,
        OutputFormat::Png | OutputFormat::WebpLossless | OutputFormat::Gif
    ) {
        return Err(refuse(first.len(), "lossless,"));
    }
    let (mut low, mut high) = (1u8, settings.quality.saturating_sub(1));
    let mut best = None;
    let mut smallest = first.len();
    while low <= high {
        let quality = low + (high - low) / 2;
        let out = encode(
            picture,
            format,
            Settings {
                quality,
                ..settings
            },
            extra,
        )?;
        smallest = smallest.min(out.len());
        if fits(&out) {
            best = Some(out);
            low = quality + 1;
        } else if quality == 1 {
            break;
        } else {
            high = quality - 1;
        }
    }
    best.ok_or_else(|| refuse(smallest, "at quality 1"))
}

/// The pipeline refuses such a request before decoding (`too-large`); this keeps an encoder
/// from ever being handed what its header cannot store.
fn check_dimensions(raster: &Raster, format: OutputFormat) -> Result<()> {
    let max = format.max_dimension();
    if raster.width > max || raster.height > max {
        return Err(Error::too_large_for(format, raster.width, raster.height));
    }
    Ok(())
}

fn jpeg(raster: &Raster, settings: Settings, extra: Embedded<'_>) -> Result<Vec<u8>> {
    check_dimensions(raster, OutputFormat::Jpeg)?;
    let (w, h) = (
        u16::try_from(raster.width).unwrap_or(u16::MAX),
        u16::try_from(raster.height).unwrap_or(u16::MAX),
    );
    let color = if raster.alpha {
        jpeg_encoder::ColorType::Rgba
    } else {
        jpeg_encoder::ColorType::Rgb
    };
    let mut out = Vec::with_capacity(raster.data.len() / 8);
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, settings.quality);
    // 4:2:0 by default, as sharp/libvips write, so sizes compare.
    encoder.set_sampling_factor(match settings.chroma.unwrap_or_default() {
        ChromaSubsampling::Yuv420 => jpeg_encoder::SamplingFactor::F_2_2,
        ChromaSubsampling::Yuv444 => jpeg_encoder::SamplingFactor::F_1_1,
    });
    encoder.set_progressive(settings.progressive);
    // Our patch writes optimised tables in one interleaved scan: the published crate's scan per
    // component is misread by zune-jpeg 0.5 (the `image` crate's decoder).
    encoder.set_optimized_huffman_tables_interleaved(settings.optimize);
    if let Some(icc) = extra.icc {
        encoder
            .add_icc_profile(icc)
            .map_err(|e| Error::encode(OutputFormat::Jpeg, e))?;
    }
    // One APP1 segment each, up to 64 KiB: a larger EXIF or XMP (possible in PNG or WebP
    // input) is left out rather than split in ways few readers join.
    for (header, data) in [(EXIF_HEADER, extra.exif), (XMP_HEADER, extra.xmp)] {
        if let Some(data) = data {
            let _too_large = encoder.add_app_segment(1, [header, data].concat());
        }
    }
    encoder
        .encode(&raster.data, w, h, color)
        .map_err(|e| Error::encode(OutputFormat::Jpeg, e))?;
    Ok(out)
}

fn png(raster: &Raster, settings: Settings, extra: Embedded<'_>) -> Result<Vec<u8>> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let color = if raster.alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let compression = match settings.effort {
        Some(0..=2) => CompressionType::Fast,
        Some(7..) => CompressionType::Best,
        _ => CompressionType::Default,
    };
    let mut encoder = PngEncoder::new_with_quality(&mut out, compression, FilterType::Adaptive);
    if let Some(icc) = extra.icc {
        encoder
            .set_icc_profile(icc.to_vec())
            .map_err(|e| Error::encode(OutputFormat::Png, e))?;
    }
    if let Some(exif) = extra.exif {
        encoder
            .set_exif_metadata(exif.to_vec())
            .map_err(|e| Error::encode(OutputFormat::Png, e))?;
    }
    encoder
        .write_image(&raster.data, raster.width, raster.height, color)
        .map_err(|e| Error::encode(OutputFormat::Png, e))?;
    // The png crate writes no XMP: it goes in an iTXt chunk of its own.
    match extra.xmp {
        Some(xmp) => metadata::png_with_xmp(out, xmp),
        None => Ok(out),
    }
}

#[cfg(any(not(feature = "webp-lossy"), not(feature = "avif")))]
fn not_built(format: OutputFormat) -> Error {
    Error::UnsupportedFormat(format!(
        "{} output is not built into this component",
        format.label()
    ))
}

#[cfg(not(feature = "webp-lossy"))]
fn webp_lossy(_: &Raster, _: Settings) -> Result<Vec<u8>> {
    Err(not_built(OutputFormat::Webp))
}

#[cfg(not(feature = "avif"))]
fn avif(_: &Raster, _: Settings, _: Embedded<'_>) -> Result<Vec<u8>> {
    Err(not_built(OutputFormat::Avif))
}

/// libwebp's settings for `settings`.
#[cfg(feature = "webp-lossy")]
fn webp_config(settings: Settings) -> Result<libwebp_sys::WebPConfig> {
    let mut config = crate::libwebp::config(settings.quality, settings.effort())
        .ok_or_else(|| Error::encode(OutputFormat::Webp, "libwebp config"))?;
    // Lossy WebP is 4:2:0 by definition; asked for full-resolution colour, the closest it has
    // is libwebp's sharper RGB to YUV conversion.
    config.use_sharp_yuv = i32::from(settings.chroma == Some(ChromaSubsampling::Yuv444));
    Ok(config)
}

/// `picture` encoded as lossy WebP with `settings`.
#[cfg(feature = "webp-lossy")]
fn webp_encode(picture: &mut crate::libwebp::Picture, settings: Settings) -> Result<Vec<u8>> {
    picture
        .encode(&webp_config(settings)?)
        .map_err(|code| Error::encode(OutputFormat::Webp, format!("{code:?}")))
}

#[cfg(feature = "webp-lossy")]
fn webp_lossy(raster: &Raster, settings: Settings) -> Result<Vec<u8>> {
    check_dimensions(raster, OutputFormat::Webp)?;
    let mut picture = crate::libwebp::Picture::import(raster)
        .ok_or_else(|| Error::encode(OutputFormat::Webp, "libwebp could not import the picture"))?;
    webp_encode(&mut picture, settings)
}

/// Lossy WebP from a JPEG's resized planes: libwebp takes them as its own picture, in its
/// studio range (luma 16-235, chroma 16-240, the same BT.601 matrix as JPEG's full range), so
/// nothing is converted through RGB and back.
#[cfg(feature = "webp-lossy")]
fn webp_yuv420(planes: &Yuv420, settings: Settings) -> Result<Vec<u8>> {
    let (luma, chroma) = (studio(219, 0, 16), studio(224, 128, 128));
    let fail = |what: &str| Error::encode(OutputFormat::Webp, what);
    let (width, height) = (planes.width as usize, planes.height as usize);
    if planes.width > OutputFormat::Webp.max_dimension()
        || planes.height > OutputFormat::Webp.max_dimension()
    {
        return Err(Error::too_large_for(
            OutputFormat::Webp,
            planes.width,
            planes.height,
        ));
    }
    let (chroma_w, chroma_h) = (width.div_ceil(2), height.div_ceil(2));
    if planes.y.len() < width * height
        || planes.cb.len() < chroma_w * chroma_h
        || planes.cr.len() < chroma_w * chroma_h
    {
        return Err(fail("planes smaller than their size"));
    }
    let mut picture = crate::libwebp::Picture::yuv420(planes.width, planes.height)
        .ok_or_else(|| fail("libwebp could not allocate the picture"))?;
    let copy = |to: *mut u8, stride: i32, from: &[u8], w: usize, h: usize, table: &[u8; 256]| {
        let stride = usize::try_from(stride).unwrap_or(0);
        for (row, samples) in from.chunks_exact(w).take(h).enumerate() {
            // SAFETY: libwebp allocated `h` rows of `stride >= w` bytes at `to`.
            let line = unsafe { std::slice::from_raw_parts_mut(to.add(row * stride), w) };
            for (out, &v) in line.iter_mut().zip(samples) {
                *out = table.get(usize::from(v)).copied().unwrap_or_default();
            }
        }
    };
    let p = &picture.0;
    copy(p.y, p.y_stride, &planes.y, width, height, &luma);
    copy(p.u, p.uv_stride, &planes.cb, chroma_w, chroma_h, &chroma);
    copy(p.v, p.uv_stride, &planes.cr, chroma_w, chroma_h, &chroma);
    webp_encode(&mut picture, settings)
}

/// Full range to studio range, rounded: 255 levels onto `span` (219 for luma, 224 for chroma),
/// `centre` going to `to`.
#[cfg(feature = "webp-lossy")]
fn studio(span: i32, centre: i32, to: i32) -> [u8; 256] {
    std::array::from_fn(|v| {
        let d = (v as i32 - centre) * span;
        // Rounded half away from zero, so that the mapping is symmetric about `centre`.
        let q = if d >= 0 {
            (d + 127) / 255
        } else {
            (d - 127) / 255
        };
        (q + to) as u8
    })
}

#[cfg(not(feature = "webp-lossy"))]
fn webp_yuv420(_: &Yuv420, _: Settings) -> Result<Vec<u8>> {
    Err(not_built(OutputFormat::Webp))
}

fn webp_lossless(raster: &Raster, extra: Embedded<'_>) -> Result<Vec<u8>> {
    check_dimensions(raster, OutputFormat::WebpLossless)?;
    let mut out = Vec::new();
    let color = if raster.alpha {
        image_webp::ColorType::Rgba8
    } else {
        image_webp::ColorType::Rgb8
    };
    let mut encoder = image_webp::WebPEncoder::new(&mut out);
    if let Some(icc) = extra.icc {
        encoder.set_icc_profile(icc.to_vec());
    }
    if let Some(exif) = extra.exif {
        encoder.set_exif_metadata(exif.to_vec());
    }
    if let Some(xmp) = extra.xmp {
        encoder.set_xmp_metadata(xmp.to_vec());
    }
    encoder
        .encode(&raster.data, raster.width, raster.height, color)
        .map_err(|e| Error::encode(OutputFormat::WebpLossless, e))?;
    Ok(out)
}

#[cfg(feature = "avif")]
fn avif(raster: &Raster, settings: Settings, extra: Embedded<'_>) -> Result<Vec<u8>> {
    use rgb::FromSlice;
    // rav1e's speed: 10 fastest, 1 slowest. Speed 1 gains a percent on speed 2 at more than
    // twice the time (a 720x588 photo passed 30 s in wasm), so effort 9 is speed 2.
    let speed = (10 - settings.effort.unwrap_or(DEFAULT_AVIF_EFFORT)).max(2);
    // ravif writes full-resolution colour only; 4:2:0 is our own call of its encoder.
    if settings.chroma == Some(ChromaSubsampling::Yuv420) {
        return crate::avif::encode_420(raster, settings.quality, speed, extra);
    }
    let quality = f32::from(settings.quality);
    let mut encoder = ravif::Encoder::new()
        .with_quality(quality)
        .with_alpha_quality(quality)
        .with_speed(speed);
    // The vendored ravif's additions (component/vendor/ravif/PATCHES.md) for the profile and XMP.
    if let Some(icc) = extra.icc {
        encoder = encoder.with_icc_profile(icc);
    }
    if let Some(exif) = extra.exif {
        encoder = encoder.with_exif(exif);
    }
    if let Some(xmp) = extra.xmp {
        encoder = encoder.with_xmp(xmp);
    }
    let (w, h) = (raster.width as usize, raster.height as usize);
    let encoded = if raster.alpha {
        encoder.encode_rgba(ravif::Img::new(raster.data.as_rgba(), w, h))
    } else {
        encoder.encode_rgb(ravif::Img::new(raster.data.as_rgb(), w, h))
    };
    encoded
        .map(|e| e.avif_file)
        .map_err(|e| Error::encode(OutputFormat::Avif, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(alpha: bool) -> Raster {
        let (w, h) = (64u32, 48u32);
        let mut data = Vec::new();
        for y in 0..h {
            for x in 0..w {
                data.extend([(x * 4) as u8, (y * 5) as u8, 100]);
                if alpha {
                    data.push(255);
                }
            }
        }
        Raster {
            width: w,
            height: h,
            alpha,
            data,
        }
    }

    #[test]
    fn jpeg_round_trips() {
        let src = gradient(false);
        let out = encode(
            Picture::Rgb(&src),
            OutputFormat::Jpeg,
            Settings::quality(95),
            Embedded::default(),
        )
        .unwrap();
        let mut d = jpeg_decoder::Decoder::new(&out[..]);
        let px = d.decode().unwrap();
        let max = px
            .iter()
            .zip(&src.data)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        assert!(max < 12, "max difference {max}");
    }
}

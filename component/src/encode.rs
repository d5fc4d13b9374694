//! Output: JPEG (jpeg-encoder), PNG (png via image), WebP lossy (libwebp) and lossless
//! (image-webp), AVIF (ravif/rav1e). Every encoder gets 8-bit RGB or RGBA; the only metadata
//! written is the colour profile the colour plan asks for.

use crate::error::{Error, Result};
use crate::options::OutputFormat;
use crate::raster::Raster;

/// rav1e speed preset (1 slowest .. 10 fastest): 6 keeps AVIF encoding to a few hundred
/// milliseconds for a web-sized image on one core, at a small cost in size.
#[cfg(feature = "avif")]
const AVIF_SPEED: u8 = 6;

/// Encodes `raster` as `format`, carrying the ICC profile `icc` when given. JPEG input must
/// already be flattened (no alpha).
pub fn encode(
    raster: &Raster,
    format: OutputFormat,
    quality: u8,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>> {
    match format {
        OutputFormat::Jpeg => jpeg(raster, quality, icc),
        OutputFormat::Png => png(raster, icc),
        OutputFormat::Webp => {
            let webp = webp_lossy(raster, quality)?;
            match icc {
                Some(icc) => webp_with_icc(&webp, icc, raster),
                None => Ok(webp),
            }
        }
        OutputFormat::WebpLossless => webp_lossless(raster, icc),
        // ravif writes no colour profile; the colour plan asks for none with AVIF.
        OutputFormat::Avif => avif(raster, quality),
    }
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

fn jpeg(raster: &Raster, quality: u8, icc: Option<&[u8]>) -> Result<Vec<u8>> {
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
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    // 4:2:0 as sharp/libvips write by default, so sizes compare. Optimised Huffman tables would
    // save ~5%, but jpeg-encoder 0.7's are misread by zune-jpeg 0.5 (the image crate's decoder),
    // so a Rust consumer of our output would see garbage: interoperability first.
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    if let Some(icc) = icc {
        encoder
            .add_icc_profile(icc)
            .map_err(|e| Error::encode(OutputFormat::Jpeg, e))?;
    }
    encoder
        .encode(&raster.data, w, h, color)
        .map_err(|e| Error::encode(OutputFormat::Jpeg, e))?;
    Ok(out)
}

fn png(raster: &Raster, icc: Option<&[u8]>) -> Result<Vec<u8>> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let color = if raster.alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let mut encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive);
    if let Some(icc) = icc {
        encoder
            .set_icc_profile(icc.to_vec())
            .map_err(|e| Error::encode(OutputFormat::Png, e))?;
    }
    encoder
        .write_image(&raster.data, raster.width, raster.height, color)
        .map_err(|e| Error::encode(OutputFormat::Png, e))?;
    Ok(out)
}

#[cfg(any(not(feature = "webp-lossy"), not(feature = "avif")))]
fn not_built(format: OutputFormat) -> Error {
    Error::UnsupportedFormat(format!(
        "{} output is not built into this component",
        format.label()
    ))
}

#[cfg(not(feature = "webp-lossy"))]
fn webp_lossy(_: &Raster, _: u8) -> Result<Vec<u8>> {
    Err(not_built(OutputFormat::Webp))
}

#[cfg(not(feature = "avif"))]
fn avif(_: &Raster, _: u8) -> Result<Vec<u8>> {
    Err(not_built(OutputFormat::Avif))
}

#[cfg(feature = "webp-lossy")]
fn webp_lossy(raster: &Raster, quality: u8) -> Result<Vec<u8>> {
    check_dimensions(raster, OutputFormat::Webp)?;
    let encoder = if raster.alpha {
        webp::Encoder::from_rgba(&raster.data, raster.width, raster.height)
    } else {
        webp::Encoder::from_rgb(&raster.data, raster.width, raster.height)
    };
    let mut config = webp::WebPConfig::new()
        .map_err(|()| Error::encode(OutputFormat::Webp, "libwebp config"))?;
    config.quality = f32::from(quality);
    config.method = 4;
    let memory = encoder
        .encode_advanced(&config)
        .map_err(|e| Error::encode(OutputFormat::Webp, format!("{e:?}")))?;
    Ok(memory.to_vec())
}

fn webp_lossless(raster: &Raster, icc: Option<&[u8]>) -> Result<Vec<u8>> {
    check_dimensions(raster, OutputFormat::WebpLossless)?;
    let mut out = Vec::new();
    let color = if raster.alpha {
        image_webp::ColorType::Rgba8
    } else {
        image_webp::ColorType::Rgb8
    };
    let mut encoder = image_webp::WebPEncoder::new(&mut out);
    if let Some(icc) = icc {
        encoder.set_icc_profile(icc.to_vec());
    }
    encoder
        .encode(&raster.data, raster.width, raster.height, color)
        .map_err(|e| Error::encode(OutputFormat::WebpLossless, e))?;
    Ok(out)
}

#[cfg(feature = "avif")]
fn avif(raster: &Raster, quality: u8) -> Result<Vec<u8>> {
    use rgb::FromSlice;
    let encoder = ravif::Encoder::new()
        .with_quality(f32::from(quality))
        .with_alpha_quality(f32::from(quality))
        .with_speed(AVIF_SPEED);
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

/// `webp` (as libwebp wrote it: a simple VP8 file, or an extended one when it has alpha) with
/// an ICCP chunk: the extended header (VP8X) gets the ICC flag, and the chunk follows it, as
/// the container specification orders them.
fn webp_with_icc(webp: &[u8], icc: &[u8], raster: &Raster) -> Result<Vec<u8>> {
    let malformed = || Error::encode(OutputFormat::Webp, "libwebp wrote no RIFF container");
    let chunks = webp
        .get(12..)
        .filter(|_| webp.starts_with(b"RIFF") && webp.get(8..12) == Some(b"WEBP"))
        .ok_or_else(malformed)?;
    const ICC_FLAG: u8 = 0x20;
    let mut out = Vec::with_capacity(webp.len() + icc.len() + 40);
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let rest = if chunks.starts_with(b"VP8X") {
        // Tag, length (10), flags, 3 reserved bytes, canvas width and height (24 bits each).
        let length = chunks
            .get(4..8)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
            .ok_or_else(malformed)?;
        let end = usize::try_from(length).map_err(|_| malformed())? + 8;
        let (header, rest) = chunks.split_at_checked(end).ok_or_else(malformed)?;
        out.extend_from_slice(header);
        if let Some(flags) = out.get_mut(20) {
            *flags |= ICC_FLAG;
        }
        rest
    } else {
        // A simple file has no alpha chunk (libwebp writes VP8X when there is alpha to keep),
        // so the only flag is the profile's.
        out.extend_from_slice(b"VP8X");
        out.extend_from_slice(&10u32.to_le_bytes());
        out.extend_from_slice(&[ICC_FLAG, 0, 0, 0]);
        for side in [raster.width, raster.height] {
            let minus_one = side.saturating_sub(1).to_le_bytes();
            out.extend_from_slice(minus_one.get(..3).ok_or_else(malformed)?);
        }
        chunks
    };
    let length = u32::try_from(icc.len())
        .map_err(|_| Error::encode(OutputFormat::Webp, "ICC profile over 4 GiB"))?;
    out.extend_from_slice(b"ICCP");
    out.extend_from_slice(&length.to_le_bytes());
    out.extend_from_slice(icc);
    if icc.len() % 2 == 1 {
        out.push(0);
    }
    out.extend_from_slice(rest);
    let riff = u32::try_from(out.len() - 8)
        .map_err(|_| Error::encode(OutputFormat::Webp, "file over 4 GiB"))?;
    if let Some(size) = out.get_mut(4..8) {
        size.copy_from_slice(&riff.to_le_bytes());
    }
    Ok(out)
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
        let out = encode(&src, OutputFormat::Jpeg, 95, None).unwrap();
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

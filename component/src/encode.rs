//! Output: JPEG (jpeg-encoder), PNG (png via image), WebP lossy (libwebp) and lossless
//! (image-webp), AVIF (ravif/rav1e). Every encoder gets 8-bit RGB or RGBA and writes no metadata.

use crate::error::{Error, Result};
use crate::options::OutputFormat;
use crate::raster::Raster;

/// Largest width or height WebP can store.
const WEBP_MAX_DIMENSION: u32 = 16_383;
/// Largest width or height JPEG can store.
const JPEG_MAX_DIMENSION: u32 = 65_535;
/// rav1e speed preset (1 slowest .. 10 fastest): 6 keeps AVIF encoding to a few hundred
/// milliseconds for a web-sized image on one core, at a small cost in size.
#[cfg(feature = "avif")]
const AVIF_SPEED: u8 = 6;

/// Encodes `raster` as `format`. JPEG input must already be flattened (no alpha).
pub fn encode(raster: &Raster, format: OutputFormat, quality: u8) -> Result<Vec<u8>> {
    match format {
        OutputFormat::Jpeg => jpeg(raster, quality),
        OutputFormat::Png => png(raster),
        OutputFormat::WebP => webp_lossy(raster, quality),
        OutputFormat::WebPLossless => webp_lossless(raster),
        OutputFormat::Avif => avif(raster, quality),
    }
}

fn check_dimensions(raster: &Raster, format: &str, max: u32) -> Result<()> {
    if raster.width > max || raster.height > max {
        return Err(Error::encode(
            format,
            format!(
                "{}x{} exceeds the format's largest dimension of {max}",
                raster.width, raster.height
            ),
        ));
    }
    Ok(())
}

fn jpeg(raster: &Raster, quality: u8) -> Result<Vec<u8>> {
    check_dimensions(raster, "JPEG", JPEG_MAX_DIMENSION)?;
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
    encoder
        .encode(&raster.data, w, h, color)
        .map_err(|e| Error::encode("JPEG", e))?;
    Ok(out)
}

fn png(raster: &Raster) -> Result<Vec<u8>> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let color = if raster.alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
        .write_image(&raster.data, raster.width, raster.height, color)
        .map_err(|e| Error::encode("PNG", e))?;
    Ok(out)
}

#[cfg(any(not(feature = "webp-lossy"), not(feature = "avif")))]
fn not_built(what: &str) -> Error {
    Error::UnsupportedFormat(format!("{what} output is not built into this component"))
}

#[cfg(not(feature = "webp-lossy"))]
fn webp_lossy(_: &Raster, _: u8) -> Result<Vec<u8>> {
    Err(not_built("lossy WebP"))
}

#[cfg(not(feature = "avif"))]
fn avif(_: &Raster, _: u8) -> Result<Vec<u8>> {
    Err(not_built("AVIF"))
}

#[cfg(feature = "webp-lossy")]
fn webp_lossy(raster: &Raster, quality: u8) -> Result<Vec<u8>> {
    check_dimensions(raster, "WebP", WEBP_MAX_DIMENSION)?;
    let encoder = if raster.alpha {
        webp::Encoder::from_rgba(&raster.data, raster.width, raster.height)
    } else {
        webp::Encoder::from_rgb(&raster.data, raster.width, raster.height)
    };
    let mut config =
        webp::WebPConfig::new().map_err(|()| Error::encode("WebP", "libwebp config"))?;
    config.quality = f32::from(quality);
    config.method = 4;
    let memory = encoder
        .encode_advanced(&config)
        .map_err(|e| Error::encode("WebP", format!("{e:?}")))?;
    Ok(memory.to_vec())
}

fn webp_lossless(raster: &Raster) -> Result<Vec<u8>> {
    check_dimensions(raster, "WebP", WEBP_MAX_DIMENSION)?;
    let mut out = Vec::new();
    let color = if raster.alpha {
        image_webp::ColorType::Rgba8
    } else {
        image_webp::ColorType::Rgb8
    };
    image_webp::WebPEncoder::new(&mut out)
        .encode(&raster.data, raster.width, raster.height, color)
        .map_err(|e| Error::encode("WebP", e))?;
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
        .map_err(|e| Error::encode("AVIF", e))
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
        let out = encode(&src, OutputFormat::Jpeg, 95).unwrap();
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

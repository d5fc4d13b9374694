//! AVIF with colour at half resolution (4:2:0), which ravif (the 4:4:4 path, in `encode`) does
//! not write: RGB to YCbCr as ravif converts it (BT.601 matrix, full range), the chroma averaged
//! over 2x2 pixels, then rav1e and avif-serialize (ravif's own encoder and container writer)
//! called directly. Alpha, when present, is a second, monochrome AV1 image, as AVIF stores it.
//!
//! Samples are 10-bit, as ravif writes by default: besides the finer steps, rav1e is then
//! compiled for one sample type only (its 8-bit instance would add about 370 KB to the component).

use avif_serialize::Aviffy;
use avif_serialize::constants::MatrixCoefficients as AvifMatrix;
use rav1e::prelude::{
    ChromaSamplePosition, ChromaSampling, ColorDescription, ColorPrimaries, Config, EncoderConfig,
    EncoderStatus, MatrixCoefficients, PixelRange, TransferCharacteristics,
};

use crate::error::{Error, Result};
use crate::metadata::Embedded;
use crate::options::OutputFormat;
use crate::raster::Raster;

/// BT.601's weights of red and blue in luma (green's is the rest).
const KR: f32 = 0.299;
const KB: f32 = 0.114;

/// Encodes `raster` as AVIF with 4:2:0 chroma at `quality` (1-100) and rav1e `speed` (1-10),
/// carrying `extra`.
pub fn encode_420(raster: &Raster, quality: u8, speed: u8, extra: Embedded<'_>) -> Result<Vec<u8>> {
    let (w, h) = (raster.width as usize, raster.height as usize);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let channels = raster.channels();
    let pixel = |x: usize, y: usize| {
        let at = (y * w + x) * channels;
        match raster.data.get(at..at + 3) {
            Some(&[r, g, b]) => [r, g, b].map(f32::from),
            _ => [0.0; 3],
        }
    };
    let mut luma = vec![0u16; w * h];
    let (mut cb, mut cr) = (vec![0u16; cw * ch], vec![0u16; cw * ch]);
    for (cy, (cb_row, cr_row)) in cb
        .chunks_exact_mut(cw)
        .zip(cr.chunks_exact_mut(cw))
        .enumerate()
    {
        for (cx, (cb_out, cr_out)) in cb_row.iter_mut().zip(cr_row.iter_mut()).enumerate() {
            let (mut sum_b, mut sum_r, mut n) = (0.0f32, 0.0f32, 0.0f32);
            for y in (cy * 2)..(cy * 2 + 2).min(h) {
                for x in (cx * 2)..(cx * 2 + 2).min(w) {
                    let [r, g, b] = pixel(x, y);
                    let yv = KR * r + (1.0 - KR - KB) * g + KB * b;
                    if let Some(l) = luma.get_mut(y * w + x) {
                        *l = ten_bit(yv);
                    }
                    sum_b += (b - yv) / (2.0 * (1.0 - KB));
                    sum_r += (r - yv) / (2.0 * (1.0 - KR));
                    n += 1.0;
                }
            }
            *cb_out = ten_bit(sum_b / n + 128.0);
            *cr_out = ten_bit(sum_r / n + 128.0);
        }
    }
    let quantizer = quantizer(quality);
    // With a profile, primaries and transfer are the profile's: unspecified here, as in `nclx`.
    let (color_primaries, transfer_characteristics) = match extra.icc {
        Some(_) => (
            ColorPrimaries::Unspecified,
            TransferCharacteristics::Unspecified,
        ),
        None => (ColorPrimaries::BT709, TransferCharacteristics::SRGB),
    };
    let description = ColorDescription {
        color_primaries,
        transfer_characteristics,
        matrix_coefficients: MatrixCoefficients::BT601,
    };
    let colour = av1(
        w,
        h,
        (ChromaSampling::Cs420, Some(description)),
        quantizer,
        speed,
        &[(&luma, w), (&cb, cw), (&cr, cw)],
    )?;
    let alpha = if raster.alpha {
        let plane: Vec<u16> = raster
            .data
            .chunks_exact(4)
            .map(|p| ten_bit(f32::from(p.get(3).copied().unwrap_or(u8::MAX))))
            .collect();
        Some(av1(
            w,
            h,
            (ChromaSampling::Cs400, None),
            quantizer,
            speed,
            &[(&plane, w)],
        )?)
    } else {
        None
    };
    let mut file = Aviffy::new();
    file.set_chroma_subsampling((true, true))
        .matrix_coefficients(AvifMatrix::Bt601)
        .full_color_range(true)
        .premultiplied_alpha(false);
    // The vendored avif-serialize's additions (component/vendor/avif-serialize/PATCHES.md).
    if let Some(icc) = extra.icc {
        file.set_icc_profile(icc.to_vec());
    }
    if let Some(exif) = extra.exif {
        file.set_exif(exif.to_vec());
    }
    if let Some(xmp) = extra.xmp {
        file.set_xmp(xmp.to_vec());
    }
    Ok(file.to_vec(&colour, alpha.as_deref(), raster.width, raster.height, 10))
}

/// An 8-bit-scale value as a 10-bit sample (255 is 1023).
fn ten_bit(v: f32) -> u16 {
    (v * (1023.0 / 255.0)).round().clamp(0.0, 1023.0) as u16
}

/// rav1e's quantizer (0-255) for a quality of 1-100, on ravif's scale, so that a quality means
/// the same with either chroma subsampling: steep above 82, then half a step per step, then
/// one for one below 25.
fn quantizer(quality: u8) -> usize {
    let q = f32::from(quality) / 100.0;
    let x = if q >= 0.82 {
        (1.0 - q) * 2.6
    } else if q > 0.25 {
        0.875 - q * 0.5
    } else {
        1.0 - q
    };
    (x * 255.0).round().clamp(0.0, 255.0) as usize
}

/// One still AV1 image of `planes` (each with its row length), as rav1e codes it, with the
/// colour description its sequence header carries (none for alpha).
fn av1(
    width: usize,
    height: usize,
    (sampling, color_description): (ChromaSampling, Option<ColorDescription>),
    quantizer: usize,
    speed: u8,
    planes: &[(&[u16], usize)],
) -> Result<Vec<u8>> {
    let fail = |what: String| Error::encode(OutputFormat::Avif, what);
    let encoder = EncoderConfig {
        width,
        height,
        bit_depth: 10,
        chroma_sampling: sampling,
        chroma_sample_position: ChromaSamplePosition::Unknown,
        pixel_range: PixelRange::Full,
        color_description,
        still_picture: true,
        quantizer,
        min_quantizer: u8::try_from(quantizer).unwrap_or(u8::MAX),
        ..EncoderConfig::with_speed_preset(speed)
    };
    let mut context = Config::new()
        .with_encoder_config(encoder)
        .with_threads(1)
        .new_context::<u16>()
        .map_err(|e| fail(format!("rav1e configuration: {e}")))?;
    let mut frame = context.new_frame();
    for (plane, (data, stride)) in frame.planes.iter_mut().zip(planes) {
        let bytes: Vec<u8> = data.iter().flat_map(|v| v.to_le_bytes()).collect();
        plane.copy_from_raw_u8(&bytes, *stride * 2, 2);
    }
    context
        .send_frame(frame)
        .map_err(|e| fail(format!("rav1e: {e}")))?;
    context.flush();
    let mut out = Vec::new();
    loop {
        match context.receive_packet() {
            Ok(packet) => out.extend_from_slice(&packet.data),
            Err(EncoderStatus::Encoded) => {}
            Err(EncoderStatus::LimitReached) => break,
            Err(e) => return Err(fail(format!("rav1e: {e}"))),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_scale_is_monotonic_and_bounded() {
        let all: Vec<usize> = (1..=100).map(quantizer).collect();
        assert!(all.windows(2).all(|w| w[1] <= w[0]), "{all:?}");
        assert_eq!(quantizer(100), 0);
        assert!(quantizer(1) <= 255);
    }
}

//! `overlay`: a second image (a watermark, a logo) drawn over the result, placed by gravity and
//! offsets or repeated across it, at an opacity. Compositing is Porter-Duff "over" on the 8-bit
//! sRGB values, as libvips's `composite` does in its default sRGB compositing space.

use crate::color;
use crate::decode::Source;
use crate::error::{Error, Result};
use crate::options::{ColorProfile, Filter, Layer, OptionName, OutputFormat};
use crate::raster::Raster;
use crate::resize::{self, Plan, whole};

/// The overlay's pixels, decoded, upright, in the output's colours (sRGB, or Display P3 with
/// `p3`) and sized for a result of `result` pixels: at `scale` of its width, or shrunk to fit
/// when it is larger. Held to the input's pixel limit; any failure is the option's.
pub fn prepare(
    image: &[u8],
    layer: &Layer,
    result: (u32, u32),
    mode: ColorProfile,
    format: OutputFormat,
    max_pixels: u64,
) -> Result<Raster> {
    let refuse = |e: Error| Error::invalid(OptionName::Overlay, e.message());
    let source = Source::open(image, max_pixels).map_err(refuse)?;
    let orientation = source.info().orientation;
    // Into the output's space; `keep` leaves another space's pixels alone, so the overlay
    // goes in as sRGB there.
    let mode = if mode == ColorProfile::P3 {
        ColorProfile::P3
    } else {
        ColorProfile::Srgb
    };
    let colour = color::Plan::new(source.declared(), mode, format).map_err(refuse)?;
    let (mut raster, converted) = source.decode(None, &colour).map_err(refuse)?;
    if !converted {
        colour
            .convert_rgb8(&mut raster.data, raster.alpha)
            .map_err(refuse)?;
    }
    let raster = crate::orient::apply(raster, orientation)?.with_alpha();
    let (w, h) = (f64::from(raster.width), f64::from(raster.height));
    let (rw, rh) = (f64::from(result.0), f64::from(result.1));
    let factor = match layer.scale {
        Some(scale) => rw * f64::from(scale) / w,
        None => (rw / w).min(rh / h).min(1.0),
    };
    if (factor - 1.0).abs() < 1e-9 {
        return Ok(raster);
    }
    let size = |v: f64| ((v * factor).round() as u32).max(1);
    let scaled = (size(w), size(h));
    let full = (raster.width, raster.height);
    let plan = Plan {
        region: whole(full),
        scaled,
        crop: whole(scaled),
        canvas: whole(scaled),
    };
    resize::resample(&raster, full, &plan, Filter::Lanczos3)
}

/// Draws `overlay` (RGBA) over `base` where `layer` places it.
pub fn draw(base: &mut Raster, overlay: &Raster, layer: &Layer) {
    let opacity = (f64::from(layer.opacity) * 255.0).round() as u32;
    if opacity == 0 {
        return;
    }
    if layer.tile {
        for y in (0..base.height).step_by(overlay.height.max(1) as usize) {
            for x in (0..base.width).step_by(overlay.width.max(1) as usize) {
                blend(base, overlay, (i64::from(x), i64::from(y)), opacity);
            }
        }
        return;
    }
    let room = |base: u32, own: u32| i64::from(base) - i64::from(own);
    // Offsets count inwards from the edge gravity names; from the middle, right and down.
    let place = |fraction: f64, room: i64, offset: i32| {
        let from_edge = (fraction * room as f64).round() as i64;
        if fraction >= 1.0 {
            from_edge - i64::from(offset)
        } else {
            from_edge + i64::from(offset)
        }
    };
    let (fx, fy) = layer.at;
    let at = (
        place(fx, room(base.width, overlay.width), layer.x),
        place(fy, room(base.height, overlay.height), layer.y),
    );
    blend(base, overlay, at, opacity);
}

/// "Over" of `overlay` with its top-left corner at `at` (it may reach past any edge), its
/// alpha scaled by `opacity` (0-255).
fn blend(base: &mut Raster, overlay: &Raster, at: (i64, i64), opacity: u32) {
    let channels = base.channels();
    let (bw, bh) = (i64::from(base.width), i64::from(base.height));
    let (ow, oh) = (i64::from(overlay.width), i64::from(overlay.height));
    let (x0, x1) = (at.0.max(0), (at.0 + ow).min(bw));
    let (y0, y1) = (at.1.max(0), (at.1 + oh).min(bh));
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let span = (x1 - x0) as usize;
    for y in y0..y1 {
        let b_start = ((y * bw + x0) as usize) * channels;
        let o_start = (((y - at.1) * ow + (x0 - at.0)) as usize) * 4;
        let (Some(row), Some(over)) = (
            base.data.get_mut(b_start..b_start + span * channels),
            overlay.data.get(o_start..o_start + span * 4),
        ) else {
            continue;
        };
        for (b, o) in row.chunks_exact_mut(channels).zip(over.chunks_exact(4)) {
            over_pixel(b, o, opacity);
        }
    }
}

/// One pixel of "over", rounded to nearest: `b` is RGB or RGBA, `o` RGBA.
fn over_pixel(b: &mut [u8], o: &[u8], opacity: u32) {
    let &[r, g, bl, a] = o else {
        return;
    };
    let [r, g, bl, a] = [r, g, bl, a].map(u32::from);
    let a = (a * opacity + 127) / 255;
    if a == 0 {
        return;
    }
    let inverse = 255 - a;
    match b {
        [br, bg, bb] => {
            for (c, over) in [br, bg, bb].into_iter().zip([r, g, bl]) {
                *c = ((over * a + u32::from(*c) * inverse + 127) / 255) as u8;
            }
        }
        [br, bg, bb, ba] => {
            let below = u32::from(*ba);
            // Both alphas in units of 1/255²: out = a + below·(1 − a).
            let total = a * 255 + below * inverse;
            for (c, over) in [br, bg, bb].into_iter().zip([r, g, bl]) {
                let sum = over * a * 255 + u32::from(*c) * below * inverse;
                *c = ((sum + total / 2) / total) as u8;
            }
            *ba = ((total + 127) / 255) as u8;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(at: (f64, f64), x: i32, y: i32, opacity: f32, tile: bool) -> Layer {
        Layer {
            at,
            x,
            y,
            opacity,
            scale: None,
            tile,
        }
    }

    #[test]
    fn places_by_gravity_and_offsets() {
        let dot = Raster::filled(1, 1, true, [255, 0, 0, 255]);
        let red_at = |l: &Layer| {
            let mut base = Raster::filled(5, 4, false, [0, 0, 0, 255]);
            draw(&mut base, &dot, l);
            let i = base.data.chunks_exact(3).position(|p| p == [255, 0, 0]);
            i.map(|i| (i % 5, i / 5))
        };
        assert_eq!(red_at(&layer((1.0, 1.0), 0, 0, 1.0, false)), Some((4, 3)));
        assert_eq!(red_at(&layer((1.0, 1.0), 1, 2, 1.0, false)), Some((3, 1)));
        assert_eq!(red_at(&layer((0.0, 0.0), 1, 2, 1.0, false)), Some((1, 2)));
        assert_eq!(red_at(&layer((0.5, 0.5), 1, 0, 1.0, false)), Some((3, 2)));
        assert_eq!(red_at(&layer((0.0, 0.0), 9, 0, 1.0, false)), None);
    }

    #[test]
    fn blends_at_its_opacity_and_tiles() {
        let white = Raster::filled(2, 2, true, [255, 255, 255, 255]);
        let mut base = Raster::filled(5, 3, false, [0, 0, 0, 255]);
        draw(&mut base, &white, &layer((0.0, 0.0), 0, 0, 0.5, true));
        // Every pixel covered (the last column and row by clipped tiles), at half strength.
        assert!(base.data.iter().all(|&v| v == 128), "{:?}", base.data);

        // Over a transparent pixel, the overlay's colour stays and its alpha is kept.
        let mut clear = Raster::filled(1, 1, true, [0, 0, 0, 0]);
        let half_red = Raster::filled(1, 1, true, [255, 0, 0, 128]);
        draw(&mut clear, &half_red, &layer((0.0, 0.0), 0, 0, 1.0, false));
        assert_eq!(clear.data, [255, 0, 0, 128]);
    }
}

//! Sharpening (`options.sharpen`): libvips's `sharpen`, as sharp calls it. The lightness
//! channel (L* in libvips's 16-bit LabS, 327.67 steps per unit) is blurred with a Gaussian of
//! the given sigma (a kernel cut at a tenth of its peak), and the difference between each pixel
//! and its blur is mapped through a curve: slope `flat` up to 2 L*, `jagged` beyond, at most
//! 10 L* lighter and 20 L* darker. Colour (a*, b*) and alpha are left as they are.

use crate::blur::{Planes, kernel};
use crate::lab::{lab_of, linear_table, srgb_of};
use crate::options::Sharpen;
use crate::raster::Raster;

/// LabS steps per L* unit.
const STEPS: f64 = 327.67;
/// libvips's `sharpen` defaults, which sharp keeps: the flat/jagged threshold and the largest
/// brightening and darkening, in L*.
const THRESHOLD: f64 = 2.0;
const MAX_LIGHTER: f64 = 10.0;
const MAX_DARKER: f64 = 20.0;

/// The change to L (in LabS steps) for a difference `d` (in LabS steps) from the blur.
fn curve(d: i32, s: &Sharpen) -> i32 {
    let v = f64::from(d) / STEPS;
    let (m1, m2) = (f64::from(s.flat), f64::from(s.jagged));
    let y = if v < -THRESHOLD {
        (v + THRESHOLD) * m2 - THRESHOLD * m1
    } else if v < THRESHOLD {
        v * m1
    } else {
        (v - THRESHOLD) * m2 + THRESHOLD * m1
    };
    (y.clamp(-MAX_DARKER, MAX_LIGHTER) * STEPS).round() as i32
}

/// Sharpens `raster` in place.
pub fn sharpen(raster: &mut Raster, s: &Sharpen) {
    let linear = linear_table();
    let channels = raster.channels();
    let mut colour = Vec::with_capacity(raster.data.len() / channels * 2);
    let mut light = Vec::with_capacity(raster.data.len() / channels);
    for px in raster.data.chunks_exact(channels) {
        if let [r, g, b, ..] = *px {
            let [l, a, b] = lab_of([r, g, b], &linear);
            light.push(((l * STEPS).round() as i32).clamp(0, 32767));
            colour.push([a, b]);
        }
    }
    let mut blurred = light.clone();
    Planes {
        data: &mut blurred,
        width: raster.width as usize,
        height: raster.height as usize,
        channels: 1,
        max: 32767,
    }
    .convolve(&kernel(f64::from(s.sigma), 0.1));
    for (((px, &l), &lb), &[a, b]) in raster
        .data
        .chunks_exact_mut(channels)
        .zip(&light)
        .zip(&blurred)
        .zip(&colour)
    {
        let out = (l + curve(l - lb, s)).clamp(0, 32767);
        if out == l {
            // Unchanged: keep the original bytes rather than their round trip through Lab.
            continue;
        }
        let [r, g, bl] = srgb_of([f64::from(out) / STEPS, a, b]);
        if let Some(rgb) = px.get_mut(..3) {
            rgb.copy_from_slice(&[r, g, bl]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curve_is_libvips_defaults_with_sharps_slopes() {
        let s = Sharpen {
            sigma: 1.0,
            flat: 1.0,
            jagged: 2.0,
        };
        let step = |l: f64| (l * STEPS).round() as i32;
        assert_eq!(curve(step(1.0), &s), step(1.0));
        assert_eq!(curve(step(3.0), &s), step(4.0));
        assert_eq!(curve(step(50.0), &s), step(10.0));
        assert_eq!(curve(-step(50.0), &s), -step(20.0));
    }

    #[test]
    fn an_edge_gets_steeper_and_flat_areas_do_not_change() {
        let mut r = Raster::filled(8, 4, false, [100, 100, 100, 255]);
        for y in 0..4 {
            for x in 4..8 {
                let at = (y * 8 + x) * 3;
                r.data[at..at + 3].copy_from_slice(&[160, 160, 160]);
            }
        }
        let before = r.clone();
        sharpen(
            &mut r,
            &Sharpen {
                sigma: 1.0,
                flat: 1.0,
                jagged: 2.0,
            },
        );
        assert_eq!(r.data[..3], before.data[..3]);
        assert!(r.data[3 * 3] < 100, "darker before the edge");
        assert!(r.data[4 * 3] > 160, "lighter after it");
    }
}

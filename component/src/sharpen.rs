//! Sharpening (`options.sharpen`): libvips's `sharpen`, as sharp calls it. The lightness
//! channel (L* in libvips's 16-bit LabS, 327.67 steps per unit) is blurred with a Gaussian of
//! the given sigma (a kernel cut at a tenth of its peak), and the difference between each pixel
//! and its blur is mapped through a curve: slope `flat` up to 2 L*, `jagged` beyond, at most
//! 10 L* lighter and 20 L* darker. Colour (a*, b*) and alpha are left as they are.

use crate::blur::{Planes, kernel};
use crate::options::Sharpen;
use crate::raster::Raster;

/// LabS steps per L* unit.
const STEPS: f64 = 327.67;
/// libvips's `sharpen` defaults, which sharp keeps: the flat/jagged threshold and the largest
/// brightening and darkening, in L*.
const THRESHOLD: f64 = 2.0;
const MAX_LIGHTER: f64 = 10.0;
const MAX_DARKER: f64 = 20.0;

/// D65 white, Y = 100.
const WHITE: [f64; 3] = [95.047, 100.0, 108.883];

fn to_linear(v: u8) -> f64 {
    let c = f64::from(v) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn to_srgb(c: f64) -> u8 {
    let c = c.clamp(0.0, 1.0);
    let v = if c <= 0.003_130_8 {
        12.92 * c
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    };
    (v * 255.0).round() as u8
}

fn f(t: f64) -> f64 {
    if t > 216.0 / 24389.0 {
        t.cbrt()
    } else {
        (24389.0 / 27.0 * t + 16.0) / 116.0
    }
}

fn f_inverse(t: f64) -> f64 {
    if t > 6.0 / 29.0 {
        t * t * t
    } else {
        (116.0 * t - 16.0) * 27.0 / 24389.0
    }
}

/// sRGB to CIE Lab (D65).
fn lab(rgb: [u8; 3], linear: &[f64; 256]) -> [f64; 3] {
    let [r, g, b] = rgb.map(|v| linear.get(usize::from(v)).copied().unwrap_or(0.0));
    let x = (0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b) * 100.0;
    let y = (0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b) * 100.0;
    let z = (0.019_333_9 * r + 0.119_192_0 * g + 0.950_304_1 * b) * 100.0;
    let [fx, fy, fz] = [x / WHITE[0], y / WHITE[1], z / WHITE[2]].map(f);
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// CIE Lab (D65) to sRGB.
fn rgb([l, a, b]: [f64; 3]) -> [u8; 3] {
    let fy = (l + 16.0) / 116.0;
    let (fx, fz) = (fy + a / 500.0, fy - b / 200.0);
    let [x, y, z] = [
        f_inverse(fx) * WHITE[0],
        f_inverse(fy) * WHITE[1],
        f_inverse(fz) * WHITE[2],
    ]
    .map(|v| v / 100.0);
    let r = 3.240_454_2 * x - 1.537_138_5 * y - 0.498_531_4 * z;
    let g = -0.969_266_0 * x + 1.876_010_8 * y + 0.041_556_0 * z;
    let b = 0.055_643_4 * x - 0.204_025_9 * y + 1.057_225_2 * z;
    [r, g, b].map(to_srgb)
}

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
    let linear: [f64; 256] = std::array::from_fn(|v| to_linear(v as u8));
    let channels = raster.channels();
    let mut colour = Vec::with_capacity(raster.data.len() / channels * 2);
    let mut light = Vec::with_capacity(raster.data.len() / channels);
    for px in raster.data.chunks_exact(channels) {
        if let [r, g, b, ..] = *px {
            let [l, a, b] = lab([r, g, b], &linear);
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
        let [r, g, bl] = rgb([f64::from(out) / STEPS, a, b]);
        if let Some(rgb) = px.get_mut(..3) {
            rgb.copy_from_slice(&[r, g, bl]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_round_trips() {
        let linear: [f64; 256] = std::array::from_fn(|v| to_linear(v as u8));
        for c in [[0, 0, 0], [255, 255, 255], [200, 30, 90], [12, 250, 128]] {
            assert_eq!(rgb(lab(c, &linear)), c);
        }
        let [l, _, _] = lab([255, 255, 255], &linear);
        assert!((l - 100.0).abs() < 1e-3);
    }

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

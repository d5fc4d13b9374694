//! Gaussian blur (`options.blur`), and the separable convolution `sharpen` shares. The kernel,
//! rounding and edges are libvips's `gaussblur` (integer precision, the default sharp uses):
//! weights `round(20 * exp(-x² / 2σ²))` out to where the curve falls below a fifth of its peak,
//! each pass rounded and clipped, edge pixels repeated. Large sigmas, whose kernels grow to
//! thousands of taps, use three box blurs of the same variance instead (linear in the pixels,
//! whatever the sigma).

use crate::raster::Raster;

/// Above this sigma the three-box approximation replaces the exact kernel (about 90 taps: at
/// most 1 level of difference on photographs, and 3-4 times faster from here on).
const BOX_SIGMA: f64 = 25.0;

/// A symmetric integer kernel and the sum it is divided by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kernel {
    pub weights: Vec<i32>,
    pub scale: i32,
}

/// libvips's `gaussmat` at integer precision, one row (it is separable): taps out to the last
/// `x` whose weight is at least `min_ampl` of the centre's.
pub fn kernel(sigma: f64, min_ampl: f64) -> Kernel {
    let sig2 = 2.0 * sigma * sigma;
    let max_x = (8.0 * sigma).clamp(0.0, 10_000.0) as i32;
    let mut x = 0;
    while x < max_x && (-f64::from(x * x) / sig2).exp() >= min_ampl {
        x += 1;
    }
    let half = (x - 1).max(0);
    let weights: Vec<i32> = (-half..=half)
        .map(|o| (20.0 * (-f64::from(o * o) / sig2).exp()).round() as i32)
        .collect();
    let scale = weights.iter().sum::<i32>().max(1);
    Kernel { weights, scale }
}

/// Planes of `channels` interleaved integer samples, `width` x `height`, each in `0..=max`.
pub struct Planes<'a> {
    pub data: &'a mut [i32],
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub max: i32,
}

impl Planes<'_> {
    /// Convolves rows, then columns, with `k`, rounding and clipping after each pass.
    pub fn convolve(&mut self, k: &Kernel) {
        let (w, h, c) = (self.width, self.height, self.channels);
        let mut line = Vec::new();
        for y in 0..h {
            let row = y * w * c;
            convolve_line(self.data, row, c, w, c, k, self.max, &mut line);
        }
        for x in 0..w {
            convolve_line(self.data, x * c, w * c, h, c, k, self.max, &mut line);
        }
    }

    /// Three box blurs along rows, then columns, whose variance is `sigma`²'s.
    pub fn box_blur(&mut self, sigma: f64) {
        let (w, h, c) = (self.width, self.height, self.channels);
        let mut line = Vec::new();
        for radius in box_radii(sigma) {
            for y in 0..h {
                box_line(self.data, y * w * c, c, w, c, radius, &mut line);
            }
            for x in 0..w {
                box_line(self.data, x * c, w * c, h, c, radius, &mut line);
            }
        }
    }
}

/// One pass over `len` pixels starting at `start`, `stride` apart, each of `channels` samples.
#[allow(clippy::too_many_arguments)]
fn convolve_line(
    data: &mut [i32],
    start: usize,
    stride: usize,
    len: usize,
    channels: usize,
    k: &Kernel,
    max: i32,
    line: &mut Vec<i32>,
) {
    let half = k.weights.len() / 2;
    // The line with its edge pixels repeated `half` times on each side.
    line.clear();
    for i in 0..len + 2 * half {
        let at = start + i.saturating_sub(half).min(len - 1) * stride;
        line.extend_from_slice(data.get(at..at + channels).unwrap_or(&[]));
    }
    let round = k.scale / 2;
    for i in 0..len {
        for ch in 0..channels {
            let mut sum: i64 = 0;
            for (t, &wt) in k.weights.iter().enumerate() {
                sum += i64::from(line.get((i + t) * channels + ch).copied().unwrap_or(0))
                    * i64::from(wt);
            }
            let v = ((sum + i64::from(round)) / i64::from(k.scale)).clamp(0, i64::from(max));
            if let Some(slot) = data.get_mut(start + i * stride + ch) {
                *slot = v as i32;
            }
        }
    }
}

/// Radii of three boxes whose repeated blur has the variance of a Gaussian of `sigma`.
fn box_radii(sigma: f64) -> [usize; 3] {
    // Box widths (odd) around the ideal width for three passes, as W. Jarosz's and
    // I. Kutsko's derivation gives: `m` passes of the lower width, the rest of the upper.
    let ideal = (12.0 * sigma * sigma / 3.0 + 1.0).sqrt();
    let mut lower = ideal.floor() as i64;
    if lower % 2 == 0 {
        lower -= 1;
    }
    let upper = lower + 2;
    let l = lower as f64;
    let m = ((12.0 * sigma * sigma - 3.0 * l * l - 12.0 * l - 9.0) / (-4.0 * l - 4.0)).round();
    let radius = |i: f64| ((if i < m { lower } else { upper }) / 2).max(0) as usize;
    [radius(0.0), radius(1.0), radius(2.0)]
}

/// A box blur of `radius` over one line (edge pixels repeated), with a running sum.
fn box_line(
    data: &mut [i32],
    start: usize,
    stride: usize,
    len: usize,
    channels: usize,
    radius: usize,
    line: &mut Vec<i32>,
) {
    if radius == 0 || len == 0 {
        return;
    }
    line.clear();
    for i in 0..len {
        let at = start + i * stride;
        line.extend_from_slice(data.get(at..at + channels).unwrap_or(&[]));
    }
    let width = (2 * radius + 1) as i64;
    let sample = |i: i64, ch: usize| {
        let i = i.clamp(0, len as i64 - 1) as usize;
        i64::from(line.get(i * channels + ch).copied().unwrap_or(0))
    };
    for ch in 0..channels {
        let r = radius as i64;
        let mut sum: i64 = (-r..=r).map(|i| sample(i, ch)).sum();
        for i in 0..len as i64 {
            if let Some(slot) = data.get_mut(start + i as usize * stride + ch) {
                *slot = ((sum + width / 2) / width) as i32;
            }
            sum += sample(i + r + 1, ch) - sample(i - r, ch);
        }
    }
}

/// Blurs `raster` with a Gaussian of `sigma`; alpha, when present, is premultiplied first so
/// transparent pixels lend no colour to their neighbours.
pub fn blur(raster: &mut Raster, sigma: f32) {
    let sigma = f64::from(sigma);
    let channels = raster.channels();
    let (mut data, max) = if raster.alpha {
        // Premultiplied, with the alpha's 8 bits of extra precision kept: c * a in 0..=65025.
        let mut data = Vec::with_capacity(raster.data.len());
        for px in raster.data.chunks_exact(4) {
            if let [r, g, b, a] = *px {
                let a = i32::from(a);
                data.extend([
                    i32::from(r) * a,
                    i32::from(g) * a,
                    i32::from(b) * a,
                    a * 255,
                ]);
            }
        }
        (data, 255 * 255)
    } else {
        (raster.data.iter().map(|&v| i32::from(v)).collect(), 255)
    };
    let mut planes = Planes {
        data: &mut data,
        width: raster.width as usize,
        height: raster.height as usize,
        channels,
        max,
    };
    if sigma > BOX_SIGMA {
        planes.box_blur(sigma);
    } else {
        planes.convolve(&kernel(sigma, 0.2));
    }
    if raster.alpha {
        for (out, px) in raster.data.chunks_exact_mut(4).zip(data.chunks_exact(4)) {
            if let [r, g, b, a] = *px {
                let alpha = (a + 127) / 255;
                let un = |c: i32| {
                    if a == 0 {
                        0
                    } else {
                        ((c * 255 + a / 2) / a).clamp(0, 255)
                    }
                };
                out.copy_from_slice(&[un(r) as u8, un(g) as u8, un(b) as u8, alpha as u8]);
            }
        }
    } else {
        for (out, v) in raster.data.iter_mut().zip(data) {
            *out = v as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_are_libvips_gaussmat() {
        // Sigma 1, min_ampl 0.2: exp(-x²/2) >= 0.2 for x = 0 and 1 (0.61), not 2 (0.135);
        // `vips gaussmat k.mat 1 --min-ampl 0.2 --precision integer --separable` agrees.
        assert_eq!(
            kernel(1.0, 0.2),
            Kernel {
                weights: vec![12, 20, 12],
                scale: 44
            }
        );
        assert_eq!(kernel(0.3, 0.2).weights, vec![20]);
        let wide = kernel(10.0, 0.2);
        assert_eq!(wide.weights.len() % 2, 1);
        assert_eq!(wide.weights.first(), wide.weights.last());
    }

    #[test]
    fn flat_images_stay_flat_and_boxes_match_the_variance() {
        let mut flat = Raster::filled(30, 20, true, [10, 200, 30, 128]);
        blur(&mut flat, 40.0);
        assert!(flat.data.chunks_exact(4).all(|p| p == [10, 200, 30, 128]));
        for sigma in [30.0, 100.0] {
            let var: f64 = box_radii(sigma)
                .iter()
                .map(|&r| {
                    let w = (2 * r + 1) as f64;
                    (w * w - 1.0) / 12.0
                })
                .sum();
            assert!(
                (var.sqrt() - sigma).abs() / sigma < 0.05,
                "{sigma}: {}",
                var.sqrt()
            );
        }
    }
}

//! Smart crop (`gravity: entropy` and `attention`): where the crop of `cover` should sit,
//! chosen from the pixels, as libvips's `smartcrop` chooses it. Both look at a small copy of
//! the image (at most [`ANALYSIS_SIDE`] pixels a side, turned as it will be shown) and answer
//! with the point the crop centres on, so the crop itself is planned like any other.

use crate::blur::kernel;
use crate::lab;
use crate::options::Gravity;
use crate::raster::Raster;

/// The longest side of the copy the analysis looks at: the crop is placed to within a pixel
/// of it, finer than either method's own precision (libvips's `attention` decides on 32x32).
pub const ANALYSIS_SIDE: u32 = 256;

/// The point (fractions of the width and height) on which to centre a crop covering
/// `fraction` (of the width, of the height) of `image`.
pub fn focus(image: &Raster, fraction: (f64, f64), method: Gravity) -> (f64, f64) {
    if image.width == 0 || image.height == 0 {
        return (0.5, 0.5);
    }
    match method {
        Gravity::Entropy => entropy(image, fraction),
        _ => attention(image, fraction),
    }
}

/// Grey levels (Rec. 601 luma) of `image`, alpha premultiplied.
fn luma(image: &Raster) -> Vec<u8> {
    image
        .data
        .chunks_exact(image.channels())
        .map(|px| {
            let a = px.get(3).map_or(255, |&a| u32::from(a));
            let y = match *px {
                [r, g, b, ..] => {
                    (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000
                }
                _ => 0,
            };
            (y * a / 255) as u8
        })
        .collect()
}

/// The entropy of the grey levels' histogram in a window of `grey` (`width` wide).
fn window_entropy(grey: &[u8], width: usize, [x, y, w, h]: [usize; 4]) -> f64 {
    let mut histogram = [0u32; 256];
    for row in y..y + h {
        for &v in grey
            .get(row * width + x..row * width + x + w)
            .unwrap_or(&[])
        {
            if let Some(slot) = histogram.get_mut(usize::from(v)) {
                *slot += 1;
            }
        }
    }
    let total = (w * h).max(1) as f64;
    histogram
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| {
            let p = f64::from(n) / total;
            -p * p.log2()
        })
        .sum()
}

/// libvips's `entropy`: cut slices (an eighth of the excess at a time) off whichever side,
/// left or right, top or bottom, has the lower entropy, until the crop's size is left.
fn entropy(image: &Raster, (fw, fh): (f64, f64)) -> (f64, f64) {
    let grey = luma(image);
    let (iw, ih) = (image.width as usize, image.height as usize);
    let target = |len: usize, f: f64| ((len as f64 * f).round() as usize).clamp(1, len);
    let (tw, th) = (target(iw, fw), target(ih, fh));
    let (mut left, mut top, mut width, mut height) = (0, 0, iw, ih);
    let step = (iw - tw).div_ceil(8).max((ih - th).div_ceil(8)).max(1);
    while width > tw || height > th {
        let slice = (width - tw).min(step);
        if slice > 0 {
            let l = window_entropy(&grey, iw, [left, top, slice, height]);
            let r = window_entropy(&grey, iw, [left + width - slice, top, slice, height]);
            width -= slice;
            if l < r {
                left += slice;
            }
        }
        let slice = (height - th).min(step);
        if slice > 0 {
            let t = window_entropy(&grey, iw, [left, top, width, slice]);
            let b = window_entropy(&grey, iw, [left, top + height - slice, width, slice]);
            height -= slice;
            if t < b {
                top += slice;
            }
        }
    }
    (
        (left as f64 + width as f64 / 2.0) / iw as f64,
        (top as f64 + height as f64 / 2.0) / ih as f64,
    )
}

/// libvips's `attention`: edges (the Laplacian of luminance, times 5), skin tones (closeness
/// of the colour's direction in XYZ to smartcrop.js's skin vector) and saturation (chroma),
/// where the pixel is not dark; summed, reduced to 32x32, blurred in proportion to the crop's
/// size, and the crop centred on the maximum.
fn attention(image: &Raster, (fw, fh): (f64, f64)) -> (f64, f64) {
    const SKIN: [f64; 3] = [0.78, 0.57, 0.44];
    let (w, h) = (image.width as usize, image.height as usize);
    let linear = lab::linear_table();
    let lin = |v: u8| linear.get(usize::from(v)).copied().unwrap_or(0.0);
    let xyz: Vec<[f64; 3]> = image
        .data
        .chunks_exact(image.channels())
        .map(|px| {
            let a = px.get(3).map_or(1.0, |&a| f64::from(a) / 255.0);
            match *px {
                [r, g, b, ..] => lab::xyz([lin(r) * a, lin(g) * a, lin(b) * a]),
                _ => [0.0; 3],
            }
        })
        .collect();
    let y_at = |x: usize, y: usize| {
        xyz.get(y.min(h - 1) * w + x.min(w - 1))
            .map_or(0.0, |p| p[1])
    };
    let mut score = vec![0.0f64; w * h];
    for y in 0..h {
        for x in 0..w {
            let Some(&[cx, cy, cz]) = xyz.get(y * w + x) else {
                continue;
            };
            let laplacian = 4.0 * cy
                - y_at(x.saturating_sub(1), y)
                - y_at(x + 1, y)
                - y_at(x, y.saturating_sub(1))
                - y_at(x, y + 1);
            let mut s = (laplacian * 5.0).abs();
            if cy > 5.0 {
                let norm = (cx * cx + cy * cy + cz * cz).sqrt().max(f64::MIN_POSITIVE);
                let d: f64 = [cx, cy, cz]
                    .iter()
                    .zip(SKIN)
                    .map(|(c, k)| (c / norm - k).powi(2))
                    .sum::<f64>()
                    .sqrt();
                s += 100.0 - 100.0 * d;
                let [_, a, b] = lab::lab([cx, cy, cz]);
                s += (a * a + b * b).sqrt();
            }
            if let Some(slot) = score.get_mut(y * w + x) {
                *slot = s;
            }
        }
    }
    // Reduce to 32x32 by averaging the pixels each cell covers.
    const N: usize = 32;
    let mut small = vec![0.0f64; N * N];
    let mut counts = vec![0u32; N * N];
    for y in 0..h {
        for x in 0..w {
            let cell = (y * N / h) * N + x * N / w;
            if let (Some(sum), Some(n)) = (small.get_mut(cell), counts.get_mut(cell)) {
                *sum += score.get(y * w + x).copied().unwrap_or(0.0);
                *n += 1;
            }
        }
    }
    for (v, &n) in small.iter_mut().zip(&counts) {
        *v /= f64::from(n.max(1));
    }
    let sigma = ((fw * N as f64).powi(2) + (fh * N as f64).powi(2)).sqrt() / 10.0;
    let blurred = blur_float(&small, N, N, sigma.max(0.5));
    let mut best = (0, f64::MIN);
    for (i, &v) in blurred.iter().enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    (
        (best.0 % N) as f64 / N as f64,
        (best.0 / N) as f64 / N as f64,
    )
}

/// A separable Gaussian over a small float image, edges repeated.
fn blur_float(data: &[f64], w: usize, h: usize, sigma: f64) -> Vec<f64> {
    let k = kernel(sigma, 0.2);
    let scale = f64::from(k.scale);
    let half = k.weights.len() / 2;
    let pass = |src: &[f64], horizontal: bool| {
        let mut out = vec![0.0; src.len()];
        for y in 0..h {
            for x in 0..w {
                let mut sum = 0.0;
                for (t, &wt) in k.weights.iter().enumerate() {
                    let o = t as isize - half as isize;
                    let (sx, sy) = if horizontal {
                        ((x as isize + o).clamp(0, w as isize - 1) as usize, y)
                    } else {
                        (x, (y as isize + o).clamp(0, h as isize - 1) as usize)
                    };
                    sum += src.get(sy * w + sx).copied().unwrap_or(0.0) * f64::from(wt);
                }
                if let Some(slot) = out.get_mut(y * w + x) {
                    *slot = sum / scale;
                }
            }
        }
        out
    };
    pass(&pass(data, true), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grey 200x100 image with a detailed, coloured 30x30 patch centred at (`x`, `y`).
    fn scene(x: u32, y: u32) -> Raster {
        let mut r = Raster::filled(200, 100, false, [128, 128, 128, 255]);
        for py in y - 15..y + 15 {
            for px in x - 15..x + 15 {
                let at = ((py * 200 + px) * 3) as usize;
                let v = if (px + py) % 2 == 0 {
                    [230, 160, 120]
                } else {
                    [90, 40, 30]
                };
                r.data[at..at + 3].copy_from_slice(&v);
            }
        }
        r
    }

    #[test]
    fn both_methods_find_the_subject() {
        for method in [Gravity::Entropy, Gravity::Attention] {
            for (x, y) in [(30, 50), (170, 50), (100, 20)] {
                let (fx, fy) = focus(&scene(x, y), (0.5, 1.0), method);
                let (px, py) = (fx * 200.0, fy * 100.0);
                // The crop (100 wide, centred on the answer, kept inside) holds the patch.
                let left = (px - 50.0).clamp(0.0, 100.0);
                assert!(
                    left <= f64::from(x) - 15.0 && f64::from(x) + 15.0 <= left + 100.0,
                    "{method:?} put the crop at {left} for a subject at {x},{y} ({px},{py})"
                );
            }
        }
    }
}

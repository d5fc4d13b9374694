//! sRGB to CIE XYZ and CIE Lab and back (D65 white, Y from 0 to 100), in `f64`: what `sharpen`
//! (lightness) and smart crop (luminance, chroma) measure. The colour pipeline proper converts
//! between profiles with moxcms; this is only the arithmetic these two operations need, with
//! libvips's conventions (D65, not the ICC's D50), so they match libvips.

/// D65 white, Y = 100.
const WHITE: [f64; 3] = [95.047, 100.0, 108.883];

/// Linear light of each 8-bit sRGB value, 0 to 1.
pub fn linear_table() -> [f64; 256] {
    std::array::from_fn(|v| {
        let c = v as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    })
}

/// Linear light (0 to 1) as an 8-bit sRGB value, rounded.
fn encode(c: f64) -> u8 {
    let c = c.clamp(0.0, 1.0);
    let v = if c <= 0.003_130_8 {
        12.92 * c
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    };
    (v * 255.0).round() as u8
}

/// Linear sRGB (0 to 1) to XYZ (Y 0 to 100).
pub fn xyz([r, g, b]: [f64; 3]) -> [f64; 3] {
    [
        (0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b) * 100.0,
        (0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b) * 100.0,
        (0.019_333_9 * r + 0.119_192_0 * g + 0.950_304_1 * b) * 100.0,
    ]
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

/// XYZ (Y 0 to 100) to CIE Lab.
pub fn lab([x, y, z]: [f64; 3]) -> [f64; 3] {
    let [fx, fy, fz] = [x / WHITE[0], y / WHITE[1], z / WHITE[2]].map(f);
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// An 8-bit sRGB pixel as CIE Lab; `linear` is [`linear_table`].
pub fn lab_of(rgb: [u8; 3], linear: &[f64; 256]) -> [f64; 3] {
    lab(xyz(rgb.map(|v| {
        linear.get(usize::from(v)).copied().unwrap_or(0.0)
    })))
}

/// CIE Lab to an 8-bit sRGB pixel.
pub fn srgb_of([l, a, b]: [f64; 3]) -> [u8; 3] {
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
    [r, g, b].map(encode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_round_trips() {
        let linear = linear_table();
        for c in [[0, 0, 0], [255, 255, 255], [200, 30, 90], [12, 250, 128]] {
            assert_eq!(srgb_of(lab_of(c, &linear)), c);
        }
        let [l, _, _] = lab_of([255, 255, 255], &linear);
        assert!((l - 100.0).abs() < 1e-3);
    }
}

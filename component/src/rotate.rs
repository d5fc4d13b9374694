//! Turning by an angle that is not a multiple of 90 degrees: each output pixel is sampled
//! (bilinear, alpha premultiplied) from where it came from, on a canvas just large enough for
//! the whole turned image; the corners are the background. Quarter turns never come here: they
//! are exact, in `orient`.

use crate::raster::Raster;

/// The size of the canvas that holds a `width` x `height` image turned by `degrees`.
pub fn turned_size(width: u32, height: u32, degrees: f64) -> (u32, u32) {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (w, h) = (f64::from(width), f64::from(height));
    // A hair under the exact bound, so 1e-12 of rounding does not add a pixel.
    let side = |v: f64| ((v - 1e-6).ceil().max(1.0)) as u32;
    (
        side(w * cos.abs() + h * sin.abs()),
        side(w * sin.abs() + h * cos.abs()),
    )
}

/// `image` turned clockwise by `degrees`, the uncovered corners `background`.
pub fn rotate(image: &Raster, degrees: f64, background: [u8; 4]) -> Raster {
    let (width, height) = turned_size(image.width, image.height, degrees);
    let alpha = image.alpha || background[3] != 255;
    let out_channels = if alpha { 4 } else { 3 };
    let in_channels = image.channels();
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (iw, ih) = (image.width as i64, image.height as i64);
    let (icx, icy) = (f64::from(image.width) / 2.0, f64::from(image.height) / 2.0);
    let (ocx, ocy) = (f64::from(width) / 2.0, f64::from(height) / 2.0);
    // Premultiplied background, 0-255 scale.
    let bg_alpha = f64::from(background[3]);
    let bg = [
        f64::from(background[0]) * bg_alpha / 255.0,
        f64::from(background[1]) * bg_alpha / 255.0,
        f64::from(background[2]) * bg_alpha / 255.0,
        bg_alpha,
    ];
    let sample = |x: i64, y: i64| -> [f64; 4] {
        if x < 0 || y < 0 || x >= iw || y >= ih {
            return bg;
        }
        let at = (y as usize * image.width as usize + x as usize) * in_channels;
        match image.data.get(at..at + in_channels) {
            Some(&[r, g, b]) => [f64::from(r), f64::from(g), f64::from(b), 255.0],
            Some(&[r, g, b, a]) => {
                let a = f64::from(a);
                [
                    f64::from(r) * a / 255.0,
                    f64::from(g) * a / 255.0,
                    f64::from(b) * a / 255.0,
                    a,
                ]
            }
            _ => bg,
        }
    };
    let mut data = Vec::with_capacity(width as usize * height as usize * out_channels);
    for oy in 0..height {
        for ox in 0..width {
            // The output pixel's centre, turned back (counter-clockwise) into the input.
            let (dx, dy) = (f64::from(ox) + 0.5 - ocx, f64::from(oy) + 0.5 - ocy);
            let sx = cos * dx + sin * dy + icx - 0.5;
            let sy = -sin * dx + cos * dy + icy - 0.5;
            let (x0, y0) = (sx.floor(), sy.floor());
            let (fx, fy) = (sx - x0, sy - y0);
            let (x0, y0) = (x0 as i64, y0 as i64);
            let [p00, p10, p01, p11] = [
                sample(x0, y0),
                sample(x0 + 1, y0),
                sample(x0, y0 + 1),
                sample(x0 + 1, y0 + 1),
            ];
            // Bilinear, per channel, on the premultiplied samples.
            let lerp = |a: f64, b: f64, t: f64| a * (1.0 - t) + b * t;
            let px: [f64; 4] = std::array::from_fn(|c| {
                let at = |p: &[f64; 4]| p.get(c).copied().unwrap_or(0.0);
                lerp(
                    lerp(at(&p00), at(&p10), fx),
                    lerp(at(&p01), at(&p11), fx),
                    fy,
                )
            });
            let [r, g, b, a] = px;
            let un = |c: f64| {
                if a <= 0.0 {
                    0
                } else {
                    (c * 255.0 / a).round().clamp(0.0, 255.0) as u8
                }
            };
            data.extend_from_slice(&[un(r), un(g), un(b)]);
            if alpha {
                data.push(a.round().clamp(0.0, 255.0) as u8);
            }
        }
    }
    Raster {
        width,
        height,
        alpha,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canvas_holds_the_turned_image() {
        assert_eq!(turned_size(100, 50, 0.0), (100, 50));
        assert_eq!(turned_size(100, 50, 90.0), (50, 100));
        // 45°: (100 + 50) / sqrt(2) = 106.07 both ways.
        assert_eq!(turned_size(100, 50, 45.0), (107, 107));
    }

    #[test]
    fn corners_are_background_and_the_middle_is_kept() {
        let image = Raster::filled(40, 20, false, [10, 200, 30, 255]);
        let out = rotate(&image, 30.0, [255, 255, 255, 255]);
        assert!(!out.alpha);
        assert_eq!(&out.data[..3], &[255, 255, 255]);
        let centre = ((out.height / 2 * out.width + out.width / 2) * 3) as usize;
        assert_eq!(&out.data[centre..centre + 3], &[10, 200, 30]);
        let clear = rotate(&image, 30.0, [0, 0, 0, 0]);
        assert!(clear.alpha);
        assert_eq!(clear.data[3], 0);
    }
}

//! EXIF orientation: rotating and flipping pixels so that the image is stored upright.

use image::metadata::Orientation;
use image::{DynamicImage, RgbImage, RgbaImage};

use crate::error::{Error, Result};
use crate::raster::Raster;
use crate::resize::Rect;

/// The EXIF orientations 1-8 as matrices on (x, y), y pointing down: where a stored pixel's
/// offset from the centre goes when the image is shown.
const MATRICES: [[i8; 4]; 8] = [
    [1, 0, 0, 1],   // 1: as stored
    [-1, 0, 0, 1],  // 2: mirrored left-right
    [-1, 0, 0, -1], // 3: turned 180°
    [1, 0, 0, -1],  // 4: mirrored top-bottom
    [0, 1, 1, 0],   // 5: transposed
    [0, -1, 1, 0],  // 6: turned 90° clockwise
    [0, -1, -1, 0], // 7: transversed
    [0, 1, -1, 0],  // 8: turned 90° counter-clockwise
];

/// The orientation that shows an image stored with EXIF orientation `exif` mirrored top-bottom
/// (`flip`), then left-right (`flop`), then turned `quarter_turns` times 90° clockwise: the
/// caller's own orientation after the file's, as one of the eight, so that the pipeline
/// applies both in one step on the resized raster.
pub fn compose(exif: u8, flip: bool, flop: bool, quarter_turns: u8) -> u8 {
    let matrix = |o: u8| {
        MATRICES
            .get(usize::from(o.clamp(1, 8)) - 1)
            .copied()
            .unwrap_or([1, 0, 0, 1])
    };
    let times = |[a, b, c, d]: [i8; 4], [e, f, g, h]: [i8; 4]| {
        [a * e + b * g, a * f + b * h, c * e + d * g, c * f + d * h]
    };
    let mut m = matrix(exif);
    if flip {
        m = times(matrix(4), m);
    }
    if flop {
        m = times(matrix(2), m);
    }
    for _ in 0..quarter_turns % 4 {
        m = times(matrix(6), m);
    }
    MATRICES
        .iter()
        .zip(1u8..)
        .find_map(|(candidate, o)| (*candidate == m).then_some(o))
        .unwrap_or(1)
}

/// Whether orientation `o` (1-8) swaps width and height.
pub fn transposes(o: u8) -> bool {
    (5..=8).contains(&o)
}

/// The rectangle of the stored image that orientation `o` (1-8) shows as `rect` of the
/// shown image, which is `width` x `height`.
pub fn rect_to_stored(o: u8, rect: Rect, width: u32, height: u32) -> Rect {
    let Rect {
        x,
        y,
        width: w,
        height: h,
    } = rect;
    // The far edge's distance from the opposite side: where a mirrored span starts.
    let from_right = width.saturating_sub(x + w);
    let from_bottom = height.saturating_sub(y + h);
    let (x, y, w, h) = match o {
        2 => (from_right, y, w, h),
        3 => (from_right, from_bottom, w, h),
        4 => (x, from_bottom, w, h),
        5 => (y, x, h, w),
        6 => (y, from_right, h, w),
        7 => (from_bottom, from_right, h, w),
        8 => (from_bottom, x, h, w),
        _ => (x, y, w, h),
    };
    Rect {
        x,
        y,
        width: w,
        height: h,
    }
}

/// Rotates and flips `raster` by EXIF orientation `o`; 1 or an unknown value leaves it as is.
pub fn apply(raster: Raster, o: u8) -> Result<Raster> {
    let Some(orientation) = Orientation::from_exif(o).filter(|o| *o != Orientation::NoTransforms)
    else {
        return Ok(raster);
    };
    let Raster {
        width,
        height,
        alpha,
        data,
    } = raster;
    let mismatch =
        || Error::EncodeFailed(format!("orient: buffer does not match {width}x{height}"));
    let mut image = if alpha {
        DynamicImage::ImageRgba8(RgbaImage::from_raw(width, height, data).ok_or_else(mismatch)?)
    } else {
        DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, data).ok_or_else(mismatch)?)
    };
    image.apply_orientation(orientation);
    let (width, height) = (image.width(), image.height());
    let data = match image {
        DynamicImage::ImageRgba8(buffer) => buffer.into_raw(),
        other => other.into_rgb8().into_raw(),
    };
    Ok(Raster {
        width,
        height,
        alpha,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2x1: red, green.
    fn red_green() -> Raster {
        Raster {
            width: 2,
            height: 1,
            alpha: false,
            data: vec![255, 0, 0, 0, 255, 0],
        }
    }

    #[test]
    fn rectangles_map_back_to_the_stored_image() {
        // A 5x3 image of distinct pixels: cropping the shown image equals showing the crop of
        // the stored one, for every orientation.
        let stored = Raster {
            width: 5,
            height: 3,
            alpha: false,
            data: (0..45).map(|v| v as u8).collect(),
        };
        let crop = |r: &Raster, c: Rect| {
            let mut data = Vec::new();
            for y in c.y..c.y + c.height {
                let start = ((y * r.width + c.x) * 3) as usize;
                data.extend_from_slice(&r.data[start..start + c.width as usize * 3]);
            }
            Raster {
                width: c.width,
                height: c.height,
                alpha: false,
                data,
            }
        };
        for o in 1..=8 {
            let shown = apply(stored.clone(), o).unwrap();
            let rect = Rect {
                x: 1,
                y: 0,
                width: 2,
                height: 2,
            };
            let mapped = rect_to_stored(o, rect, shown.width, shown.height);
            assert_eq!(
                crop(&shown, rect),
                apply(crop(&stored, mapped), o).unwrap(),
                "orientation {o}"
            );
        }
    }

    #[test]
    fn compositions_are_the_eight_orientations() {
        // Turning an as-stored image: 6, 3, 8; a full turn is the identity.
        assert_eq!(compose(1, false, false, 1), 6);
        assert_eq!(compose(1, false, false, 2), 3);
        assert_eq!(compose(1, false, false, 3), 8);
        assert_eq!(compose(1, false, false, 4), 1);
        // Mirroring: flop is 2, flip is 4, both are 3.
        assert_eq!(compose(1, false, true, 0), 2);
        assert_eq!(compose(1, true, false, 0), 4);
        assert_eq!(compose(1, true, true, 0), 3);
        // After the file's own: a quarter turn undoes 8.
        assert_eq!(compose(8, false, false, 1), 1);
        // Applying the composition equals applying the parts in order.
        let once = |o| apply(red_green_blue(), o).unwrap();
        for exif in 1..=8 {
            for turns in 0..4 {
                for (flip, flop) in [(false, false), (true, false), (false, true), (true, true)] {
                    let mut stepwise = once(exif);
                    if flip {
                        stepwise = apply(stepwise, 4).unwrap();
                    }
                    if flop {
                        stepwise = apply(stepwise, 2).unwrap();
                    }
                    for _ in 0..turns {
                        stepwise = apply(stepwise, 6).unwrap();
                    }
                    let combined = once(compose(exif, flip, flop, turns));
                    assert_eq!(combined, stepwise, "{exif} {flip} {flop} {turns}");
                }
            }
        }
    }

    /// 3x2, every pixel different.
    fn red_green_blue() -> Raster {
        Raster {
            width: 3,
            height: 2,
            alpha: false,
            data: (0..18).collect(),
        }
    }

    #[test]
    fn rotations_by_exif_orientation() {
        // 6 = rotate 90° clockwise: 1x2, red on top. 8 = counter-clockwise: green on top.
        let out = apply(red_green(), 6).unwrap();
        assert_eq!((out.width, out.height), (1, 2));
        assert_eq!(out.data, vec![255, 0, 0, 0, 255, 0]);
        let out = apply(red_green(), 8).unwrap();
        assert_eq!(out.data, vec![0, 255, 0, 255, 0, 0]);
        // 2 = mirrored: green, red.
        assert_eq!(
            apply(red_green(), 2).unwrap().data,
            vec![0, 255, 0, 255, 0, 0]
        );
        assert_eq!(apply(red_green(), 1).unwrap(), red_green());
    }
}

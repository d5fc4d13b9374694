//! EXIF orientation: rotating and flipping pixels so that the image is stored upright.

use image::metadata::Orientation;
use image::{DynamicImage, RgbImage, RgbaImage};

use crate::error::{Error, Result};
use crate::raster::Raster;

/// Whether orientation `o` (1-8) swaps width and height.
pub fn transposes(o: u8) -> bool {
    (5..=8).contains(&o)
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

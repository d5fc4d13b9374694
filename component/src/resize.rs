//! Geometry (which size, which crop, which canvas for each fit mode) and the resampling itself,
//! with `fast_image_resize` (SIMD128 on wasm32, premultiplied alpha).

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use crate::error::{Error, Result};
use crate::options::{Filter, Fit, Resolved};
use crate::raster::Raster;

/// An axis-aligned rectangle in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// What to do to an image of a given size: scale the whole image to `scaled`, keep `crop` of
/// it, and place that at (`canvas.x`, `canvas.y`) on a canvas of `canvas.width` x
/// `canvas.height` (the output size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub scaled: (u32, u32),
    pub crop: Rect,
    pub canvas: Rect,
}

impl Plan {
    /// The same plan for the image stored transposed (EXIF orientations 5-8), so that resizing
    /// can happen before orientation, on the smaller image.
    pub fn transposed(self) -> Plan {
        let t = |r: Rect| Rect {
            x: r.y,
            y: r.x,
            width: r.height,
            height: r.width,
        };
        Plan {
            scaled: (self.scaled.1, self.scaled.0),
            crop: t(self.crop),
            canvas: t(self.canvas),
        }
    }

    /// The output size.
    pub fn output(&self) -> (u32, u32) {
        (self.canvas.width, self.canvas.height)
    }

    /// Whether the pixels change size or get cropped at all.
    pub fn resamples(&self, width: u32, height: u32) -> bool {
        self.scaled != (width, height) || self.crop != whole(self.scaled)
    }
}

fn whole((width, height): (u32, u32)) -> Rect {
    Rect {
        x: 0,
        y: 0,
        width,
        height,
    }
}

fn scale_dim(len: u32, scale: f64) -> u32 {
    // Rounded, not truncated: 2725x2225 into 720x588 must give 720x588, not 720x587.
    ((f64::from(len) * scale).round() as u32).max(1)
}

/// Plans the geometry for an image of `width` x `height` (already oriented).
pub fn plan(width: u32, height: u32, opts: &Resolved) -> Plan {
    let (w, h) = (f64::from(width), f64::from(height));
    let sx = opts.max_width.map_or(f64::INFINITY, |m| f64::from(m) / w);
    let sy = opts.max_height.map_or(f64::INFINITY, |m| f64::from(m) / h);
    let limit = |scale: f64| {
        let scale = if scale.is_finite() { scale } else { 1.0 };
        if opts.allow_enlarge {
            scale
        } else {
            scale.min(1.0)
        }
    };
    let clamp = |v: u32, max: Option<u32>| max.map_or(v, |m| v.min(m));
    match opts.fit {
        Fit::Inside | Fit::Contain => {
            let s = limit(sx.min(sy));
            let scaled = (
                clamp(scale_dim(width, s), opts.max_width),
                clamp(scale_dim(height, s), opts.max_height),
            );
            let crop = whole(scaled);
            let canvas = match (opts.fit, opts.max_width, opts.max_height) {
                (Fit::Contain, Some(bw), Some(bh)) => Rect {
                    x: (bw - scaled.0) / 2,
                    y: (bh - scaled.1) / 2,
                    width: bw,
                    height: bh,
                },
                _ => crop,
            };
            Plan {
                scaled,
                crop,
                canvas,
            }
        }
        Fit::Cover => {
            let s = limit(sx.max(sy));
            let scaled = (scale_dim(width, s), scale_dim(height, s));
            let (cw, ch) = (
                clamp(scaled.0, opts.max_width),
                clamp(scaled.1, opts.max_height),
            );
            let crop = Rect {
                x: (scaled.0 - cw) / 2,
                y: (scaled.1 - ch) / 2,
                width: cw,
                height: ch,
            };
            Plan {
                scaled,
                crop,
                canvas: whole((cw, ch)),
            }
        }
        Fit::Fill => {
            let mut scaled = (
                opts.max_width.unwrap_or(width),
                opts.max_height.unwrap_or(height),
            );
            if !opts.allow_enlarge {
                scaled = (scaled.0.min(width), scaled.1.min(height));
            }
            Plan {
                scaled,
                crop: whole(scaled),
                canvas: whole(scaled),
            }
        }
    }
}

/// Resamples `src` (which may be a reduced decode of an image planned at another size) to the
/// plan's crop: the result is `plan.crop.width` x `plan.crop.height`.
pub fn resize(src: Raster, plan: &Plan, filter: Filter) -> Result<Raster> {
    let crop = plan.crop;
    if !plan.resamples(src.width, src.height) {
        return Ok(src);
    }
    // Map the crop from the planned scale to the decoded raster's pixels.
    let fx = f64::from(src.width) / f64::from(plan.scaled.0);
    let fy = f64::from(src.height) / f64::from(plan.scaled.1);
    let pixel_type = if src.alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let source =
        ImageRef::new(src.width, src.height, &src.data, pixel_type).map_err(resize_error)?;
    let mut dst = Image::new(crop.width, crop.height, pixel_type);
    let algorithm = match filter {
        Filter::Nearest => ResizeAlg::Nearest,
        Filter::Bilinear => ResizeAlg::Convolution(FilterType::Bilinear),
        Filter::CatmullRom => ResizeAlg::Convolution(FilterType::CatmullRom),
        Filter::Mitchell => ResizeAlg::Convolution(FilterType::Mitchell),
        Filter::Lanczos3 => ResizeAlg::Convolution(FilterType::Lanczos3),
    };
    let options = ResizeOptions::new()
        .resize_alg(algorithm)
        .use_alpha(src.alpha)
        .crop(
            f64::from(crop.x) * fx,
            f64::from(crop.y) * fy,
            f64::from(crop.width) * fx,
            f64::from(crop.height) * fy,
        );
    Resizer::new()
        .resize(&source, &mut dst, &options)
        .map_err(resize_error)?;
    Ok(Raster {
        width: crop.width,
        height: crop.height,
        alpha: src.alpha,
        data: dst.into_vec(),
    })
}

fn resize_error(e: impl std::fmt::Display) -> Error {
    Error::EncodeFailed(format!("resize: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;

    fn opts(w: Option<u32>, h: Option<u32>, fit: Fit, enlarge: bool) -> Resolved {
        Options {
            max_width: w,
            max_height: h,
            fit: Some(fit),
            allow_enlarge: Some(enlarge),
            ..Default::default()
        }
        .resolve()
        .unwrap()
    }

    #[test]
    fn inside_rounds_to_the_box() {
        let p = plan(2725, 2225, &opts(Some(720), Some(588), Fit::Inside, false));
        assert_eq!(p.output(), (720, 588));
        let p = plan(
            4000,
            3000,
            &opts(Some(1920), Some(1080), Fit::Inside, false),
        );
        assert_eq!(p.output(), (1440, 1080));
        let p = plan(4000, 3000, &opts(Some(100), None, Fit::Inside, false));
        assert_eq!(p.output(), (100, 75));
    }

    #[test]
    fn never_enlarges_unless_asked() {
        assert_eq!(
            plan(50, 40, &opts(Some(100), Some(100), Fit::Inside, false)).output(),
            (50, 40)
        );
        assert_eq!(
            plan(50, 40, &opts(Some(100), Some(100), Fit::Inside, true)).output(),
            (100, 80)
        );
        let c = plan(50, 40, &opts(Some(100), Some(100), Fit::Contain, false));
        assert_eq!(c.output(), (100, 100));
        assert_eq!((c.canvas.x, c.canvas.y), (25, 30));
        assert_eq!(
            plan(50, 40, &opts(Some(100), Some(20), Fit::Cover, false)).output(),
            (50, 20)
        );
    }

    #[test]
    fn cover_crops_the_centre() {
        let p = plan(400, 200, &opts(Some(100), Some(100), Fit::Cover, false));
        assert_eq!(p.scaled, (200, 100));
        assert_eq!(
            p.crop,
            Rect {
                x: 50,
                y: 0,
                width: 100,
                height: 100
            }
        );
        assert_eq!(p.output(), (100, 100));
    }

    #[test]
    fn extreme_aspect_ratios_keep_a_pixel() {
        assert_eq!(
            plan(100_000, 1, &opts(Some(100), Some(100), Fit::Inside, false)).output(),
            (100, 1)
        );
        assert_eq!(
            plan(1, 100_000, &opts(Some(100), Some(100), Fit::Inside, false)).output(),
            (1, 100)
        );
        assert_eq!(
            plan(1, 1, &opts(Some(100), Some(100), Fit::Fill, true)).output(),
            (100, 100)
        );
    }

    #[test]
    fn resize_with_crop_and_alpha() {
        let src = Raster::filled(40, 20, true, [10, 20, 30, 128]);
        let p = plan(40, 20, &opts(Some(10), Some(10), Fit::Cover, false));
        let out = resize(src, &p, Filter::Lanczos3).unwrap();
        assert_eq!((out.width, out.height), (10, 10));
        assert!(out.data.chunks_exact(4).all(|px| px == [10, 20, 30, 128]));
    }
}

//! Geometry (which size, which crop, which canvas for each fit mode) and the resampling itself,
//! with `fast_image_resize` (SIMD128 on wasm32, premultiplied alpha).

use fast_image_resize::images::{CroppedImage, Image, ImageRef};
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

/// What to do to an image: take `region` of it (in its full-size pixels), scale that to
/// `scaled`, keep `crop` of the result, and place that at (`canvas.x`, `canvas.y`) on a canvas of
/// `canvas.width` x `canvas.height` (the output size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub region: Rect,
    pub scaled: (u32, u32),
    pub crop: Rect,
    pub canvas: Rect,
}

impl Plan {
    /// The same plan for the image as stored, which orientation `o` (1-8) shows as the
    /// planned one: `region` is in the stored image's full-size pixels, as `stored_region`
    /// (this plan's region, mapped by the caller), and `crop` is turned with the image. Lets
    /// resizing happen before orientation, on the smaller image.
    pub fn stored(self, o: u8, stored_region: Rect) -> Plan {
        let (sw, sh) = self.scaled;
        let transposed = crate::orient::transposes(o);
        Plan {
            region: stored_region,
            scaled: if transposed { (sh, sw) } else { (sw, sh) },
            crop: crate::orient::rect_to_stored(o, self.crop, sw, sh),
            canvas: self.canvas,
        }
    }

    /// The output size.
    pub fn output(&self) -> (u32, u32) {
        (self.canvas.width, self.canvas.height)
    }

    /// Whether the pixels of an image of `full` size change size or get cropped at all.
    pub fn resamples(&self, full: (u32, u32)) -> bool {
        self.region != whole(full)
            || self.scaled != (self.region.width, self.region.height)
            || self.crop != whole(self.scaled)
    }

    /// The size the whole image of `full` size has at this plan's scale: a reduced decode at
    /// least this large loses nothing.
    pub fn whole_scaled(&self, full: (u32, u32)) -> (u32, u32) {
        let at = |len: u32, scaled: u32, region: u32| {
            (u64::from(len) * u64::from(scaled)).div_ceil(u64::from(region.max(1))) as u32
        };
        (
            at(full.0, self.scaled.0, self.region.width),
            at(full.1, self.scaled.1, self.region.height),
        )
    }
}

/// The rectangle covering an image of this size.
pub fn whole((width, height): (u32, u32)) -> Rect {
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

/// Where a span of `inner` pixels starts inside `outer` so that the point at fraction `at`
/// of `outer` is its centre, as far as it can be: 0.5 centres it (rounding down, as an even
/// split would), 0 and 1 push it to the edges.
fn place(outer: u32, inner: u32, at: f64) -> u32 {
    let room = outer.saturating_sub(inner);
    // Rounded to the nearest, ties down (an odd room splits as the centre's integer division
    // would); a fraction from an f32 (0.45 is 0.4499999881) must not lose a pixel to `floor`.
    let start = (at * f64::from(outer) - f64::from(inner) / 2.0 - 0.5).ceil();
    (start.max(0.0) as u32).min(room)
}

/// Plans the geometry for an image (or region) of `width` x `height`, already turned as it
/// will be shown; `at` is the point (fractions of the width and height) the crop of `cover`
/// centres on, or where `contain` places the image on its canvas.
pub fn plan(width: u32, height: u32, opts: &Resolved, at: (f64, f64)) -> Plan {
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
    let region = whole((width, height));
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
                    // The room left over, split by the fraction: centred, or against an edge.
                    x: (f64::from(bw - scaled.0) * at.0).floor() as u32,
                    y: (f64::from(bh - scaled.1) * at.1).floor() as u32,
                    width: bw,
                    height: bh,
                },
                _ => crop,
            };
            Plan {
                region,
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
                x: place(scaled.0, cw, at.0),
                y: place(scaled.1, ch, at.1),
                width: cw,
                height: ch,
            };
            Plan {
                region,
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
                region,
                scaled,
                crop: whole(scaled),
                canvas: whole(scaled),
            }
        }
    }
}

/// Resamples `src`, a decode of an image whose full size is `full` (reduced, or not), to the
/// plan's crop: the result is `plan.crop.width` x `plan.crop.height`.
pub fn resize(src: Raster, full: (u32, u32), plan: &Plan, filter: Filter) -> Result<Raster> {
    if (src.width, src.height) == full && !plan.resamples(full) {
        return Ok(src);
    }
    resample(&src, full, plan, filter)
}

/// [`resize`], always into a new raster.
pub fn resample(src: &Raster, full: (u32, u32), plan: &Plan, filter: Filter) -> Result<Raster> {
    let crop = plan.crop;
    let pixel_type = if src.alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let source =
        ImageRef::new(src.width, src.height, &src.data, pixel_type).map_err(resize_error)?;
    let mut dst = Image::new(crop.width, crop.height, pixel_type);
    let (left, top, width, height) = source_box((src.width, src.height), full, plan);
    let options = ResizeOptions::new()
        .resize_alg(algorithm(filter))
        .use_alpha(src.alpha)
        .crop(left, top, width, height);
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

/// [`resample`] for a YCbCr JPEG decoded to its planes (`size` is the decoded image's): each
/// plane is resized on its own straight to the output size, then converted to RGB there. The
/// same as converting and upsampling the chroma first, then resizing (resampling is linear, and
/// so is the conversion, up to rounding and clamping), for a fraction of the work: the chroma
/// of 4:2:0 is resized from a quarter of the pixels, nothing is upsampled, and the conversion
/// runs on the output's pixels instead of the decoded image's.
pub fn resample_ycbcr(
    planes: &[jpeg_decoder::Plane; 3],
    size: (u32, u32),
    full: (u32, u32),
    plan: &Plan,
    filter: Filter,
) -> Result<Raster> {
    let crop = plan.crop;
    let [y, cb, cr] = resample_planes(planes, size, full, plan, filter, [1, 1, 1])?;
    let out_width = (crop.width as usize).max(1);
    let mut data = vec![0; crop.width as usize * crop.height as usize * 3];
    let rows = y
        .chunks_exact(out_width)
        .zip(cb.chunks_exact(out_width))
        .zip(cr.chunks_exact(out_width));
    for (rgb, ((y, cb), cr)) in data.chunks_exact_mut(out_width * 3).zip(rows) {
        jpeg_decoder::ycbcr_to_rgb_row(y, cb, cr, rgb);
    }
    Ok(Raster {
        width: crop.width,
        height: crop.height,
        alpha: false,
        data,
    })
}

/// A JPEG's YCbCr resized, with the chroma at half the width and height (rounded up) and the
/// full range JPEG stores: what lossy WebP encodes (4:2:0, in its own studio range), so that a
/// JPEG made into a WebP goes through no RGB at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Yuv420 {
    pub width: u32,
    pub height: u32,
    /// `width` x `height` samples.
    pub y: Vec<u8>,
    /// `width.div_ceil(2)` x `height.div_ceil(2)` samples each.
    pub cb: Vec<u8>,
    pub cr: Vec<u8>,
}

/// Resizes a JPEG's YCbCr planes as [`resample_ycbcr`] does, with the chroma straight to half
/// the output's size: a quarter of the chroma work, and no conversion at all.
pub fn resample_yuv420(
    planes: &[jpeg_decoder::Plane; 3],
    size: (u32, u32),
    full: (u32, u32),
    plan: &Plan,
    filter: Filter,
) -> Result<Yuv420> {
    let [y, cb, cr] = resample_planes(planes, size, full, plan, filter, [1, 2, 2])?;
    Ok(Yuv420 {
        width: plan.crop.width,
        height: plan.crop.height,
        y,
        cb,
        cr,
    })
}

/// Each plane's share of `plan`'s crop box resized to the crop's size divided by its entry in
/// `blocks` (rounded up): 1 for a sample per pixel, 2 for one per 2x2 pixels (the chroma of
/// [`Yuv420`]). For an odd size such a plane's last sample would reach a pixel past the crop,
/// and the resizer takes nothing past the image's edge: the whole blocks are resized from
/// their own share of the box, and the last sample repeats the one before it.
fn resample_planes(
    planes: &[jpeg_decoder::Plane; 3],
    size: (u32, u32),
    full: (u32, u32),
    plan: &Plan,
    filter: Filter,
    blocks: [u32; 3],
) -> Result<[Vec<u8>; 3]> {
    let crop = plan.crop;
    let (left, top, width, height) = source_box(size, full, plan);
    let mut resizer = Resizer::new();
    let mut resized: [Vec<u8>; 3] = Default::default();
    for ((plane, block), out) in planes.iter().zip(blocks).zip(&mut resized) {
        // Whole blocks of the crop (or the one part block of a crop narrower than a block).
        let whole_blocks = |pixels: u32| (pixels / block).max(pixels.div_ceil(block).min(1));
        let (out_w, out_h) = (whole_blocks(crop.width), whole_blocks(crop.height));
        // The box in this plane's samples: a chroma plane covers its share of the image, and
        // the output's samples cover `block` pixels of the crop each.
        let share = |(factor, max): (u8, u8)| f64::from(factor) / f64::from(max.max(1));
        let (fx, fy) = (share(plane.horizontal), share(plane.vertical));
        let cover = |out: u32, pixels: u32| (f64::from(out * block) / f64::from(pixels)).min(1.0);
        let (gx, gy) = (cover(out_w, crop.width), cover(out_h, crop.height));
        let (valid_w, valid_h) = (plane.width as f64, plane.height as f64);
        let (x, y) = ((left * fx).min(valid_w), (top * fy).min(valid_h));
        let (w, h) = (
            (width * fx * gx).min(valid_w - x),
            (height * fy * gy).min(valid_h - y),
        );
        let rows = u32::try_from(plane.data.len() / plane.stride.max(1)).map_err(resize_error)?;
        let stride = u32::try_from(plane.stride).map_err(resize_error)?;
        let padded =
            ImageRef::new(stride, rows, &plane.data, PixelType::U8).map_err(resize_error)?;
        // Only the plane's own samples: the rest pad it to whole blocks, and a file may hold
        // anything there. The filter's window stops at this edge, as it does at the edge of
        // an RGB raster.
        let (width, height) = (
            u32::try_from(plane.width).map_err(resize_error)?,
            u32::try_from(plane.height).map_err(resize_error)?,
        );
        let source = CroppedImage::new(&padded, 0, 0, width, height).map_err(resize_error)?;
        let mut dst = Image::new(out_w, out_h, PixelType::U8);
        let options = ResizeOptions::new()
            .resize_alg(algorithm(filter))
            .crop(x, y, w, h);
        resizer
            .resize(&source, &mut dst, &options)
            .map_err(resize_error)?;
        let full_size = (crop.width.div_ceil(block), crop.height.div_ceil(block));
        *out = repeat_edges(dst.into_vec(), (out_w, out_h), full_size);
    }
    Ok(resized)
}

/// `samples` (`from.0` x `from.1`) grown to `to` by repeating the last column and row.
fn repeat_edges(samples: Vec<u8>, from: (u32, u32), to: (u32, u32)) -> Vec<u8> {
    if from == to {
        return samples;
    }
    let (w, to_w) = (from.0 as usize, to.0 as usize);
    let mut grown = Vec::with_capacity(to_w * to.1 as usize);
    for row in samples.chunks_exact(w.max(1)) {
        grown.extend_from_slice(row);
        let last = row.last().copied().unwrap_or_default();
        grown.resize(grown.len() + to_w - w, last);
    }
    let last_row = grown.len().saturating_sub(to_w);
    for _ in from.1..to.1 {
        grown.extend_from_within(last_row..last_row + to_w);
    }
    grown
}

/// The part of a decoded image of `size` that `plan`'s crop covers, in its pixels (left, top,
/// width, height): the crop mapped from the planned scale through the region (full-size
/// pixels), then by the decode's own reduction.
fn source_box(size: (u32, u32), full: (u32, u32), plan: &Plan) -> (f64, f64, f64, f64) {
    let crop = plan.crop;
    let (kx, ky) = (
        f64::from(size.0) / f64::from(full.0),
        f64::from(size.1) / f64::from(full.1),
    );
    let region = plan.region;
    let fx = f64::from(region.width) / f64::from(plan.scaled.0) * kx;
    let fy = f64::from(region.height) / f64::from(plan.scaled.1) * ky;
    let (x0, y0) = (f64::from(region.x) * kx, f64::from(region.y) * ky);
    // Clamped to the source: the products above may pass its edge by a rounding error.
    let (left, top) = (x0 + f64::from(crop.x) * fx, y0 + f64::from(crop.y) * fy);
    let (left, top) = (left.min(f64::from(size.0)), top.min(f64::from(size.1)));
    let width = (f64::from(crop.width) * fx).min(f64::from(size.0) - left);
    let height = (f64::from(crop.height) * fy).min(f64::from(size.1) - top);
    (left, top, width, height)
}

fn algorithm(filter: Filter) -> ResizeAlg {
    match filter {
        Filter::Nearest => ResizeAlg::Nearest,
        Filter::Bilinear => ResizeAlg::Convolution(FilterType::Bilinear),
        Filter::CatmullRom => ResizeAlg::Convolution(FilterType::CatmullRom),
        Filter::Mitchell => ResizeAlg::Convolution(FilterType::Mitchell),
        Filter::Lanczos3 => ResizeAlg::Convolution(FilterType::Lanczos3),
    }
}

fn resize_error(e: impl std::fmt::Display) -> Error {
    Error::EncodeFailed(format!("resize: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{Options, Resolve};

    const CENTRE: (f64, f64) = (0.5, 0.5);

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
        let p = plan(
            2725,
            2225,
            &opts(Some(720), Some(588), Fit::Inside, false),
            CENTRE,
        );
        assert_eq!(p.output(), (720, 588));
        let p = plan(
            4000,
            3000,
            &opts(Some(1920), Some(1080), Fit::Inside, false),
            CENTRE,
        );
        assert_eq!(p.output(), (1440, 1080));
        let p = plan(
            4000,
            3000,
            &opts(Some(100), None, Fit::Inside, false),
            CENTRE,
        );
        assert_eq!(p.output(), (100, 75));
    }

    #[test]
    fn never_enlarges_unless_asked() {
        assert_eq!(
            plan(
                50,
                40,
                &opts(Some(100), Some(100), Fit::Inside, false),
                CENTRE
            )
            .output(),
            (50, 40)
        );
        assert_eq!(
            plan(
                50,
                40,
                &opts(Some(100), Some(100), Fit::Inside, true),
                CENTRE
            )
            .output(),
            (100, 80)
        );
        let c = plan(
            50,
            40,
            &opts(Some(100), Some(100), Fit::Contain, false),
            CENTRE,
        );
        assert_eq!(c.output(), (100, 100));
        assert_eq!((c.canvas.x, c.canvas.y), (25, 30));
        assert_eq!(
            plan(
                50,
                40,
                &opts(Some(100), Some(20), Fit::Cover, false),
                CENTRE
            )
            .output(),
            (50, 20)
        );
    }

    #[test]
    fn cover_crops_the_centre() {
        let p = plan(
            400,
            200,
            &opts(Some(100), Some(100), Fit::Cover, false),
            CENTRE,
        );
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
    fn gravity_and_focal_points_move_the_crop() {
        let o = opts(Some(100), Some(100), Fit::Cover, false);
        let x = |at| plan(400, 200, &o, at).crop.x;
        assert_eq!(x((0.0, 0.5)), 0);
        assert_eq!(x((1.0, 0.5)), 100);
        // A point near an edge keeps the crop inside the image.
        assert_eq!(x((0.9, 0.5)), 100);
        assert_eq!(x((0.25, 0.5)), 0);
        assert_eq!(x((0.375, 0.5)), 25);
        let c = |at| plan(50, 40, &opts(Some(100), Some(100), Fit::Contain, false), at).canvas;
        assert_eq!((c((0.0, 0.0)).x, c((0.0, 0.0)).y), (0, 0));
        assert_eq!((c((1.0, 1.0)).x, c((1.0, 1.0)).y), (50, 60));
    }

    #[test]
    fn extreme_aspect_ratios_keep_a_pixel() {
        assert_eq!(
            plan(
                100_000,
                1,
                &opts(Some(100), Some(100), Fit::Inside, false),
                CENTRE
            )
            .output(),
            (100, 1)
        );
        assert_eq!(
            plan(
                1,
                100_000,
                &opts(Some(100), Some(100), Fit::Inside, false),
                CENTRE
            )
            .output(),
            (1, 100)
        );
        assert_eq!(
            plan(1, 1, &opts(Some(100), Some(100), Fit::Fill, true), CENTRE).output(),
            (100, 100)
        );
    }

    #[test]
    fn resize_with_crop_and_alpha() {
        let src = Raster::filled(40, 20, true, [10, 20, 30, 128]);
        let p = plan(40, 20, &opts(Some(10), Some(10), Fit::Cover, false), CENTRE);
        let out = resize(src, (40, 20), &p, Filter::Lanczos3).unwrap();
        assert_eq!((out.width, out.height), (10, 10));
        assert!(out.data.chunks_exact(4).all(|px| px == [10, 20, 30, 128]));
    }

    /// The PSNR of `b` against `a`, in dB.
    fn psnr(a: &[u8], b: &[u8]) -> f64 {
        let se: f64 = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
            .sum();
        10.0 * (255.0f64.powi(2) * a.len() as f64 / se).log10()
    }

    /// A JPEG resized by `plan` both ways: converted (with the decoder's own chroma
    /// upsampling) and then resized, and resized plane by plane and then converted.
    fn both_ways(
        jpeg: &[u8],
        full: (u32, u32),
        plan: &Plan,
        at_least: Option<(u32, u32)>,
    ) -> (Raster, Raster) {
        use crate::color::Plan as Colour;
        use crate::decode::Source;
        use crate::options::{ColorProfile, OutputFormat};

        let open = || Source::open(jpeg, u64::MAX).unwrap();
        let colour = Colour::new(open().declared(), ColorProfile::Srgb, OutputFormat::Png).unwrap();
        let (decoded, _) = open().decode(at_least, &colour).unwrap();
        let first = resize(decoded, full, plan, Filter::Lanczos3).unwrap();
        let resized = open().decode_resized(at_least, &colour, full, plan, Filter::Lanczos3, false);
        let Ok(crate::decode::Resized::Rgb(planar, _)) = resized else {
            panic!("no RGB pixels");
        };
        assert_eq!((planar.width, planar.height), (first.width, first.height));
        (first, planar)
    }

    fn plan_for(region: Rect, scaled: (u32, u32)) -> Plan {
        Plan {
            region,
            scaled,
            crop: whole(scaled),
            canvas: whole(scaled),
        }
    }

    /// An RGB picture of `size`, each pixel from `pixel(x, y)`.
    fn picture_of((width, height): (u32, u32), pixel: impl Fn(u32, u32) -> [u8; 3]) -> Raster {
        let data = (0..height)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .flat_map(|(x, y)| pixel(x, y))
            .collect();
        Raster {
            width,
            height,
            alpha: false,
            data,
        }
    }

    /// `picture` as a JPEG at quality 95 with the chroma `sampling`.
    fn jpeg_of(picture: &Raster, sampling: jpeg_encoder::SamplingFactor) -> Vec<u8> {
        let mut jpeg = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 95);
        encoder.set_sampling_factor(sampling);
        let (width, height) = (picture.width as u16, picture.height as u16);
        encoder
            .encode(&picture.data, width, height, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        jpeg
    }

    /// Against the picture itself (its pixels before JPEG, resized), a JPEG resized plane by
    /// plane and converted at the output size is as close as one converted (with the decoder's
    /// chroma upsampling) and then resized, for every chroma subsampling, with and without DCT
    /// scaling, for a region, and enlarged. The picture's hard-edged saturated colour bars are
    /// the worst case for subsampled chroma, where the two ways differ most (the upsampler's
    /// triangle against the resize's own filter), so the bound is 3 dB below converting first
    /// (or below 40 dB, where both are nearly invisible): measured, 1.3 dB at worst. A chroma
    /// plane placed by the luma's geometry (its share of the image taken as 1) fails it with
    /// 6.4 dB for the region.
    #[test]
    fn a_jpeg_s_planes_resized_then_converted_are_as_close_to_the_picture() {
        use jpeg_encoder::SamplingFactor;

        let full = (301u32, 203u32);
        let picture = picture_of(full, |x, y| {
            // Smooth ramps crossed by hard-edged colour bars and a diagonal.
            let bar = (x / 23 + y / 31) % 4;
            let edge = if x * 2 > y * 3 { 90 } else { 0 };
            let (r, g, b) = match bar {
                0 => (230, 40 + (y % 64) as u8, 30),
                1 => (20, 200, 40 + (x % 128) as u8),
                2 => (40, 60, 220),
                _ => ((x % 256) as u8, (y % 256) as u8, 128),
            };
            [r, g.saturating_add(edge), b]
        });
        let region = Rect {
            x: 37,
            y: 21,
            width: 200,
            height: 150,
        };
        let mut worst = f64::INFINITY;
        for sampling in [
            SamplingFactor::R_4_4_4,
            SamplingFactor::R_4_2_2,
            SamplingFactor::R_4_2_0,
            SamplingFactor::R_4_4_0,
            SamplingFactor::R_4_1_1,
        ] {
            let jpeg = jpeg_of(&picture, sampling);
            for (region, scaled) in [
                (whole(full), (150, 101)),
                (whole(full), (70, 47)),
                (region, (120, 90)),
                (whole(full), (400, 270)),
            ] {
                let plan = plan_for(region, scaled);
                let truth = resample(&picture, full, &plan, Filter::Lanczos3).unwrap();
                for at_least in [None, Some(plan.whole_scaled(full))] {
                    let (first, planar) = both_ways(&jpeg, full, &plan, at_least);
                    let (a, b) = (
                        psnr(&truth.data, &first.data),
                        psnr(&truth.data, &planar.data),
                    );
                    worst = worst.min(b - a.min(40.0));
                    assert!(
                        b > a.min(40.0) - 3.0,
                        "{sampling:?} {region:?} to {scaled:?}, {at_least:?}: {b:.1} dB from the \
                         picture, against {a:.1} dB converting first"
                    );
                }
            }
        }
        eprintln!("worst: {worst:.1} dB");
    }

    /// A JPEG made into lossy WebP from its planes (no RGB between: [`resample_yuv420`]) against
    /// the same through RGB ([`resample_ycbcr`], then libwebp's own conversion), both decoded
    /// by image-webp (not libwebp) and compared with the picture itself resized: for every
    /// chroma subsampling, odd and even sizes, a region and an enlargement, the planes must be
    /// within 0.5 dB of the RGB way and keep each channel's mean within 1.5 levels of the
    /// picture's. Measured: the planes 0.20 dB better on average, 0.10 dB worse at most, the
    /// means within 0.40 levels. Full-range samples handed over as studio range fail it (6.1 dB
    /// worse), and so does an odd size's last chroma sample reaching past the crop with the box
    /// cut at the image's edge (2.6 dB worse).
    #[cfg(feature = "webp-lossy")]
    #[test]
    fn a_jpeg_s_planes_made_into_webp_are_as_close_to_the_picture() {
        use crate::color::Plan as Colour;
        use crate::decode::{Resized, Source};
        use crate::encode::{Picture, Settings, encode};
        use crate::options::{ColorProfile, OutputFormat};
        use jpeg_encoder::SamplingFactor;

        let full = (301u32, 203u32);
        let picture = picture_of(full, |x, y| {
            // Smooth ramps in every hue, with a few hard edges.
            let edge = if (x / 37 + y / 29) % 3 == 0 { 60 } else { 0 };
            [
                (x * 255 / full.0) as u8,
                ((y * 255 / full.1) as u8).saturating_add(edge),
                (((x + y) * 255 / (full.0 + full.1)) as u8) ^ 0x40,
            ]
        });
        let region = Rect {
            x: 37,
            y: 21,
            width: 201,
            height: 151,
        };
        let webp = |picture: Picture<'_>| {
            let bytes = encode(
                picture,
                OutputFormat::Webp,
                Settings::quality(90),
                <_>::default(),
            );
            let image =
                image::load_from_memory_with_format(&bytes.unwrap(), image::ImageFormat::WebP);
            image.unwrap().to_rgb8().into_raw()
        };
        let means = |data: &[u8]| {
            let mut sums = [0f64; 3];
            for pixel in data.chunks_exact(3) {
                for (sum, &v) in sums.iter_mut().zip(pixel) {
                    *sum += f64::from(v);
                }
            }
            sums.map(|sum| sum / (data.len() / 3) as f64)
        };
        let (mut gain, mut cases, mut worst_mean) = (0.0, 0, 0f64);
        for sampling in [
            SamplingFactor::R_4_4_4,
            SamplingFactor::R_4_2_2,
            SamplingFactor::R_4_2_0,
        ] {
            let jpeg = jpeg_of(&picture, sampling);
            for (region, scaled) in [
                (whole(full), (150, 100)),
                (whole(full), (71, 47)),
                (region, (121, 91)),
                (whole(full), (401, 271)),
            ] {
                let plan = plan_for(region, scaled);
                let truth = resample(&picture, full, &plan, Filter::Lanczos3).unwrap();
                let (_, through_rgb) = both_ways(&jpeg, full, &plan, None);
                let open = || Source::open(&jpeg, u64::MAX).unwrap();
                let colour =
                    Colour::new(open().declared(), ColorProfile::Srgb, OutputFormat::Webp).unwrap();
                let resized =
                    open().decode_resized(None, &colour, full, &plan, Filter::Lanczos3, true);
                let Ok(Resized::Yuv420(planes)) = resized else {
                    panic!("no planes");
                };
                assert_eq!((planes.width, planes.height), scaled);
                let (a, b) = (
                    webp(Picture::Rgb(&through_rgb)),
                    webp(Picture::Yuv420(&planes)),
                );
                let (a_db, b_db) = (psnr(&truth.data, &a), psnr(&truth.data, &b));
                let case = format!("{sampling:?} {region:?} to {scaled:?}");
                assert!(
                    b_db > a_db - 0.5,
                    "{case}: {b_db:.2} dB from the picture, against {a_db:.2} dB through RGB"
                );
                for (got, want) in means(&b).into_iter().zip(means(&truth.data)) {
                    worst_mean = worst_mean.max((got - want).abs());
                    assert!(
                        (got - want).abs() < 1.5,
                        "{case}: mean {got:.2}, not {want:.2}"
                    );
                }
                gain += b_db - a_db;
                cases += 1;
            }
        }
        eprintln!(
            "planes against RGB: {:+.2} dB on average; means within {worst_mean:.2}",
            gain / f64::from(cases)
        );
    }

    #[test]
    fn repeat_edges_grows_by_the_last_column_and_row() {
        assert_eq!(
            repeat_edges(vec![1, 2, 3, 4], (2, 2), (3, 3)),
            [1, 2, 2, 3, 4, 4, 3, 4, 4]
        );
        assert_eq!(repeat_edges(vec![1, 2], (2, 1), (2, 1)), [1, 2]);
    }

    /// On photos, against the same photo decoded whole (no DCT scaling), converted and resized,
    /// both ways (above) with DCT scaling are about as close: measured, the planes 0.8 dB
    /// further at worst; and without DCT scaling the planes give nearly the same pixels (44.4 dB
    /// at worst).
    #[test]
    fn on_photos_a_jpeg_s_planes_resized_then_converted_look_the_same() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../test-host/tests/images/sharp");
        let (mut scaled_worst, mut whole_worst) = (f64::INFINITY, f64::INFINITY);
        // 4:2:0 and 4:4:4.
        for name in ["Landscape_2.jpg", "Portrait_1.jpg", "320x240.jpg"] {
            let jpeg = std::fs::read(dir.join(name)).unwrap();
            let info = crate::inspect(&jpeg).unwrap();
            let full = (info.width, info.height);
            for scaled in [(full.0 / 3, full.1 / 3), (full.0 * 2 / 5, full.1 * 2 / 5)] {
                let plan = plan_for(whole(full), scaled);
                let (truth, planar) = both_ways(&jpeg, full, &plan, None);
                let p = psnr(&truth.data, &planar.data);
                whole_worst = whole_worst.min(p);
                assert!(p > 42.0, "{name} to {scaled:?}: {p:.1} dB");
                let (first, planar) = both_ways(&jpeg, full, &plan, Some(plan.whole_scaled(full)));
                let (a, b) = (
                    psnr(&truth.data, &first.data),
                    psnr(&truth.data, &planar.data),
                );
                scaled_worst = scaled_worst.min(b - a);
                assert!(
                    b > a - 1.0,
                    "{name} to {scaled:?}: {b:.1} dB against {a:.1} dB"
                );
            }
        }
        eprintln!("worst: scaled {scaled_worst:.1} dB, whole {whole_worst:.1} dB");
    }

    /// Whatever a JPEG holds past its edge in the last blocks (the encoder's padding, or what
    /// a lossless crop left there) stays out of the resized image. The file here is a 32x32
    /// mid-grey picture with magenta in its last 7 columns and rows, declared 25x25. Measured:
    /// at most 11 levels from the grey (8 converting first, the blocks' ringing); 43 when the
    /// planes' padding was resized with them.
    #[test]
    fn a_jpeg_s_padding_stays_out_of_its_planes_resized() {
        use jpeg_encoder::SamplingFactor;

        let picture = picture_of((32, 32), |x, y| {
            if x < 25 && y < 25 {
                [128, 128, 128]
            } else {
                [255, 0, 255]
            }
        });
        for sampling in [SamplingFactor::R_4_2_0, SamplingFactor::R_4_4_4] {
            let mut jpeg = jpeg_of(&picture, sampling);
            // The frame header (SOF0): height, then width, after the length and precision.
            let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
            jpeg[sof + 5..sof + 9].copy_from_slice(&[0, 25, 0, 25]);
            let full = (25, 25);
            for scaled in [(40, 40), (12, 12)] {
                let plan = plan_for(whole(full), scaled);
                let (first, planar) = both_ways(&jpeg, full, &plan, None);
                let off = |r: &Raster| r.data.iter().map(|&v| v.abs_diff(128)).max().unwrap();
                // The blocks' own ringing reaches into the picture either way.
                assert!(
                    off(&planar) <= off(&first) + 4,
                    "{sampling:?} to {scaled:?}: {} levels from the grey, against {} \
                     converting first",
                    off(&planar),
                    off(&first)
                );
            }
        }
    }
}

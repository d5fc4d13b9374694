//! The whole operation, in the order the WIT `options` record documents: limits, decode
//! (reduced where it is free), colour, orientation, trim, extract, turn, resize (with gravity,
//! focal point or smart crop), blur, sharpen, pad, extend, overlay, flatten, placeholder, encode
//! (within `max-bytes`).
//! Each stage is its own module; this one only orders them.
//!
//! Most requests take the direct path: the geometry is planned from the header, the image is
//! decoded (at 1/2, 1/4 or 1/8 where that loses nothing), resized in the stored frame (a YCbCr
//! JPEG plane by plane, converted to RGB at the output size, or not at all for lossy WebP) and
//! turned once, small. `trim` and turns that are not quarter turns need the whole upright image first,
//! so they take the materialised path: decode, turn, trim and rotate at full size, then plan.

use crate::decode::{Info, Resized, Source};
use crate::error::{Error, Result};
use crate::metadata::{Embedded, Metadata};
use crate::options::{
    ChromaSubsampling, Filter, Fit, Focus, Gravity, OptionName, Options, OutputFormat, Region,
    Resolve, Resolved,
};
use crate::raster::Raster;
use crate::resize::{Plan, Rect, whole};
use crate::{
    animation, blur, border, color, encode, orient, overlay, placeholder, resize, rotate, sharpen,
    smart,
};

/// An encoded result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub image: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub format: OutputFormat,
    /// The placeholder `options.placeholder` asked for.
    pub placeholder: Option<String>,
}

/// Decodes `input`, orients, resizes and encodes it as `format`.
pub fn process(input: &[u8], options: &Options, format: OutputFormat) -> Result<Processed> {
    let opts = options.resolve()?;
    if input.is_empty() {
        return Err(Error::EmptyInput);
    }
    let found = input.len() as u64;
    if found > opts.max_input_bytes {
        return Err(Error::too_many_bytes(found, opts.max_input_bytes));
    }
    let settings = encode::Settings {
        quality: opts.quality,
        progressive: opts.progressive,
        chroma: opts.chroma_subsampling,
        effort: opts.effort,
        optimize: opts.optimize_coding,
    };
    let mut source = Source::open(input, opts.max_input_pixels)?;
    let info = source.info();

    let exif = if opts.auto_orient {
        info.orientation
    } else {
        1
    };
    let colour = color::Plan::new(source.declared(), opts.color_profile, format)?;
    let mut metadata = if opts.keep_metadata {
        source.metadata()
    } else {
        Metadata::default()
    };
    if exif != 1 {
        // The pixels will be upright: an orientation kept with them would turn them again.
        metadata.reset_orientation();
    }
    let bg = colour.background(opts.background).rgba();
    let extra = Embedded {
        icc: colour.embed.as_deref(),
        exif: metadata.exif.as_deref(),
        xmp: metadata.xmp.as_deref(),
    };
    let look = Look {
        opts: &opts,
        overlay: options.overlay.as_ref().map(|o| o.image.as_slice()),
        format,
        background: bg,
    };
    let animation = if opts.animated && animation::writes(format) {
        animation::header(input, info.format)
    } else {
        animation::STILL
    };
    if animation.frames > 1 {
        let animated = Animated {
            input,
            info: &info,
            header: animation,
            colour: &colour,
            exif,
            settings,
            extra,
        };
        drop(source);
        return animated.process(&look);
    }

    let (made, plan) = if opts.trim.is_some() || opts.free_angle != 0.0 {
        let (raster, converted) = source.decode(None, &colour)?;
        let (raster, decisions) =
            materialised(raster, converted, &opts, &colour, exif, format, bg, None)?;
        (Made::Rgb(raster), decisions.plan)
    } else {
        // Lossy WebP encodes YCbCr 4:2:0: a JPEG's planes may go to it as they are, when
        // nothing after the resize works on RGB.
        let yuv420 = format == OutputFormat::Webp
            && settings.chroma != Some(ChromaSubsampling::Yuv444)
            && look.keeps_pixels()
            && opts.placeholder.is_none();
        direct(source, &info, &opts, &colour, exif, format, yuv420)?
    };
    let (finished, planes);
    let mut placeholder = None;
    let picture = match made {
        Made::Yuv420(made) => {
            planes = made;
            encode::Picture::Yuv420(&planes)
        }
        Made::Rgb(raster) => {
            finished = look.finish(raster, &plan, &mut None)?;
            placeholder = opts
                .placeholder
                .map(|kind| placeholder::compute(&finished, kind))
                .transpose()?;
            encode::Picture::Rgb(&finished)
        }
    };
    let image = encode::encode_within(picture, format, settings, extra, opts.max_bytes)?;
    let (width, height) = picture.size();
    Ok(Processed {
        image,
        width,
        height,
        format,
        placeholder,
    })
}

/// What the direct path made.
enum Made {
    /// The pixels, in sRGB (or the colour plan's output), upright.
    Rgb(Raster),
    /// A YCbCr JPEG's planes, resized, for lossy WebP: asked for, upright as stored and with
    /// no colour to convert.
    Yuv420(resize::Yuv420),
}

/// What every frame goes through after its geometry: blur, sharpen, pad, extend, overlay,
/// flatten.
struct Look<'a> {
    opts: &'a Resolved,
    /// The caller's overlay image, which `opts.overlay` places.
    overlay: Option<&'a [u8]>,
    format: OutputFormat,
    background: [u8; 4],
}

impl Look<'_> {
    /// `overlay` holds the overlay once prepared, for the frames after the first.
    /// Whether [`Look::finish`] leaves an opaque image as it is (flattening one changes nothing).
    fn keeps_pixels(&self) -> bool {
        let opts = self.opts;
        opts.blur.is_none()
            && opts.sharpen.is_none()
            && opts.fit != Fit::Contain
            && opts.extend.is_none()
            && opts.overlay.is_none()
    }

    fn finish(
        &self,
        mut raster: Raster,
        plan: &Plan,
        overlay: &mut Option<Raster>,
    ) -> Result<Raster> {
        let (opts, bg) = (self.opts, self.background);
        if let Some(sigma) = opts.blur {
            blur::blur(&mut raster, sigma);
        }
        if let Some(s) = opts.sharpen {
            sharpen::sharpen(&mut raster, &s);
        }
        let raster = if opts.fit == Fit::Contain && plan.output() != (raster.width, raster.height) {
            let c = plan.canvas;
            raster.pad(c.width, c.height, c.x, c.y, bg)
        } else {
            raster
        };
        let mut raster = match opts.extend {
            Some(edges) => border::extend(raster, edges, bg),
            None => raster,
        };
        if let (Some(layer), Some(image)) = (&opts.overlay, self.overlay) {
            if overlay.is_none() {
                let size = (raster.width, raster.height);
                let (mode, limit) = (opts.color_profile, opts.max_input_pixels);
                *overlay = Some(overlay::prepare(
                    image,
                    layer,
                    size,
                    mode,
                    self.format,
                    limit,
                )?);
            }
            if let Some(drawn) = overlay {
                overlay::draw(&mut raster, drawn, layer);
            }
        }
        Ok(if self.format.supports_alpha() {
            raster
        } else {
            raster.flatten([bg[0], bg[1], bg[2]])
        })
    }
}

/// An animated input that stays animated: every frame decoded in turn, put through the same
/// geometry (the first frame's trim box and plan, smart crop included, hold for all) and look,
/// and encoded with its delay.
struct Animated<'a> {
    input: &'a [u8],
    info: &'a Info,
    /// Frames and plays, counted before decoding.
    header: animation::Header,
    colour: &'a color::Plan,
    exif: u8,
    settings: encode::Settings,
    extra: Embedded<'a>,
}

impl Animated<'_> {
    fn process(&self, look: &Look<'_>) -> Result<Processed> {
        let (opts, format) = (look.opts, look.format);
        let (info, count) = (self.info, self.header.frames);
        if count > opts.max_animation_frames {
            return Err(Error::too_many_frames(
                count,
                opts.max_animation_frames,
                info.width,
                info.height,
            ));
        }
        let canvas = u64::from(info.width) * u64::from(info.height);
        let total = canvas.saturating_mul(u64::from(count));
        if total > opts.max_input_pixels {
            return Err(Error::too_many_animated_pixels(
                info.format,
                count,
                info.width,
                info.height,
                opts.max_input_pixels,
            ));
        }
        let mut decisions: Option<Decisions> = None;
        let mut overlay = None;
        let mut frames = Vec::with_capacity(count as usize);
        let max_alloc = crate::decode::alloc_limit(canvas);
        animation::decode(self.input, info.format, count, max_alloc, |frame| {
            let mut raster = frame.raster.drop_opaque_alpha();
            self.colour.convert_rgb8(&mut raster.data, raster.alpha)?;
            let (raster, made) = materialised(
                raster,
                true,
                opts,
                self.colour,
                self.exif,
                format,
                look.background,
                decisions.as_ref(),
            )?;
            let plan = made.plan;
            decisions.get_or_insert(made);
            let raster = look.finish(raster, &plan, &mut overlay)?;
            frames.push(animation::Frame {
                raster,
                delay_ms: frame.delay_ms,
            });
            Ok(())
        })?;
        let first = frames
            .first()
            .ok_or_else(|| Error::decode(info.format, "the animation has no frames"))?;
        let placeholder = opts
            .placeholder
            .map(|kind| placeholder::compute(&first.raster, kind))
            .transpose()?;
        let (width, height) = (first.raster.width, first.raster.height);
        let settings = animation::Settings {
            quality: self.settings.quality,
            method: self.settings.effort(),
            plays: self.header.plays,
        };
        let image = animation::encode(&frames, format, settings, self.extra)?;
        Ok(Processed {
            image,
            width,
            height,
            format,
            placeholder,
        })
    }
}

/// The direct path: plan from the header, decode (reduced where free), resize, turn once.
/// Returns the resized, upright raster and the plan (in the upright frame).
fn direct(
    source: Source<'_>,
    info: &Info,
    opts: &Resolved,
    colour: &color::Plan,
    exif: u8,
    format: OutputFormat,
    yuv420: bool,
) -> Result<(Made, Plan)> {
    let full = (info.width, info.height);
    let turn = orient::compose(1, opts.flip, opts.flop, opts.quarter_turns);
    let composed = orient::compose(exif, opts.flip, opts.flop, opts.quarter_turns);
    let upright = if orient::transposes(exif) {
        (full.1, full.0)
    } else {
        full
    };
    let region = extracted(opts.extract, upright)?;
    let stored_region = orient::rect_to_stored(exif, region, upright.0, upright.1);
    let shown = if orient::transposes(turn) {
        (region.height, region.width)
    } else {
        (region.width, region.height)
    };
    let mut plan = resize::plan(shown.0, shown.1, opts, opts.focus.point());
    check_output(&plan, opts, format)?;
    let mut stored = plan.stored(composed, stored_region);

    let at_least =
        (opts.fast_shrink_on_load && stored.resamples(full)).then(|| stored.whole_scaled(full));
    let (mut raster, converted) = if let Some(method) = smart_crop(opts) {
        let (raster, converted) = source.decode(at_least, colour)?;
        let view = analysis_view(&raster, full, &stored, composed)?;
        plan = resize::plan(
            shown.0,
            shown.1,
            opts,
            smart::focus(&view, crop_share(&plan), method),
        );
        stored = plan.stored(composed, stored_region);
        (
            resize::resize(raster, full, &stored, opts.filter)?,
            converted,
        )
    } else {
        // The planes stay as stored, so only when nothing turns them; and in the source's
        // colour, so only when that needs no conversion.
        let yuv420 = yuv420 && composed == 1 && !colour.converts();
        let filter = opts.filter;
        match source.decode_resized(at_least, colour, full, &stored, filter, yuv420)? {
            Resized::Rgb(raster, converted) => (raster, converted),
            Resized::Yuv420(planes) => return Ok((Made::Yuv420(planes), plan)),
        }
    };
    // An 8-bit RGB conversion waits for the resized raster: it costs per pixel, and the resize
    // works on the encoded values either way, so the order changes no colour measurably.
    if !converted {
        colour.convert_rgb8(&mut raster.data, raster.alpha)?;
    }
    Ok((Made::Rgb(orient::apply(raster, composed)?), plan))
}

/// What the materialised path decided from the pixels: for an animation, the first frame's
/// decisions hold for every frame, so that they stay aligned.
struct Decisions {
    /// The content `trim` found, when it found a border to cut.
    trim: Option<Rect>,
    plan: Plan,
}

/// The materialised path, for `trim`, free angles and animation frames: the whole image,
/// converted and upright, is trimmed, extracted and turned before the geometry is planned on
/// what is left (or taken from `made`, an earlier frame's).
#[allow(clippy::too_many_arguments)]
fn materialised(
    mut raster: Raster,
    converted: bool,
    opts: &Resolved,
    colour: &color::Plan,
    exif: u8,
    format: OutputFormat,
    background: [u8; 4],
    made: Option<&Decisions>,
) -> Result<(Raster, Decisions)> {
    if !converted {
        colour.convert_rgb8(&mut raster.data, raster.alpha)?;
    }
    let mut raster = orient::apply(raster, exif)?;
    let trim = match made {
        Some(made) => made.trim,
        None => opts
            .trim
            .and_then(|threshold| border::trim_box(&raster, threshold)),
    };
    if let Some(content) = trim {
        raster = raster.crop(content);
    }
    if opts.extract.is_some() {
        let region = extracted(opts.extract, (raster.width, raster.height))?;
        raster = raster.crop(region);
    }
    let turn = orient::compose(1, opts.flip, opts.flop, opts.quarter_turns);
    let mut raster = orient::apply(raster, turn)?;
    if opts.free_angle != 0.0 {
        raster = rotate::rotate(&raster, opts.free_angle, background);
    }
    let full = (raster.width, raster.height);
    let plan = match made {
        Some(made) => made.plan,
        None => {
            let mut plan = resize::plan(full.0, full.1, opts, opts.focus.point());
            check_output(&plan, opts, format)?;
            if let Some(method) = smart_crop(opts) {
                let view = analysis_view(&raster, full, &plan, 1)?;
                plan = resize::plan(
                    full.0,
                    full.1,
                    opts,
                    smart::focus(&view, crop_share(&plan), method),
                );
            }
            plan
        }
    };
    let raster = resize::resize(raster, full, &plan, opts.filter)?;
    Ok((raster, Decisions { trim, plan }))
}

/// The smart-crop method, when `cover` asks for one: the crop waits for the pixels.
fn smart_crop(opts: &Resolved) -> Option<Gravity> {
    match opts.focus {
        Focus::Smart(method) if opts.fit == Fit::Cover => Some(method),
        _ => None,
    }
}

/// The region `extract` asks for in an image of `size`, or the whole image.
fn extracted(extract: Option<Region>, size: (u32, u32)) -> Result<Rect> {
    let Some(r) = extract else {
        return Ok(whole(size));
    };
    let right = u64::from(r.left) + u64::from(r.width);
    let bottom = u64::from(r.top) + u64::from(r.height);
    if right > u64::from(size.0) || bottom > u64::from(size.1) {
        return Err(Error::invalid(
            OptionName::Extract,
            format!(
                "the region {},{},{},{} (left,top,width,height) reaches outside the {}x{} image",
                r.left, r.top, r.width, r.height, size.0, size.1
            ),
        ));
    }
    Ok(Rect {
        x: r.left,
        y: r.top,
        width: r.width,
        height: r.height,
    })
}

/// Refuses, before decoding, an output larger than `format` stores.
fn check_output(plan: &Plan, opts: &Resolved, format: OutputFormat) -> Result<()> {
    let (mut width, mut height) = plan.output();
    if let Some(e) = opts.extend {
        width = width.saturating_add(e.left).saturating_add(e.right);
        height = height.saturating_add(e.top).saturating_add(e.bottom);
    }
    if width.max(height) > format.max_dimension() {
        return Err(Error::too_large_for(format, width, height));
    }
    Ok(())
}

/// The share of the scaled image's width and height that the crop keeps.
fn crop_share(plan: &Plan) -> (f64, f64) {
    (
        f64::from(plan.crop.width) / f64::from(plan.scaled.0.max(1)),
        f64::from(plan.crop.height) / f64::from(plan.scaled.1.max(1)),
    )
}

/// A small copy of the planned region of `raster` (a decode of an image of `full` size),
/// turned by `o` as it will be shown: what smart crop looks at.
fn analysis_view(raster: &Raster, full: (u32, u32), stored: &Plan, o: u8) -> Result<Raster> {
    let (sw, sh) = stored.scaled;
    let shrink = (f64::from(smart::ANALYSIS_SIDE) / f64::from(sw.max(sh).max(1))).min(1.0);
    let size = |v: u32| ((f64::from(v) * shrink).round() as u32).max(1);
    let scaled = (size(sw), size(sh));
    let view = Plan {
        region: stored.region,
        scaled,
        crop: whole(scaled),
        canvas: whole(scaled),
    };
    orient::apply(resize::resample(raster, full, &view, Filter::Bilinear)?, o)
}

/// Reads the header of `input`: format, size, orientation, alpha, depth, frames.
pub fn inspect(input: &[u8]) -> Result<Info> {
    let mut info = Source::open(input, u64::MAX)?.info();
    info.frames = animation::header(input, info.format).frames;
    Ok(info)
}

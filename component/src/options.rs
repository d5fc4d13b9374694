//! Processing options: the caller's optional fields, checked and resolved to their defaults in
//! one place, so the rest of the pipeline never sees an unchecked value.

use crate::error::{Error, Result};

pub use imgpipe_names::{
    ChromaSubsampling, Color, ColorProfile, DEFAULT_MAX_ANIMATION_FRAMES, DEFAULT_MAX_INPUT_BYTES,
    DEFAULT_MAX_INPUT_PIXELS, DEFAULT_QUALITY, DEFAULT_SHARPEN_FLAT, DEFAULT_SHARPEN_JAGGED, Edges,
    Filter, Fit, Gravity, MAX_DIMENSION, OptionName, Options, OutputFormat, Overlay, Placeholder,
    Point, Region,
};

/// Where the crop of `cover` goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Focus {
    /// Centred on this point (fractions of the width and height), as far as the image allows;
    /// gravity's places are points on the edges and corners.
    Point(f64, f64),
    /// Chosen from the pixels.
    Smart(Gravity),
}

impl Focus {
    /// The point to plan with before any pixel is seen (the centre, for smart crop).
    pub fn point(self) -> (f64, f64) {
        match self {
            Focus::Point(x, y) => (x, y),
            Focus::Smart(_) => (0.5, 0.5),
        }
    }
}

/// `sharpen`'s parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sharpen {
    pub sigma: f32,
    pub flat: f32,
    pub jagged: f32,
}

/// `overlay`'s placement, checked, with its defaults. The image stays in the caller's
/// `Options` (it may be megabytes): the pipeline reads it there.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Where it sits, as fractions of the room left around it (gravity's places).
    pub at: (f64, f64),
    pub x: i32,
    pub y: i32,
    pub opacity: f32,
    pub scale: Option<f32>,
    pub tile: bool,
}

impl Layer {
    fn resolve(o: &Overlay) -> Result<Layer> {
        let refuse = |why: String| Error::invalid(OptionName::Overlay, why);
        if o.image.is_empty() {
            return Err(refuse("has no image".to_string()));
        }
        let gravity = o.gravity.unwrap_or_default();
        let at = gravity.fractions().ok_or_else(|| {
            refuse(format!(
                "gravity must be one of the nine places, got {gravity}"
            ))
        })?;
        let opacity = o.opacity.unwrap_or(1.0);
        if !(0.0..=1.0).contains(&opacity) {
            return Err(refuse(format!("opacity must be 0 to 1, got {opacity}")));
        }
        if let Some(scale) = o.scale
            && !(scale > 0.0 && scale <= 1.0)
        {
            return Err(refuse(format!(
                "scale must be above 0 and at most 1, got {scale}"
            )));
        }
        Ok(Layer {
            at,
            x: o.x.unwrap_or(0),
            y: o.y.unwrap_or(0),
            opacity,
            scale: o.scale,
            tile: o.tile.unwrap_or(false),
        })
    }
}

/// Options checked and resolved to their defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub quality: u8,
    pub max_width: Option<u32>,
    pub max_height: Option<u32>,
    pub fit: Fit,
    pub filter: Filter,
    pub background: Color,
    pub auto_orient: bool,
    pub allow_enlarge: bool,
    pub max_input_pixels: u64,
    pub max_input_bytes: u64,
    pub fast_shrink_on_load: bool,
    pub color_profile: ColorProfile,
    pub keep_metadata: bool,
    /// Clockwise quarter turns, 0-3.
    pub quarter_turns: u8,
    /// Degrees clockwise still to turn after the quarter turns, in (-45, 45]; 0 for a
    /// multiple of 90.
    pub free_angle: f64,
    pub flip: bool,
    pub flop: bool,
    pub progressive: bool,
    /// `None`: the output format's default.
    pub chroma_subsampling: Option<ChromaSubsampling>,
    /// `None`: the output format's default.
    pub effort: Option<u8>,
    pub optimize_coding: bool,
    pub placeholder: Option<Placeholder>,
    pub overlay: Option<Layer>,
    pub trim: Option<f32>,
    pub extract: Option<Region>,
    pub focus: Focus,
    pub blur: Option<f32>,
    pub sharpen: Option<Sharpen>,
    pub extend: Option<Edges>,
    pub max_bytes: Option<u64>,
    pub animated: bool,
    pub max_animation_frames: u32,
}

/// Checking and defaults for the options record.
pub trait Resolve {
    /// Checks every field and fills in the defaults.
    fn resolve(&self) -> Result<Resolved>;
}

/// A fractional option, checked against its range (NaN never passes).
fn float(name: OptionName, value: Option<f32>) -> Result<Option<f32>> {
    match value {
        Some(v) => name
            .check_float(v)
            .map(|()| Some(v))
            .map_err(|why| Error::invalid(name, why)),
        None => Ok(None),
    }
}

impl Resolve for Options {
    fn resolve(&self) -> Result<Resolved> {
        let check = |name: OptionName, value: u64| {
            name.check_range(value)
                .map_err(|why| Error::invalid(name, why))
        };
        let quality = self.quality.unwrap_or(DEFAULT_QUALITY);
        check(OptionName::Quality, quality.into())?;
        let dpr = float(OptionName::Dpr, self.dpr)?.unwrap_or(1.0);
        // The box in device pixels; its limits are checked as the caller's box would be.
        let scaled = |v: u32| {
            (f64::from(v) * f64::from(dpr))
                .round()
                .min(f64::from(u32::MAX)) as u32
        };
        let (max_width, max_height) = (self.max_width.map(scaled), self.max_height.map(scaled));
        for (name, value) in [
            (OptionName::MaxWidth, max_width),
            (OptionName::MaxHeight, max_height),
        ] {
            if let Some(v) = value {
                check(name, v.into())?;
            }
        }
        let fit = self.fit.unwrap_or_default();
        if fit != Fit::Inside && (max_width.is_none() || max_height.is_none()) {
            return Err(Error::invalid(
                OptionName::Fit,
                format!(
                    "{fit} needs both {} and {}",
                    OptionName::MaxWidth,
                    OptionName::MaxHeight
                ),
            ));
        }
        let rotate = f64::from(float(OptionName::Rotate, self.rotate)?.unwrap_or(0.0));
        // Whole quarter turns are exact; what is left, in (-45, 45], is resampled.
        let turns = (rotate / 90.0).round();
        let free_angle = rotate - turns * 90.0;
        let free_angle = if free_angle.abs() < 1e-6 {
            0.0
        } else {
            free_angle
        };
        let quarter_turns = (turns as i64).rem_euclid(4) as u8;
        let max_input_pixels = self.max_input_pixels.unwrap_or(DEFAULT_MAX_INPUT_PIXELS);
        check(OptionName::MaxInputPixels, max_input_pixels)?;
        let max_input_bytes = self.max_input_bytes.unwrap_or(DEFAULT_MAX_INPUT_BYTES);
        check(OptionName::MaxInputBytes, max_input_bytes)?;
        if let Some(max) = self.max_bytes {
            check(OptionName::MaxBytes, max)?;
        }
        let max_animation_frames = self
            .max_animation_frames
            .unwrap_or(DEFAULT_MAX_ANIMATION_FRAMES);
        check(OptionName::MaxAnimationFrames, max_animation_frames.into())?;
        if let Some(effort) = self.effort {
            check(OptionName::Effort, effort.into())?;
        }
        if let Some(r) = self.extract
            && (r.width == 0 || r.height == 0)
        {
            return Err(Error::invalid(
                OptionName::Extract,
                format!(
                    "must have a width and height of at least 1, got {}x{}",
                    r.width, r.height
                ),
            ));
        }
        let focus = match (self.focal_point, self.gravity) {
            (Some(_), Some(gravity)) => {
                return Err(Error::invalid(
                    OptionName::FocalPoint,
                    format!(
                        "takes the place of {}; got both (gravity {gravity})",
                        OptionName::Gravity
                    ),
                ));
            }
            (Some(p), None) => {
                for v in [p.x, p.y] {
                    float(OptionName::FocalPoint, Some(v))?;
                }
                Focus::Point(f64::from(p.x), f64::from(p.y))
            }
            (None, gravity) => {
                let gravity = gravity.unwrap_or_default();
                match gravity.fractions() {
                    Some((x, y)) => Focus::Point(x, y),
                    None => Focus::Smart(gravity),
                }
            }
        };
        let sharpen = match float(OptionName::Sharpen, self.sharpen)? {
            Some(sigma) => Some(Sharpen {
                sigma,
                flat: float(OptionName::SharpenFlat, self.sharpen_flat)?
                    .unwrap_or(DEFAULT_SHARPEN_FLAT),
                jagged: float(OptionName::SharpenJagged, self.sharpen_jagged)?
                    .unwrap_or(DEFAULT_SHARPEN_JAGGED),
            }),
            None => {
                float(OptionName::SharpenFlat, self.sharpen_flat)?;
                float(OptionName::SharpenJagged, self.sharpen_jagged)?;
                None
            }
        };
        if let Some(e) = self.extend {
            let widest = e.left.max(e.right).max(e.top).max(e.bottom);
            if widest > MAX_DIMENSION {
                return Err(Error::invalid(
                    OptionName::Extend,
                    format!("must be at most {MAX_DIMENSION} pixels a side, got {widest}"),
                ));
            }
        }
        Ok(Resolved {
            quality,
            max_width,
            max_height,
            fit,
            filter: self.filter.unwrap_or_default(),
            background: self.background.unwrap_or(Color::WHITE),
            auto_orient: self.auto_orient.unwrap_or(true),
            allow_enlarge: self.allow_enlarge.unwrap_or(false),
            max_input_pixels,
            max_input_bytes,
            fast_shrink_on_load: self.fast_shrink_on_load.unwrap_or(true),
            color_profile: self.color_profile.unwrap_or_default(),
            keep_metadata: self.keep_metadata.unwrap_or(false),
            quarter_turns,
            free_angle,
            flip: self.flip.unwrap_or(false),
            flop: self.flop.unwrap_or(false),
            progressive: self.progressive.unwrap_or(false),
            chroma_subsampling: self.chroma_subsampling,
            effort: self.effort,
            optimize_coding: self.optimize_coding.unwrap_or(false),
            placeholder: self.placeholder,
            overlay: self.overlay.as_ref().map(Layer::resolve).transpose()?,
            trim: float(OptionName::Trim, self.trim)?,
            extract: self.extract,
            focus,
            blur: float(OptionName::Blur, self.blur)?,
            sharpen,
            extend: self
                .extend
                .filter(|e| e.top + e.right + e.bottom + e.left > 0),
            max_bytes: self.max_bytes,
            animated: self.animated.unwrap_or(true),
            max_animation_frames,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let r = Options::default().resolve().unwrap();
        assert_eq!(r.quality, 85);
        assert_eq!(r.fit, Fit::Inside);
        assert_eq!(r.filter, Filter::Lanczos3);
        assert_eq!(r.background, Color::WHITE);
        assert!(r.auto_orient && !r.allow_enlarge && r.fast_shrink_on_load);
        assert_eq!(r.max_input_pixels, 100_000_000);
        assert_eq!(r.max_input_bytes, 64 << 20);
    }

    #[test]
    fn out_of_range() {
        for (opts, name) in [
            (
                Options {
                    quality: Some(0),
                    ..Default::default()
                },
                OptionName::Quality,
            ),
            (
                Options {
                    quality: Some(101),
                    ..Default::default()
                },
                OptionName::Quality,
            ),
            (
                Options {
                    max_width: Some(0),
                    ..Default::default()
                },
                OptionName::MaxWidth,
            ),
            (
                Options {
                    max_height: Some(70_000),
                    ..Default::default()
                },
                OptionName::MaxHeight,
            ),
            (
                Options {
                    fit: Some(Fit::Cover),
                    max_width: Some(10),
                    ..Default::default()
                },
                OptionName::Fit,
            ),
            (
                Options {
                    max_input_pixels: Some(0),
                    ..Default::default()
                },
                OptionName::MaxInputPixels,
            ),
            (
                Options {
                    max_input_bytes: Some(0),
                    ..Default::default()
                },
                OptionName::MaxInputBytes,
            ),
        ] {
            match opts.resolve() {
                Err(Error::InvalidOption { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{name}: {other:?}"),
            }
        }
    }
}

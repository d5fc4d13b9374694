//! Processing options: the caller's optional fields, checked and resolved to their defaults in
//! one place, so the rest of the pipeline never sees an unchecked value.

use crate::error::{Error, Result};

pub use imgpipe_names::{
    ChromaSubsampling, Color, ColorProfile, DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_INPUT_PIXELS,
    DEFAULT_QUALITY, DPR_RANGE, Filter, Fit, MAX_DIMENSION, OptionName, OutputFormat,
};

/// What a caller asks for: every field optional, as in the WIT `options` record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    pub quality: Option<u8>,
    pub max_width: Option<u32>,
    pub max_height: Option<u32>,
    pub fit: Option<Fit>,
    pub filter: Option<Filter>,
    pub background: Option<Color>,
    pub auto_orient: Option<bool>,
    pub allow_enlarge: Option<bool>,
    pub max_input_pixels: Option<u64>,
    pub max_input_bytes: Option<u64>,
    pub fast_shrink_on_load: Option<bool>,
    pub color_profile: Option<ColorProfile>,
    pub keep_metadata: Option<bool>,
    pub rotate: Option<i32>,
    pub flip: Option<bool>,
    pub flop: Option<bool>,
    pub progressive: Option<bool>,
    pub chroma_subsampling: Option<ChromaSubsampling>,
    pub dpr: Option<f32>,
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
    pub flip: bool,
    pub flop: bool,
    pub progressive: bool,
    pub chroma_subsampling: ChromaSubsampling,
}

impl Options {
    /// Checks every field and fills in the defaults.
    pub fn resolve(&self) -> Result<Resolved> {
        let check = |name: OptionName, value: u64| {
            name.check_range(value)
                .map_err(|why| Error::invalid(name, why))
        };
        let quality = self.quality.unwrap_or(DEFAULT_QUALITY);
        check(OptionName::Quality, quality.into())?;
        let dpr = self.dpr.unwrap_or(1.0);
        if !DPR_RANGE.contains(&dpr) {
            return Err(Error::invalid(
                OptionName::Dpr,
                format!(
                    "must be {} to {}, got {dpr}",
                    DPR_RANGE.start(),
                    DPR_RANGE.end()
                ),
            ));
        }
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
        let rotate = self.rotate.unwrap_or(0);
        if rotate % 90 != 0 {
            return Err(Error::invalid(
                OptionName::Rotate,
                format!("must be a multiple of 90 degrees, got {rotate}"),
            ));
        }
        // 0-3 whatever the sign or size: -90 is three quarter turns clockwise.
        let quarter_turns = u8::try_from((rotate / 90).rem_euclid(4)).unwrap_or(0);
        let max_input_pixels = self.max_input_pixels.unwrap_or(DEFAULT_MAX_INPUT_PIXELS);
        check(OptionName::MaxInputPixels, max_input_pixels)?;
        let max_input_bytes = self.max_input_bytes.unwrap_or(DEFAULT_MAX_INPUT_BYTES);
        check(OptionName::MaxInputBytes, max_input_bytes)?;
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
            flip: self.flip.unwrap_or(false),
            flop: self.flop.unwrap_or(false),
            progressive: self.progressive.unwrap_or(false),
            chroma_subsampling: self.chroma_subsampling.unwrap_or_default(),
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

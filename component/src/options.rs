//! Processing options: the caller's optional fields, checked and resolved to their defaults in
//! one place, so the rest of the pipeline never sees an unchecked value.

use crate::error::{Error, Result};

/// Default encoder quality (1-100).
pub const DEFAULT_QUALITY: u8 = 85;
/// Default limit on declared input pixels (100 MP).
pub const DEFAULT_MAX_INPUT_PIXELS: u64 = 100_000_000;
/// Default limit on input bytes (64 MiB).
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;
/// Largest width or height of a target box or an output image. JPEG stores 16-bit dimensions.
pub const MAX_DIMENSION: u32 = 65_535;

/// The encodings the pipeline writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Jpeg,
    Png,
    WebP,
    WebPLossless,
    Avif,
}

impl OutputFormat {
    /// The MIME type for a Content-Type header.
    pub fn mime_type(self) -> &'static str {
        match self {
            OutputFormat::Jpeg => "image/jpeg",
            OutputFormat::Png => "image/png",
            OutputFormat::WebP | OutputFormat::WebPLossless => "image/webp",
            OutputFormat::Avif => "image/avif",
        }
    }

    /// Whether the encoding can store an alpha channel.
    pub fn supports_alpha(self) -> bool {
        !matches!(self, OutputFormat::Jpeg)
    }
}

/// How the image fits the target box; see WIT `fit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fit {
    #[default]
    Inside,
    Cover,
    Contain,
    Fill,
}

/// The resampling filter; see WIT `filter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    Lanczos3,
    Nearest,
    Bilinear,
    CatmullRom,
    Mitchell,
}

/// An sRGB colour with alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

impl Color {
    /// Opaque white, the default background.
    pub const WHITE: Color = Color {
        r: 255,
        g: 255,
        b: 255,
        a: 255,
    };
}

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
}

impl Options {
    /// Checks every field and fills in the defaults.
    pub fn resolve(&self) -> Result<Resolved> {
        let quality = self.quality.unwrap_or(DEFAULT_QUALITY);
        if !(1..=100).contains(&quality) {
            return Err(Error::invalid(
                "quality",
                format!("must be 1 to 100, got {quality}"),
            ));
        }
        let dimension = |name: &'static str, value: Option<u32>| match value {
            Some(v) if v == 0 || v > MAX_DIMENSION => Err(Error::invalid(
                name,
                format!("must be 1 to {MAX_DIMENSION}, got {v}"),
            )),
            other => Ok(other),
        };
        let max_width = dimension("max-width", self.max_width)?;
        let max_height = dimension("max-height", self.max_height)?;
        let fit = self.fit.unwrap_or_default();
        if fit != Fit::Inside && (max_width.is_none() || max_height.is_none()) {
            return Err(Error::invalid(
                "fit",
                format!("{fit:?} needs both max-width and max-height").to_lowercase(),
            ));
        }
        let max_input_pixels = self.max_input_pixels.unwrap_or(DEFAULT_MAX_INPUT_PIXELS);
        if max_input_pixels == 0 {
            return Err(Error::invalid("max-input-pixels", "must be at least 1"));
        }
        let max_input_bytes = self.max_input_bytes.unwrap_or(DEFAULT_MAX_INPUT_BYTES);
        if max_input_bytes == 0 {
            return Err(Error::invalid("max-input-bytes", "must be at least 1"));
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
                "quality",
            ),
            (
                Options {
                    quality: Some(101),
                    ..Default::default()
                },
                "quality",
            ),
            (
                Options {
                    max_width: Some(0),
                    ..Default::default()
                },
                "max-width",
            ),
            (
                Options {
                    max_height: Some(70_000),
                    ..Default::default()
                },
                "max-height",
            ),
            (
                Options {
                    fit: Some(Fit::Cover),
                    max_width: Some(10),
                    ..Default::default()
                },
                "fit",
            ),
            (
                Options {
                    max_input_pixels: Some(0),
                    ..Default::default()
                },
                "max-input-pixels",
            ),
            (
                Options {
                    max_input_bytes: Some(0),
                    ..Default::default()
                },
                "max-input-bytes",
            ),
        ] {
            match opts.resolve() {
                Err(Error::InvalidOption { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{name}: {other:?}"),
            }
        }
    }
}

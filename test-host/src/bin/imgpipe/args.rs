//! Command-line options shared by `process` and `batch`, and their conversion to WIT options.

use std::path::Path;

use clap::{Args, ValueEnum};
use imgpipe::wit;
use wasmtime::{Result, bail};

/// Output encodings, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    WebpLossless,
    Avif,
}

impl Format {
    /// The format a file name's extension asks for.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "jpg" | "jpeg" => Format::Jpeg,
            "png" => Format::Png,
            "webp" => Format::Webp,
            "avif" => Format::Avif,
            _ => return None,
        })
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp | Format::WebpLossless => "webp",
            Format::Avif => "avif",
        }
    }

    pub fn to_wit(self) -> wit::OutputFormat {
        match self {
            Format::Jpeg => wit::OutputFormat::Jpeg,
            Format::Png => wit::OutputFormat::Png,
            Format::Webp => wit::OutputFormat::Webp,
            Format::WebpLossless => wit::OutputFormat::WebpLossless,
            Format::Avif => wit::OutputFormat::Avif,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FitArg {
    Inside,
    Cover,
    Contain,
    Fill,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FilterArg {
    Lanczos3,
    Nearest,
    Bilinear,
    CatmullRom,
    Mitchell,
}

/// What to do to each image; unset options take the component's defaults.
#[derive(Debug, Clone, Args)]
pub struct ProcessArgs {
    /// Fit inside this width (pixels).
    #[arg(long, short = 'W')]
    pub max_width: Option<u32>,
    /// Fit inside this height (pixels).
    #[arg(long, short = 'H')]
    pub max_height: Option<u32>,
    /// Encoder quality 1-100 (default 85).
    #[arg(long, short)]
    pub quality: Option<u8>,
    /// How to fit the box (default inside).
    #[arg(long, value_enum)]
    pub fit: Option<FitArg>,
    /// Resampling filter (default lanczos3).
    #[arg(long, value_enum)]
    pub filter: Option<FilterArg>,
    /// Background as RRGGBB or RRGGBBAA hex (default ffffff), for contain and JPEG alpha.
    #[arg(long)]
    pub background: Option<String>,
    /// Keep the stored orientation instead of applying EXIF orientation.
    #[arg(long)]
    pub no_auto_orient: bool,
    /// Allow results larger than the input.
    #[arg(long)]
    pub allow_enlarge: bool,
    /// Decode JPEG at full size before resizing (slower, marginally sharper).
    #[arg(long)]
    pub no_shrink_on_load: bool,
    /// Largest input in pixels (default 100,000,000).
    #[arg(long)]
    pub max_input_pixels: Option<u64>,
    /// Largest input in bytes (default 67,108,864).
    #[arg(long)]
    pub max_input_bytes: Option<u64>,
}

impl ProcessArgs {
    pub fn to_wit(&self) -> Result<wit::Options> {
        Ok(wit::Options {
            quality: self.quality,
            max_width: self.max_width,
            max_height: self.max_height,
            fit: self.fit.map(|f| match f {
                FitArg::Inside => wit::Fit::Inside,
                FitArg::Cover => wit::Fit::Cover,
                FitArg::Contain => wit::Fit::Contain,
                FitArg::Fill => wit::Fit::Fill,
            }),
            filter: self.filter.map(|f| match f {
                FilterArg::Lanczos3 => wit::Filter::Lanczos3,
                FilterArg::Nearest => wit::Filter::Nearest,
                FilterArg::Bilinear => wit::Filter::Bilinear,
                FilterArg::CatmullRom => wit::Filter::CatmullRom,
                FilterArg::Mitchell => wit::Filter::Mitchell,
            }),
            background: self.background.as_deref().map(parse_color).transpose()?,
            auto_orient: self.no_auto_orient.then_some(false),
            allow_enlarge: self.allow_enlarge.then_some(true),
            max_input_pixels: self.max_input_pixels,
            max_input_bytes: self.max_input_bytes,
            fast_shrink_on_load: self.no_shrink_on_load.then_some(false),
        })
    }
}

/// Parses RRGGBB or RRGGBBAA (an optional leading '#').
pub fn parse_color(s: &str) -> Result<wit::Color> {
    let hex = s.trim_start_matches('#');
    if !(hex.len() == 6 || hex.len() == 8) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("background must be RRGGBB or RRGGBBAA hex, got {s:?}");
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
    Ok(wit::Color {
        r: byte(0),
        g: byte(2),
        b: byte(4),
        a: if hex.len() == 8 { byte(6) } else { 255 },
    })
}

//! Command-line options shared by `process`, `batch` and `bench`. Every value set (formats, fit
//! modes, filters) comes from `imgpipe-names`, which also parses it; the options become the
//! pipeline's `Options`, which the host turns into the WIT record.

use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use imgpipe::names::{
    ChromaSubsampling, Color, ColorProfile, Edges, Filter, Fit, Gravity, Name, Overlay,
    Placeholder, Point, Region,
};
use imgpipe_component::Options;

/// A clap value parser for one of the names sets: `--help` lists its values, and it takes
/// their aliases (`jpg`).
pub fn names<T: Name + Send + Sync>() -> impl TypedValueParser<Value = T> {
    let values = T::ALL
        .iter()
        .map(|v| PossibleValue::new(v.as_str()).aliases(v.aliases().iter().copied()));
    PossibleValuesParser::new(values).try_map(|text| T::parse(&text))
}

/// `--overlay FILE[,gravity,x,y,opacity,scale,tile]`: the overlay record's text form with a
/// file in the place of the base64 image. The file is read here, once for every input.
fn overlay(text: &str) -> Result<Overlay, String> {
    let (path, placement) = text.split_once(',').unwrap_or((text, ""));
    let image = std::fs::read(path).map_err(|e| format!("read {path}: {e}"))?;
    let placement: Overlay = format!(",{placement}").parse()?;
    Ok(Overlay { image, ..placement })
}

/// What to do to each image; unset options take the component's defaults (documented in the
/// WIT `options` record, whose field names these flags take).
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
    #[arg(long, value_parser = names::<Fit>())]
    pub fit: Option<Fit>,
    /// Resampling filter (default lanczos3).
    #[arg(long, value_parser = names::<Filter>())]
    pub filter: Option<Filter>,
    /// Background as rrggbb or rrggbbaa hex (default ffffff), for contain and JPEG alpha.
    #[arg(long)]
    pub background: Option<Color>,
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
    /// Colours and colour profile: convert to sRGB (default), keep the input's, or convert to
    /// Display P3.
    #[arg(long, value_parser = names::<ColorProfile>())]
    pub color_profile: Option<ColorProfile>,
    /// Copy the input's EXIF (orientation reset once applied) and XMP into the output.
    #[arg(long)]
    pub keep_metadata: bool,
    /// Turn clockwise by this many degrees (after EXIF orientation, trim, extract, flip and flop;
    /// before resizing). Multiples of 90 are exact; other angles fill the corners with the
    /// background.
    #[arg(long, allow_negative_numbers = true)]
    pub rotate: Option<f32>,
    /// Mirror top to bottom.
    #[arg(long)]
    pub flip: bool,
    /// Mirror left to right.
    #[arg(long)]
    pub flop: bool,
    /// Write progressive JPEG.
    #[arg(long)]
    pub progressive: bool,
    /// Chroma subsampling of JPEG, WebP and AVIF (default yuv420, AVIF yuv444).
    #[arg(long, value_parser = names::<ChromaSubsampling>())]
    pub chroma_subsampling: Option<ChromaSubsampling>,
    /// Device pixel ratio, 1-5: multiplies the box.
    #[arg(long)]
    pub dpr: Option<f32>,
    /// Cut away a uniform border: pixels within this threshold (0-255) of the top-left one.
    #[arg(long)]
    pub trim: Option<f32>,
    /// Keep only this region, as left,top,width,height (of the upright image).
    #[arg(long)]
    pub extract: Option<Region>,
    /// Where `cover` crops and `contain` places (default centre); entropy and attention look
    /// at the pixels.
    #[arg(long, value_parser = names::<Gravity>())]
    pub gravity: Option<Gravity>,
    /// For `cover`: centre the crop on this point, as x,y fractions (0-1) of the image.
    #[arg(long)]
    pub focal_point: Option<Point>,
    /// Gaussian blur with this sigma (0.3-1000).
    #[arg(long)]
    pub blur: Option<f32>,
    /// Sharpen with this sigma (0.000001-10), as sharp's `sharpen`.
    #[arg(long)]
    pub sharpen: Option<f32>,
    /// Sharpening of flat areas (default 1.0).
    #[arg(long)]
    pub sharpen_flat: Option<f32>,
    /// Sharpening of jagged areas (default 2.0).
    #[arg(long)]
    pub sharpen_jagged: Option<f32>,
    /// Borders of the background colour: one number, or top,right,bottom,left.
    #[arg(long)]
    pub extend: Option<Edges>,
    /// The largest output in bytes: the highest quality that fits.
    #[arg(long)]
    pub max_bytes: Option<u64>,
    /// Encoder effort 0 (fastest) to 9 (smallest): WebP, AVIF and PNG.
    #[arg(long)]
    pub effort: Option<u8>,
    /// JPEG with Huffman tables made for the image (smaller, a little slower).
    #[arg(long)]
    pub optimize_coding: bool,
    /// Also compute a placeholder of the result (printed).
    #[arg(long, value_parser = names::<Placeholder>())]
    pub placeholder: Option<Placeholder>,
    /// Draw an image over the result: FILE[,gravity,x,y,opacity,scale,tile] (the WIT
    /// `overlay` record's fields; empty ones take their defaults).
    #[arg(long, value_parser = overlay)]
    pub overlay: Option<Overlay>,
    /// Keep only the first frame of an animated GIF or WebP (otherwise WebP and GIF outputs
    /// stay animated).
    #[arg(long)]
    pub first_frame: bool,
    /// Refuse animations of more frames than this (default 1000).
    #[arg(long)]
    pub max_animation_frames: Option<u32>,
}

impl ProcessArgs {
    /// The options as the pipeline takes them (natively, or through `wit::Options::from`).
    pub fn options(&self) -> Options {
        Options {
            quality: self.quality,
            max_width: self.max_width,
            max_height: self.max_height,
            fit: self.fit,
            filter: self.filter,
            background: self.background,
            auto_orient: self.no_auto_orient.then_some(false),
            allow_enlarge: self.allow_enlarge.then_some(true),
            max_input_pixels: self.max_input_pixels,
            max_input_bytes: self.max_input_bytes,
            fast_shrink_on_load: self.no_shrink_on_load.then_some(false),
            color_profile: self.color_profile,
            keep_metadata: self.keep_metadata.then_some(true),
            rotate: self.rotate,
            flip: self.flip.then_some(true),
            flop: self.flop.then_some(true),
            progressive: self.progressive.then_some(true),
            chroma_subsampling: self.chroma_subsampling,
            dpr: self.dpr,
            trim: self.trim,
            extract: self.extract,
            gravity: self.gravity,
            focal_point: self.focal_point,
            blur: self.blur,
            sharpen: self.sharpen,
            sharpen_flat: self.sharpen_flat,
            sharpen_jagged: self.sharpen_jagged,
            extend: self.extend,
            max_bytes: self.max_bytes,
            effort: self.effort,
            optimize_coding: self.optimize_coding.then_some(true),
            placeholder: self.placeholder,
            overlay: self.overlay.clone(),
            animated: self.first_frame.then_some(false),
            max_animation_frames: self.max_animation_frames,
        }
    }
}

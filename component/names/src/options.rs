//! The options record: its field names (with the HTTP query's short aliases), its enums, and the
//! ranges and defaults the processor applies.

/// Default encoder quality.
pub const DEFAULT_QUALITY: u8 = 85;
/// Lowest encoder quality.
pub const MIN_QUALITY: u8 = 1;
/// Highest encoder quality.
pub const MAX_QUALITY: u8 = 100;
/// Default limit on declared input pixels (100 MP).
pub const DEFAULT_MAX_INPUT_PIXELS: u64 = 100_000_000;
/// Default limit on input bytes (64 MiB).
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;
/// Default limit on an animation's frames.
pub const DEFAULT_MAX_ANIMATION_FRAMES: u32 = 1000;
/// The device pixel ratios `dpr` takes, as Cloudflare Images and imgproxy do.
pub const DPR_RANGE: std::ops::RangeInclusive<f32> = 1.0..=5.0;
/// Largest width or height of a target box or an output image (JPEG's 16-bit dimensions).
pub const MAX_DIMENSION: u32 = 65_535;
/// The encoders' effort, 0 (fastest) to 9 (smallest files); see the WIT's `options.effort`.
pub const EFFORT_RANGE: std::ops::RangeInclusive<u8> = 0..=9;
/// sharp's `sharpen` defaults for the slopes of its flat and jagged areas.
pub const DEFAULT_SHARPEN_FLAT: f32 = 1.0;
/// See [`DEFAULT_SHARPEN_FLAT`].
pub const DEFAULT_SHARPEN_JAGGED: f32 = 2.0;

names! {
    /// How the image fits the target box; WIT `fit`.
    #[derive(Default)]
    pub enum Fit: "fit" {
        #[default]
        Inside = "inside",
        Cover = "cover",
        Contain = "contain",
        Fill = "fill",
    }
}

names! {
    /// The resampling filter; WIT `filter`.
    #[derive(Default)]
    pub enum Filter: "filter" {
        #[default]
        Lanczos3 = "lanczos3",
        Nearest = "nearest",
        Bilinear = "bilinear",
        CatmullRom = "catmull-rom",
        Mitchell = "mitchell",
    }
}

names! {
    /// What happens to an input's colours and colour profile; WIT `color-profile`.
    #[derive(Default)]
    pub enum ColorProfile: "color-profile" {
        #[default]
        Srgb = "srgb",
        Keep = "keep",
        P3 = "p3",
    }
}

names! {
    /// How much colour resolution JPEG output keeps; WIT `chroma-subsampling`. The aliases are
    /// sharp's names.
    #[derive(Default)]
    pub enum ChromaSubsampling: "chroma-subsampling" {
        #[default]
        Yuv420 = "yuv420" | "4:2:0",
        Yuv444 = "yuv444" | "4:4:4",
    }
}

names! {
    /// A small stand-in for an image, shown while it loads; WIT `placeholder`.
    pub enum Placeholder: "placeholder" {
        Blurhash = "blurhash",
        Thumbhash = "thumbhash",
    }
}

names! {
    /// Where a crop (`cover`) or a smaller image on its canvas (`contain`) sits; WIT
    /// `gravity`. The aliases are imgproxy's, sharp's and CSS's names for the same places;
    /// `auto` is Cloudflare Images'.
    #[derive(Default)]
    pub enum Gravity: "gravity" {
        #[default]
        Centre = "centre" | "center" | "ce",
        North = "north" | "top" | "no",
        NorthEast = "north-east" | "top-right" | "noea" | "northeast",
        East = "east" | "right" | "ea",
        SouthEast = "south-east" | "bottom-right" | "soea" | "southeast",
        South = "south" | "bottom" | "so",
        SouthWest = "south-west" | "bottom-left" | "sowe" | "southwest",
        West = "west" | "left" | "we",
        NorthWest = "north-west" | "top-left" | "nowe" | "northwest",
        Entropy = "entropy",
        Attention = "attention" | "smart" | "sm" | "auto",
    }
}

impl Gravity {
    /// Where the place is, as fractions of the width and height from the top-left corner;
    /// `None` for the two that look at the pixels.
    pub fn fractions(self) -> Option<(f64, f64)> {
        Some(match self {
            Gravity::Centre => (0.5, 0.5),
            Gravity::North => (0.5, 0.0),
            Gravity::NorthEast => (1.0, 0.0),
            Gravity::East => (1.0, 0.5),
            Gravity::SouthEast => (1.0, 1.0),
            Gravity::South => (0.5, 1.0),
            Gravity::SouthWest => (0.0, 1.0),
            Gravity::West => (0.0, 0.5),
            Gravity::NorthWest => (0.0, 0.0),
            Gravity::Entropy | Gravity::Attention => return None,
        })
    }
}

names! {
    /// The fields of the WIT `options` record. The aliases are the HTTP query's short names
    /// (`?w=800&q=80`); errors always name the field by its WIT name.
    pub enum OptionName: "options" {
        Quality = "quality" | "q",
        MaxWidth = "max-width" | "w" | "width",
        MaxHeight = "max-height" | "h" | "height",
        Fit = "fit",
        Filter = "filter",
        Background = "background" | "bg",
        AutoOrient = "auto-orient" | "orient",
        AllowEnlarge = "allow-enlarge" | "enlarge",
        MaxInputPixels = "max-input-pixels",
        MaxInputBytes = "max-input-bytes",
        FastShrinkOnLoad = "fast-shrink-on-load",
        ColorProfile = "color-profile" | "icc",
        KeepMetadata = "keep-metadata" | "metadata",
        Rotate = "rotate",
        Flip = "flip",
        Flop = "flop",
        Progressive = "progressive",
        ChromaSubsampling = "chroma-subsampling" | "chroma",
        Dpr = "dpr",
        Trim = "trim",
        Extract = "extract",
        Gravity = "gravity" | "g",
        FocalPoint = "focal-point" | "fp",
        Blur = "blur",
        Sharpen = "sharpen",
        SharpenFlat = "sharpen-flat",
        SharpenJagged = "sharpen-jagged",
        Extend = "extend" | "padding",
        MaxBytes = "max-bytes",
        Effort = "effort",
        OptimizeCoding = "optimize-coding" | "optimise-coding",
        Placeholder = "placeholder",
        Overlay = "overlay" | "watermark",
        Animated = "animated" | "anim",
        MaxAnimationFrames = "max-animation-frames",
    }
}

impl OptionName {
    /// The query's short name, where it differs from the WIT name.
    pub fn alias(self) -> Option<&'static str> {
        crate::Name::aliases(self).first().copied()
    }

    /// Whether the option is a limit the operator of a service sets (the input limits), not
    /// something a request should choose.
    pub fn is_operator_limit(self) -> bool {
        matches!(
            self,
            OptionName::MaxInputPixels | OptionName::MaxInputBytes | OptionName::MaxAnimationFrames
        )
    }

    /// The range a numeric option takes, `(lowest, highest)`; `None` for the others.
    pub fn range(self) -> Option<(u64, u64)> {
        match self {
            OptionName::Quality => Some((MIN_QUALITY.into(), MAX_QUALITY.into())),
            OptionName::MaxWidth | OptionName::MaxHeight => Some((1, MAX_DIMENSION.into())),
            OptionName::Effort => {
                Some(((*EFFORT_RANGE.start()).into(), (*EFFORT_RANGE.end()).into()))
            }
            OptionName::MaxInputPixels | OptionName::MaxInputBytes | OptionName::MaxBytes => {
                Some((1, u64::MAX))
            }
            OptionName::MaxAnimationFrames => Some((1, u32::MAX.into())),
            _ => None,
        }
    }

    /// The range a fractional option takes, `(lowest, highest)`; `None` for the others. The
    /// filters' ranges are sharp's.
    pub fn float_range(self) -> Option<(f32, f32)> {
        match self {
            OptionName::Dpr => Some((*DPR_RANGE.start(), *DPR_RANGE.end())),
            OptionName::Rotate => Some((-360_000.0, 360_000.0)),
            OptionName::Trim => Some((0.0, 255.0)),
            OptionName::FocalPoint => Some((0.0, 1.0)),
            OptionName::Blur => Some((0.3, 1000.0)),
            OptionName::Sharpen => Some((0.000_001, 10.0)),
            OptionName::SharpenFlat | OptionName::SharpenJagged => Some((0.0, 1_000_000.0)),
            _ => None,
        }
    }

    /// Whether `value` is in the option's [`float_range`](Self::float_range) (NaN never is);
    /// if not, why, in the same words wherever it is checked.
    pub fn check_float(self, value: f32) -> Result<(), String> {
        match self.float_range() {
            Some((low, high)) if !(low..=high).contains(&value) => {
                Err(format!("must be {low} to {high}, got {value}"))
            }
            _ => Ok(()),
        }
    }

    /// The fields of a record-typed option, in the order its text form takes them
    /// (`extract=left,top,width,height`); `None` for the others.
    pub fn fields(self) -> Option<&'static [&'static str]> {
        use crate::records::{Edges, Fields, Overlay, Point, Region};
        match self {
            OptionName::Extract => Some(Region::FIELDS),
            OptionName::FocalPoint => Some(Point::FIELDS),
            OptionName::Extend => Some(Edges::FIELDS),
            OptionName::Overlay => Some(Overlay::FIELDS),
            _ => None,
        }
    }

    /// Whether `value` is in the option's [`range`](Self::range); if not, why ("must be 1 to
    /// 100, got 300"), the same words wherever the value is checked.
    pub fn check_range(self, value: u64) -> Result<(), String> {
        match self.range() {
            Some((low, high)) if !(low..=high).contains(&value) => Err(if high == u64::MAX {
                format!("must be at least {low}, got {value}")
            } else {
                format!("must be {low} to {high}, got {value}")
            }),
            _ => Ok(()),
        }
    }

    /// The sentence an `invalid-option` error carries: "invalid option quality (q): must be 1
    /// to 100, got 0", the same from every host.
    pub fn refusal(self, why: &str) -> String {
        match self.alias() {
            Some(alias) => format!("invalid option {self} ({alias}): {why}"),
            None => format!("invalid option {self}: {why}"),
        }
    }
}

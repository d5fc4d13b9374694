//! The pipeline's one error type: each variant is a case of the WIT `error` variant, carrying the
//! context a caller needs ("decode JPEG: premature end of data").

use std::fmt;

pub use imgpipe_names::{ErrorKind, InputFormat, LimitKind, OptionName, OutputFormat};

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The input had no bytes.
    EmptyInput,
    /// The input's format is not one the pipeline reads.
    UnsupportedFormat(String),
    /// The input claims a known format but could not be decoded.
    DecodeFailed(String),
    /// The input exceeds a limit.
    TooLarge {
        kind: LimitKind,
        found: u64,
        limit: u64,
        width: u32,
        height: u32,
        message: String,
    },
    /// An option is out of range or inconsistent; `message` says why ("must be 1 to 100, got
    /// 0"), [`Error::message`] adds the option's name.
    InvalidOption { name: OptionName, message: String },
    /// The encoder failed.
    EncodeFailed(String),
}

/// The pipeline's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The case, without payload.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::EmptyInput => ErrorKind::EmptyInput,
            Error::UnsupportedFormat(_) => ErrorKind::UnsupportedFormat,
            Error::DecodeFailed(_) => ErrorKind::DecodeFailed,
            Error::TooLarge { .. } => ErrorKind::TooLarge,
            Error::InvalidOption { .. } => ErrorKind::InvalidOption,
            Error::EncodeFailed(_) => ErrorKind::EncodeFailed,
        }
    }

    pub(crate) fn invalid(name: OptionName, message: impl Into<String>) -> Self {
        Error::InvalidOption {
            name,
            message: message.into(),
        }
    }

    pub(crate) fn decode(format: InputFormat, cause: impl fmt::Display) -> Self {
        Error::DecodeFailed(format!("decode {}: {cause}", format.label()))
    }

    pub(crate) fn encode(format: OutputFormat, cause: impl fmt::Display) -> Self {
        Error::EncodeFailed(format!("encode {}: {cause}", format.label()))
    }

    /// An input whose declared pixel count exceeds the limit.
    pub(crate) fn too_many_pixels(
        format: impl fmt::Display,
        width: u32,
        height: u32,
        limit: u64,
    ) -> Self {
        let found = u64::from(width) * u64::from(height);
        Error::pixels_over(
            found,
            limit,
            width,
            height,
            format!("{format} of {width}x{height} ({found} pixels)"),
        )
    }

    /// `what` (a sentence's subject, naming `found` pixels) exceeded the pixel limit.
    fn pixels_over(found: u64, limit: u64, width: u32, height: u32, what: String) -> Self {
        Error::TooLarge {
            kind: LimitKind::Pixels,
            found,
            limit,
            width,
            height,
            message: format!("{what} exceeds the limit of {limit} pixels"),
        }
    }

    /// An output larger than `format` can store. The request asked for it (the input's size, a
    /// box or enlargement), so it is the caller's `too-large`, found before decoding, not an
    /// encoder failure.
    pub(crate) fn too_large_for(format: OutputFormat, width: u32, height: u32) -> Self {
        let limit = format.max_dimension();
        Error::TooLarge {
            kind: LimitKind::Dimensions,
            found: u64::from(width.max(height)),
            limit: u64::from(limit),
            width,
            height,
            message: format!(
                "the output would be {width}x{height}; {} stores at most {limit} pixels a side \
                 (set {} and {} to fit it)",
                format.label(),
                OptionName::MaxWidth,
                OptionName::MaxHeight
            ),
        }
    }

    /// An animation of more frames than the limit.
    pub(crate) fn too_many_frames(found: u32, limit: u32, width: u32, height: u32) -> Self {
        Error::TooLarge {
            kind: LimitKind::Frames,
            found: found.into(),
            limit: limit.into(),
            width,
            height,
            message: format!(
                "an animation of {found} frames exceeds the limit of {limit} frames ({})",
                OptionName::MaxAnimationFrames
            ),
        }
    }

    /// An animation whose frames together hold more pixels than the limit.
    pub(crate) fn too_many_animated_pixels(
        format: InputFormat,
        frames: u32,
        width: u32,
        height: u32,
        limit: u64,
    ) -> Self {
        let found = u64::from(width) * u64::from(height) * u64::from(frames);
        let what = format!(
            "animated {} of {frames} frames of {width}x{height} ({found} pixels in all)",
            format.label()
        );
        Error::pixels_over(found, limit, width, height, what)
    }

    /// An input whose size in bytes exceeds the limit.
    pub(crate) fn too_many_bytes(found: u64, limit: u64) -> Self {
        Error::TooLarge {
            kind: LimitKind::Bytes,
            found,
            limit,
            width: 0,
            height: 0,
            message: format!("input of {found} bytes exceeds the limit of {limit} bytes"),
        }
    }

    /// The message the WIT case carries.
    pub fn message(&self) -> String {
        match self {
            Error::EmptyInput => "empty input: the image has no bytes".to_string(),
            Error::UnsupportedFormat(m) | Error::DecodeFailed(m) | Error::EncodeFailed(m) => {
                m.clone()
            }
            Error::TooLarge { message, .. } => message.clone(),
            Error::InvalidOption { name, message } => name.refusal(message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind(), self.message())
    }
}

impl std::error::Error for Error {}

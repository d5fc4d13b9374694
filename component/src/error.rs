//! The pipeline's one error type: each variant is a case of the WIT `error` variant, carrying the
//! context a caller needs ("decode JPEG: premature end of data").

use std::fmt;

/// Which limit an input exceeded; mirrors WIT `limit-kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// Input size in bytes.
    Bytes,
    /// Declared width x height.
    Pixels,
    /// A single dimension, or the memory decoding would need.
    Dimensions,
}

/// The case of an [`Error`], without payload; mirrors WIT `error-kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    EmptyInput,
    UnsupportedFormat,
    DecodeFailed,
    TooLarge,
    InvalidOption,
    EncodeFailed,
}

impl ErrorKind {
    /// Every kind, in the order of the WIT enum.
    pub const ALL: [ErrorKind; 6] = [
        ErrorKind::EmptyInput,
        ErrorKind::UnsupportedFormat,
        ErrorKind::DecodeFailed,
        ErrorKind::TooLarge,
        ErrorKind::InvalidOption,
        ErrorKind::EncodeFailed,
    ];

    /// The kebab-case name used in WIT and in JSON error bodies.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::EmptyInput => "empty-input",
            ErrorKind::UnsupportedFormat => "unsupported-format",
            ErrorKind::DecodeFailed => "decode-failed",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::InvalidOption => "invalid-option",
            ErrorKind::EncodeFailed => "encode-failed",
        }
    }
}

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
    /// An option is out of range or inconsistent.
    InvalidOption { name: &'static str, message: String },
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

    pub(crate) fn invalid(name: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidOption {
            name,
            message: message.into(),
        }
    }

    pub(crate) fn decode(format: impl fmt::Display, cause: impl fmt::Display) -> Self {
        Error::DecodeFailed(format!("decode {format}: {cause}"))
    }

    pub(crate) fn encode(format: impl fmt::Display, cause: impl fmt::Display) -> Self {
        Error::EncodeFailed(format!("encode {format}: {cause}"))
    }

    /// An input whose declared pixel count exceeds the limit.
    pub(crate) fn too_many_pixels(
        format: impl fmt::Display,
        width: u32,
        height: u32,
        limit: u64,
    ) -> Self {
        let found = u64::from(width) * u64::from(height);
        Error::TooLarge {
            kind: LimitKind::Pixels,
            found,
            limit,
            width,
            height,
            message: format!(
                "{format} of {width}x{height} ({found} pixels) exceeds the limit of {limit} pixels"
            ),
        }
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
            Error::InvalidOption { name, message } => format!("invalid option {name}: {message}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind().name(), self.message())
    }
}

impl std::error::Error for Error {}

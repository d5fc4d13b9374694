//! imgpipe's image pipeline: decode, orient, resize and re-encode images, with limits checked
//! before decoding and counters for every call.
//!
//! The modules are plain Rust and compile natively (benchmarks, fuzzing); `bindings` is the thin
//! WIT layer that makes the crate a WebAssembly component, built only for wasm32.

pub mod animation;
#[cfg(feature = "avif-input")]
mod av1;
#[cfg(feature = "avif")]
pub mod avif;
pub mod blur;
pub mod border;
pub mod color;
pub mod decode;
pub mod encode;
pub mod error;
#[cfg(any(feature = "avif-input", feature = "heic"))]
mod heif;
#[cfg(feature = "jxl")]
mod jxl;
pub mod lab;
#[cfg(feature = "webp-lossy")]
mod libwebp;
pub mod metadata;
pub mod options;
pub mod orient;
pub mod overlay;
pub mod pipeline;
pub mod placeholder;
pub mod raster;
pub mod resize;
pub mod rotate;
pub mod sharpen;
pub mod smart;
pub mod stats;

#[cfg(target_arch = "wasm32")]
mod bindings;

pub use decode::{Info, InputFormat};
pub use error::{Error, ErrorKind, LimitKind, Result};
pub use options::{Color, ColorProfile, Filter, Fit, Options, OutputFormat, Resolve};
pub use pipeline::{Processed, inspect, process};
pub use stats::Stats;

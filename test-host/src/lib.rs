//! Runs the imgpipe image-processor component in wasmtime.
//!
//! [`Runtime`] loads the component once (caching the compiled code next to it), with the pooling
//! allocator and an `InstancePre`; [`Processor`] is one instance with a memory limit and a CPU
//! time limit, replaced by a fresh one after a trap, so a failure never poisons the next call.
//!
//! ```no_run
//! use imgpipe::{Runtime, RuntimeConfig, wit::Options};
//! # fn main() -> wasmtime::Result<()> {
//! let runtime = Runtime::new(RuntimeConfig::default())?;
//! let mut processor = runtime.processor();
//! let jpeg = std::fs::read("photo.jpg")?;
//! let options = Options { max_width: Some(800), ..Default::default() };
//! match processor.process(&jpeg, &options, None)? {
//!     Ok(out) => println!("{}x{} {}", out.width, out.height, out.mime_type),
//!     Err(e) => eprintln!("{}", imgpipe::describe(&e)),
//! }
//! # Ok(())
//! # }
//! ```

mod cache;
mod processor;
mod runtime;
pub mod server;

pub use imgpipe_names as names;
pub use processor::{Processor, describe, error_kind};
pub use runtime::{Runtime, RuntimeConfig, component_path};

/// Host bindings generated from the same WIT as the component.
pub mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "image-processor",
    });
}

/// The WIT types, under short names.
pub mod wit {
    pub use crate::bindings::imgpipe::image::types::{
        ChromaSubsampling, Color, ColorProfile, Error, ErrorCounts, ErrorKind, ErrorRecord, Filter,
        Fit, ImageInfo, InputFormat, InstanceStats, InvalidOption, LimitKind, Options,
        OutputFormat, Processed, TooLarge,
    };
}

// The WIT's enums as wasmtime generates them, and the names crate's (which own the names).
imgpipe_names::mirror_wit_enums!(wit);

impl From<imgpipe_names::Color> for wit::Color {
    fn from(c: imgpipe_names::Color) -> wit::Color {
        wit::Color {
            r: c.r,
            g: c.g,
            b: c.b,
            a: c.a,
        }
    }
}

/// The pipeline's options (the native crate's, with the names crate's types) as the WIT record.
impl From<&imgpipe_component::Options> for wit::Options {
    fn from(o: &imgpipe_component::Options) -> wit::Options {
        wit::Options {
            quality: o.quality,
            max_width: o.max_width,
            max_height: o.max_height,
            fit: o.fit.map(Into::into),
            filter: o.filter.map(Into::into),
            background: o.background.map(Into::into),
            auto_orient: o.auto_orient,
            allow_enlarge: o.allow_enlarge,
            max_input_pixels: o.max_input_pixels,
            max_input_bytes: o.max_input_bytes,
            fast_shrink_on_load: o.fast_shrink_on_load,
            color_profile: o.color_profile.map(Into::into),
            keep_metadata: o.keep_metadata,
            rotate: o.rotate,
            flip: o.flip,
            flop: o.flop,
            progressive: o.progressive,
            chroma_subsampling: o.chroma_subsampling.map(Into::into),
            dpr: o.dpr,
        }
    }
}

/// Every option unset: the component applies its documented defaults.
impl Default for wit::Options {
    fn default() -> Self {
        wit::Options {
            quality: None,
            max_width: None,
            max_height: None,
            fit: None,
            filter: None,
            background: None,
            auto_orient: None,
            allow_enlarge: None,
            max_input_pixels: None,
            max_input_bytes: None,
            fast_shrink_on_load: None,
            color_profile: None,
            keep_metadata: None,
            rotate: None,
            flip: None,
            flop: None,
            progressive: None,
            chroma_subsampling: None,
            dpr: None,
        }
    }
}

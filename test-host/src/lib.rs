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
mod embedded;
mod exports;
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
        ChromaSubsampling, Color, ColorProfile, Edges, Error, ErrorCounts, ErrorKind, ErrorRecord,
        Filter, Fit, Gravity, ImageInfo, InputFormat, InstanceStats, InvalidOption, LimitKind,
        Options, OutputFormat, Overlay, Placeholder, Point, Processed, Region, TooLarge,
    };
}

// The WIT's enums and records as wasmtime generates them, and the names crate's (which own the
// names).
imgpipe_names::mirror_wit_types!(wit);

/// The pipeline's options (the names crate's) as the WIT record.
impl From<&imgpipe_names::Options> for wit::Options {
    fn from(o: &imgpipe_names::Options) -> wit::Options {
        o.clone().into()
    }
}

/// Every option unset: the component applies its documented defaults.
impl Default for wit::Options {
    fn default() -> Self {
        imgpipe_names::Options::default().into()
    }
}

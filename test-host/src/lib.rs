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

pub use processor::{Processor, describe, error_case, error_kind};
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
        Color, Error, ErrorCounts, ErrorKind, ErrorRecord, Filter, Fit, ImageInfo, InputFormat,
        InstanceStats, InvalidOption, LimitKind, Options, OutputFormat, Processed, TooLarge,
    };
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
        }
    }
}

//! Every public name of imgpipe, in one place: formats (with MIME type and file extension), fit
//! modes, filters, the fields of the options record, error kinds with their HTTP status, and the
//! colour parser. The component, the HTTP gateway, the host, the CLI and the tests all take their
//! names from here, so a new value is written once in Rust (and documented once, in the WIT).
//!
//! Each enum implements [`Name`]: `as_str`, [`std::str::FromStr`] (which also takes the aliases,
//! such as `jpg`) and `ALL`, in the WIT's order. `tests/wit.rs` fails when this crate and
//! `wit/types.wit` disagree on a single name.
//!
//! One size lives here too, for the same reason: [`INITIAL_MEMORY_BYTES`], which the
//! component's build links it with and the hosts check their memory limits against.

#[macro_use]
mod macros;
mod color;
mod formats;
mod options;
mod problem;
mod records;

use std::fmt;

pub use color::{BadColor, Color};
pub use formats::{InputFormat, OutputFormat};
pub use options::{
    ChromaSubsampling, ColorProfile, DEFAULT_MAX_ANIMATION_FRAMES, DEFAULT_MAX_INPUT_BYTES,
    DEFAULT_MAX_INPUT_PIXELS, DEFAULT_QUALITY, DEFAULT_SHARPEN_FLAT, DEFAULT_SHARPEN_JAGGED,
    DPR_RANGE, EFFORT_RANGE, Filter, Fit, Gravity, MAX_DIMENSION, MAX_QUALITY, MIN_QUALITY,
    OptionName, Placeholder,
};
pub use problem::{ErrorKind, HttpProblem, LimitKind, Problem};
pub use records::{Edges, Fields, Options, Overlay, Point, Region};

/// The linear memory a processor instance starts with: `component/build.rs` links the component
/// with it, and hosts refuse a memory limit below it. It holds a request like sharp's benchmark
/// (about 12 MiB) without `memory.grow`, so a server's reused pool slot neither grows an
/// instance's memory nor shrinks it back afterwards: each of those changes the protection of
/// every page the slot keeps resident, under the process's memory-map lock, once per request.
/// Pages not written cost nothing: the kernel maps them on first touch. Measured on W9
/// (`bench/http`, 16 requests in flight): 1-10% more requests per second in six side-by-side
/// rounds against the default 2.75 MiB (median 6%), p95 lower in five of them.
pub const INITIAL_MEMORY_BYTES: usize = 16 << 20;
// Whole MiB: the CLI's `--memory-limit-mib` floor is this in MiB (and the linker wants whole
// 64 KiB pages).
const _: () = assert!(INITIAL_MEMORY_BYTES.is_multiple_of(1 << 20));

/// A closed set of names: a WIT enum (or the fields of a WIT record), as Rust values.
pub trait Name: Copy + Eq + Sized + 'static {
    /// The WIT type the values come from, e.g. `output-format` (or `options` for its fields).
    const KIND: &'static str;
    /// Every value, in the WIT's order.
    const ALL: &'static [Self];
    /// The canonical name, as written in the WIT.
    fn as_str(self) -> &'static str;
    /// Other spellings accepted on input (`jpg`, or a query's short name such as `q`).
    fn aliases(self) -> &'static [&'static str];

    /// The value named `text` (its canonical name or an alias, in any ASCII case).
    fn parse(text: &str) -> Result<Self, UnknownName> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| {
                v.as_str().eq_ignore_ascii_case(text)
                    || v.aliases().iter().any(|a| a.eq_ignore_ascii_case(text))
            })
            .ok_or_else(|| UnknownName {
                kind: Self::KIND,
                got: text.to_string(),
                expected: Self::ALL.iter().map(|v| v.as_str()).collect(),
            })
    }
}

/// A name that is not one of a set's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The set, e.g. `fit`.
    pub kind: &'static str,
    /// What was given.
    pub got: String,
    /// The canonical names it could have been.
    pub expected: Vec<&'static str>,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "must be one of {}, got {:?}",
            self.expected.join(", "),
            self.got
        )
    }
}

impl std::error::Error for UnknownName {}

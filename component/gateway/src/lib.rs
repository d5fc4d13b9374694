//! The HTTP gateway component: serves the image processor over `wasi:http`.
//!
//! It exports `wasi:http/incoming-handler` (through `wstd`) and imports the processor
//! interface; `wac plug` fills that import with the image-processor component, so the two ship
//! as one servable component while the processor stays usable on its own. Routes:
//!
//! - `POST /process?w=800&format=webp` with the image as the body answers the image; with
//!   `Content-Type: application/json` and `{"image": "<base64>", ...options}` it answers JSON
//!   (see [`contract`]). Options take the WIT `options` field names or their short aliases
//!   (`w`, `h`, `q`, `bg`, `enlarge`, `orient`; see [`params`]).
//! - Every image answer carries a strong `ETag` and `Cache-Control` ([`cache`]); a request
//!   whose `If-None-Match` holds its tag is answered 304 before anything is processed.
//! - `GET /health`, and `GET /`, an upload page.
//!
//! The parsing and error mapping are plain Rust, tested natively; only [`server`] needs wasm.

pub mod accept;
pub mod cache;
pub mod contract;
pub mod params;
pub mod reply;

#[cfg(target_arch = "wasm32")]
mod server;

/// Largest raw image body accepted, the processor's own default `max-input-bytes` (64 MiB).
pub const MAX_BODY_BYTES: u64 = 64 << 20;

/// Largest JSON body accepted: base64 of a [`MAX_BODY_BYTES`] image (4 characters per 3 bytes)
/// plus room for the options.
pub const MAX_JSON_BYTES: u64 = MAX_BODY_BYTES.div_ceil(3) * 4 + (64 << 10);

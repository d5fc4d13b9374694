//! HTTP caching: a strong `ETag` for every answer, `If-None-Match` answered with 304 before any
//! processing, and the `Cache-Control` header the operator chooses.
//!
//! The tag is the BLAKE3 hash of everything the answer depends on: the input's bytes, the options as
//! the processor will see them, the negotiated output format, whether the answer is JSON, and
//! this package's version (a new version may encode the same request differently). Two requests
//! with the same tag get the same bytes, which is what a strong tag promises.

use crate::params::Params;
use imgpipe_names::OutputFormat;

/// The environment variable an operator sets to choose `Cache-Control`
/// (`wasmtime serve --env IMGPIPE_CACHE_CONTROL=...`, or `imgpipe serve --cache-control`).
pub const CACHE_CONTROL_ENV: &str = "IMGPIPE_CACHE_CONTROL";
/// imgproxy's default: a processed image never changes for the same request.
pub const DEFAULT_CACHE_CONTROL: &str = "public, max-age=31536000";

/// The strong entity tag of the answer to this request, quoted.
pub fn etag(image: &[u8], params: &Params, format: OutputFormat, json: bool) -> String {
    let mut hash = blake3::Hasher::new();
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    // `Debug` of the options names every field and value: a change in any changes the tag.
    hash.update(format!("{:?}|{format}|{json}|", params.options).as_bytes());
    hash.update(image);
    let digest = hash.finalize();
    let hex: String = digest
        .as_bytes()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("\"{hex}\"")
}

/// Whether an `If-None-Match` header value matches `etag` (weak comparison, as RFC 9110 asks
/// for this header: a `W/` prefix is ignored; `*` matches anything).
pub fn matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// The `Cache-Control` value: the operator's, or [`DEFAULT_CACHE_CONTROL`].
pub fn cache_control() -> String {
    std::env::var(CACHE_CONTROL_ENV)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_CACHE_CONTROL.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_follow_every_input() {
        let params = Params::default();
        let tag = etag(b"abc", &params, OutputFormat::Jpeg, false);
        assert_eq!(tag.len(), 34);
        assert_eq!(tag, etag(b"abc", &params, OutputFormat::Jpeg, false));
        assert_ne!(tag, etag(b"abd", &params, OutputFormat::Jpeg, false));
        assert_ne!(tag, etag(b"abc", &params, OutputFormat::Png, false));
        assert_ne!(tag, etag(b"abc", &params, OutputFormat::Jpeg, true));
        let mut wider = Params::default();
        wider.options.max_width = Some(10);
        assert_ne!(tag, etag(b"abc", &wider, OutputFormat::Jpeg, false));
    }

    #[test]
    fn if_none_match_lists() {
        let tag = "\"0123\"";
        assert!(matches("\"0123\"", tag));
        assert!(matches("\"x\", W/\"0123\"", tag));
        assert!(matches("*", tag));
        assert!(!matches("\"0124\"", tag));
        assert!(!matches("", tag));
    }
}

//! The WIT binding layer: converts between the generated WIT types and the pipeline's, times
//! each call and keeps this instance's counters. No image logic lives here.

use std::cell::RefCell;
use std::time::Instant;

use crate::error::ErrorKind;
use crate::stats::Stats;
use crate::{options, pipeline};

wit_bindgen::generate!({
    path: "../wit",
    world: "image-processor",
});

use exports::imgpipe::image::processor::Guest;
use imgpipe::image::types as wit;

thread_local! {
    // A component instance is single-threaded; this lives as long as the instance.
    static STATS: RefCell<Stats> = RefCell::new(Stats::default());
}

/// Bytes of linear memory the instance has now.
fn memory_bytes() -> u64 {
    (core::arch::wasm32::memory_size::<0>() as u64) * 65_536
}

struct Component;

impl Guest for Component {
    fn process(image: Vec<u8>, options: wit::Options) -> Result<wit::Processed, wit::Error> {
        run(&image, options, options::OutputFormat::Jpeg)
    }

    fn process_with_format(
        image: Vec<u8>,
        options: wit::Options,
        format: wit::OutputFormat,
    ) -> Result<wit::Processed, wit::Error> {
        run(&image, options, format.into())
    }

    fn inspect(image: Vec<u8>) -> Result<wit::ImageInfo, wit::Error> {
        let info = pipeline::inspect(&image).map_err(to_wit_error)?;
        Ok(wit::ImageInfo {
            format: info.format.into(),
            width: info.width,
            height: info.height,
            orientation: info.orientation,
            has_alpha: info.has_alpha,
            bits_per_channel: info.bits_per_channel,
            frames: info.frames,
        })
    }

    fn stats() -> wit::InstanceStats {
        STATS.with_borrow_mut(|s| {
            s.observe_memory(memory_bytes());
            to_wit_stats(s)
        })
    }
}

export!(Component);

fn run(
    image: &[u8],
    options: wit::Options,
    format: options::OutputFormat,
) -> Result<wit::Processed, wit::Error> {
    let start = Instant::now();
    let result = pipeline::process(image, &options.into(), format);
    let elapsed = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
    // Measured after the call's buffers are freed: what the instance keeps between calls.
    let memory = memory_bytes();
    STATS.with_borrow_mut(|s| {
        let outcome = result.as_ref().map(|p| p.image.len() as u64);
        s.record(image.len() as u64, outcome, elapsed, memory);
    });
    result
        .map(|p| wit::Processed {
            mime_type: p.format.mime_type().to_string(),
            width: p.width,
            height: p.height,
            format: p.format.into(),
            image: p.image,
            placeholder: p.placeholder,
        })
        .map_err(to_wit_error)
}

// Conversions between the generated enums and records and the names crate's (the pipeline's
// own).
imgpipe_names::mirror_wit_types!(wit);

fn to_wit_error(e: crate::Error) -> wit::Error {
    // Every case carries the whole message, the option's name included for `invalid-option`.
    let message = e.message();
    match e {
        crate::Error::EmptyInput => wit::Error::EmptyInput(message),
        crate::Error::UnsupportedFormat(_) => wit::Error::UnsupportedFormat(message),
        crate::Error::DecodeFailed(_) => wit::Error::DecodeFailed(message),
        crate::Error::EncodeFailed(_) => wit::Error::EncodeFailed(message),
        crate::Error::InvalidOption { name, .. } => wit::Error::InvalidOption(wit::InvalidOption {
            name: name.as_str().to_string(),
            message,
        }),
        crate::Error::TooLarge {
            kind,
            found,
            limit,
            width,
            height,
            message,
        } => wit::Error::TooLarge(wit::TooLarge {
            limit_kind: kind.into(),
            found,
            limit,
            width,
            height,
            message,
        }),
    }
}

fn to_wit_stats(s: &Stats) -> wit::InstanceStats {
    wit::InstanceStats {
        calls: s.calls,
        successes: s.successes,
        errors: wit::ErrorCounts {
            empty_input: s.errors_of(ErrorKind::EmptyInput),
            unsupported_format: s.errors_of(ErrorKind::UnsupportedFormat),
            decode_failed: s.errors_of(ErrorKind::DecodeFailed),
            too_large: s.errors_of(ErrorKind::TooLarge),
            invalid_option: s.errors_of(ErrorKind::InvalidOption),
            encode_failed: s.errors_of(ErrorKind::EncodeFailed),
        },
        bytes_in: s.bytes_in,
        bytes_out: s.bytes_out,
        total_time_ns: s.total_time_ns,
        max_time_ns: s.max_time_ns,
        memory_bytes: s.memory_bytes,
        peak_memory_bytes: s.peak_memory_bytes,
        recent_errors: s
            .recent_errors
            .iter()
            .map(|r| wit::ErrorRecord {
                call: r.call,
                kind: r.kind.into(),
                message: r.message.clone(),
                input_bytes: r.input_bytes,
            })
            .collect(),
    }
}

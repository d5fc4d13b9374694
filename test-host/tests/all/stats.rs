//! `stats` is exact after a known sequence of calls.

use imgpipe::wit::{ErrorKind, Options, OutputFormat};

use crate::*;

#[test]
fn counters_after_a_known_sequence() {
    let mut p = processor();
    let good = fixture("sharp/320x240.jpg");
    let corrupt = fixture("sharp/corrupt-header.jpg");
    let mut out_bytes = 0u64;
    let mut in_bytes = 0u64;
    for _ in 0..3 {
        let out = p.process(&good, &size(100, 100), None).unwrap().unwrap();
        out_bytes += out.image.len() as u64;
        in_bytes += good.len() as u64;
    }
    assert!(p.process(&[], &Options::default(), None).unwrap().is_err());
    assert!(
        p.process(&corrupt, &Options::default(), Some(OutputFormat::Png))
            .unwrap()
            .is_err()
    );
    in_bytes += corrupt.len() as u64;
    let bad_quality = Options {
        quality: Some(0),
        ..Options::default()
    };
    assert!(p.process(&good, &bad_quality, None).unwrap().is_err());
    in_bytes += good.len() as u64;
    assert!(
        p.process(b"not an image", &Options::default(), None)
            .unwrap()
            .is_err()
    );
    in_bytes += 12;
    // inspect is not counted.
    p.inspect(&good).unwrap().unwrap();

    let s = p.stats().unwrap();
    assert_eq!(s.calls, 7);
    assert_eq!(s.successes, 3);
    assert_eq!(s.errors.empty_input, 1);
    assert_eq!(s.errors.decode_failed, 1);
    assert_eq!(s.errors.invalid_option, 1);
    assert_eq!(s.errors.unsupported_format, 1);
    assert_eq!(s.errors.too_large + s.errors.encode_failed, 0);
    assert_eq!(s.bytes_in, in_bytes);
    assert_eq!(s.bytes_out, out_bytes);
    assert!(s.max_time_ns > 0 && s.total_time_ns >= s.max_time_ns);
    assert!(s.memory_bytes > 0 && s.peak_memory_bytes >= s.memory_bytes);
    let recent: Vec<_> = s
        .recent_errors
        .iter()
        .map(|e| (e.call, e.kind, e.input_bytes))
        .collect();
    assert_eq!(
        recent,
        vec![
            (4, ErrorKind::EmptyInput, 0),
            (5, ErrorKind::DecodeFailed, corrupt.len() as u64),
            (6, ErrorKind::InvalidOption, good.len() as u64),
            (7, ErrorKind::UnsupportedFormat, 12),
        ]
    );
    assert!(
        s.recent_errors[1].message.starts_with("decode JPEG"),
        "{}",
        s.recent_errors[1].message
    );
    // Two more failures push the oldest out: five are kept.
    for _ in 0..2 {
        assert!(p.process(&[], &Options::default(), None).unwrap().is_err());
    }
    let s = p.stats().unwrap();
    assert_eq!(s.recent_errors.len(), 5);
    assert_eq!(s.recent_errors[0].call, 5);
    assert_eq!(s.recent_errors[4].call, 9);
}

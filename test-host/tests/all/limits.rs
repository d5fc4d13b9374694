//! Limits: oversized inputs are refused from their header or length, before any frame is
//! allocated, and the instance keeps serving.

use imgpipe::wit::{Error, LimitKind, Options, OutputFormat};

use crate::*;

#[test]
fn huge_declared_png_is_refused_without_allocating() {
    let mut p = processor();
    let input = fixture("sharp/65536-uint32-limit.png");
    match p
        .process(&input, &size(100, 100), Some(OutputFormat::Jpeg))
        .unwrap()
    {
        Err(Error::TooLarge(t)) => {
            assert_eq!(t.limit_kind, LimitKind::Pixels);
            assert_eq!((t.width, t.height), (65536, 65536));
            assert_eq!(t.found, 65536 * 65536);
            assert_eq!(t.limit, 100_000_000);
            assert!(t.message.contains("65536x65536"), "{}", t.message);
        }
        other => panic!("expected too-large, got {other:?}"),
    }
    // A 16 GiB frame was never allocated: the instance stays small.
    let stats = p.stats().unwrap();
    assert!(
        stats.peak_memory_bytes < 32 << 20,
        "peak {} bytes",
        stats.peak_memory_bytes
    );
}

#[test]
fn max_input_bytes() {
    let input = fixture("sharp/320x240.jpg");
    let options = Options {
        max_input_bytes: Some(1000),
        ..Options::default()
    };
    match process_err(&input, &options, OutputFormat::Jpeg) {
        Error::TooLarge(t) => {
            assert_eq!(t.limit_kind, LimitKind::Bytes);
            assert_eq!(t.found, input.len() as u64);
            assert_eq!(t.limit, 1000);
        }
        other => panic!("{other:?}"),
    }
    // The default, 64 MiB, refuses a 65 MiB input without looking at it.
    let big = vec![0u8; 65 << 20];
    assert!(matches!(
        process_err(&big, &Options::default(), OutputFormat::Jpeg),
        Error::TooLarge(_)
    ));
}

#[test]
fn max_input_pixels() {
    let options = Options {
        max_input_pixels: Some(320 * 240 - 1),
        ..Options::default()
    };
    match process_err(&fixture("sharp/320x240.jpg"), &options, OutputFormat::Jpeg) {
        Error::TooLarge(t) => {
            assert_eq!(t.limit_kind, LimitKind::Pixels);
            assert_eq!(t.found, 320 * 240);
        }
        other => panic!("{other:?}"),
    }
    let options = Options {
        max_input_pixels: Some(320 * 240),
        ..Options::default()
    };
    process_ok(&fixture("sharp/320x240.jpg"), &options, OutputFormat::Jpeg);
}

#[test]
fn memory_limit_trap_is_a_host_error_and_the_next_call_works() {
    let runtime = Runtime::new(RuntimeConfig {
        memory_limit: 24 << 20,
        max_instances: 2,
        ..RuntimeConfig::default()
    })
    .unwrap();
    let mut p = runtime.processor();
    // A 2048x1536 RGBA PNG needs about 32 MiB to decode and resize. (W1 decoded at full size
    // no longer does: its planes and the resize's buffers fit in 24 MiB.)
    let err = p
        .process(
            &fixture("sharp/alpha-premultiply-2048x1536-paper.png"),
            &size(720, 540),
            None,
        )
        .expect_err("the memory limit stops the call");
    assert!(err.to_string().contains("memory limit"), "{err:#}");
    let ok = p
        .process(&fixture("sharp/320x240.jpg"), &size(100, 100), None)
        .unwrap();
    assert!(ok.is_ok());
    assert_eq!(p.instances_created(), 2);
}

#[test]
fn instances_start_with_the_initial_memory_and_sharps_benchmark_fits_in_it() {
    // The component is linked with this memory (component/build.rs); W1 fits in it, so a
    // server's instance for such a request never grows or shrinks its memory.
    let mut p = processor();
    p.process(&fixture("pngsuite/basn2c08.png"), &size(16, 16), None)
        .unwrap()
        .unwrap();
    assert_eq!(
        p.stats().unwrap().memory_bytes,
        imgpipe::names::INITIAL_MEMORY_BYTES as u64
    );
    let w1 = Options {
        quality: Some(80),
        ..size(720, 588)
    };
    p.process(&fixture("sharp/2569067123_aca715a2ee_o.jpg"), &w1, None)
        .unwrap()
        .unwrap();
    assert_eq!(
        p.stats().unwrap().peak_memory_bytes,
        imgpipe::names::INITIAL_MEMORY_BYTES as u64
    );
}

#[test]
fn a_memory_limit_below_the_initial_memory_is_refused_up_front() {
    let too_low = imgpipe::names::INITIAL_MEMORY_BYTES - (1 << 20);
    let err = Runtime::new(RuntimeConfig {
        memory_limit: too_low,
        ..RuntimeConfig::default()
    })
    .err()
    .expect("a limit no instance fits in is refused");
    assert!(
        err.to_string().contains("a processor instance starts with"),
        "{err:#}"
    );
}

#[test]
fn a_component_whose_memory_starts_above_the_limit_is_refused_when_loaded() {
    // The smallest component with a memory: one core module holding a memory of 512 pages
    // (32 MiB), instantiated. The limit clears this build's initial memory, so what refuses it
    // is wasmtime's pooling allocator, checking the loaded component's own memories.
    let module = [
        b"\0asm".as_slice(),
        &[1, 0, 0, 0],          // core module, version 1
        &[5, 4, 1, 0, 0x80, 4], // memory section: one memory, no maximum, 512 pages
    ]
    .concat();
    let mut component = [b"\0asm".as_slice(), &[0x0d, 0, 1, 0]].concat(); // component, layer 1
    component.push(1); // core module section
    assert!(module.len() < 0x80, "the section's size is one LEB128 byte");
    component.push(module.len() as u8);
    component.extend_from_slice(&module);
    component.extend_from_slice(&[2, 4, 1, 0, 0, 0]); // core instance section: instantiate module 0
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large-memory.wasm");
    std::fs::write(&path, &component).unwrap();
    let limit = imgpipe::names::INITIAL_MEMORY_BYTES;
    assert!(
        limit < 32 << 20,
        "the component's memory must start above the limit"
    );
    let err = Runtime::new(RuntimeConfig {
        component: path,
        memory_limit: limit,
        ..RuntimeConfig::default()
    })
    .err()
    .expect("a component whose memory cannot start within the limit is refused");
    assert!(
        format!("{err:#}").contains("minimum byte size of 33554432 which exceeds the limit"),
        "{err:#}"
    );
}

#[test]
fn time_limit_interrupts_and_the_next_call_works() {
    let runtime = Runtime::new(RuntimeConfig {
        time_limit: Some(std::time::Duration::from_millis(20)),
        max_instances: 2,
        ..RuntimeConfig::default()
    })
    .unwrap();
    let mut p = runtime.processor();
    // A full-size AVIF encode takes far longer than 20 ms.
    let err = p
        .process(
            &fixture("sharp/2569067123_aca715a2ee_o.jpg"),
            &Options::default(),
            Some(OutputFormat::Avif),
        )
        .expect_err("the time limit stops the call");
    assert!(err.to_string().contains("time limit"), "{err:#}");
    let ok = p
        .process(&fixture("pngsuite/basn2c08.png"), &Options::default(), None)
        .unwrap();
    assert!(ok.is_ok());
}

#[test]
fn without_a_time_limit_calls_run_to_the_end() {
    // No epoch checks are compiled in and no ticker runs: an AVIF encode, which takes longer
    // than the 20 ms limit above, runs to the end and gives a valid file.
    let runtime = Runtime::new(RuntimeConfig {
        time_limit: None,
        max_instances: 1,
        ..RuntimeConfig::default()
    })
    .unwrap();
    let mut p = runtime.processor();
    let out = p
        .process(
            &fixture("sharp/320x240.jpg"),
            &Options::default(),
            Some(OutputFormat::Avif),
        )
        .unwrap()
        .unwrap();
    assert_eq!((out.width, out.height), (320, 240));
    assert_eq!(out.image.get(4..12), Some(&b"ftypavif"[..]));
}

//! Per-stage timings of W1 (sharp's benchmark: 2725x2225 JPEG to 720x588 JPEG q80), natively:
//! where the time of one `process` call goes.
//!
//! Run with: `cargo bench -p imgpipe-component --bench stages`

// A bench that cannot run its workload must stop loudly, not measure nothing: as in tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use imgpipe_component::color::{Declared, Plan};
use imgpipe_component::decode::Source;
use imgpipe_component::options::{ColorProfile, Options, OutputFormat, Resolve};
use imgpipe_component::{encode, process, resize};

fn w1() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../test-host/tests/images/sharp/2569067123_aca715a2ee_o.jpg"
    );
    std::fs::read(path).unwrap_or_else(|e| panic!("read W1's photo {path}: {e}"))
}

fn stages(c: &mut Criterion) {
    let input = w1();
    let options = Options {
        max_width: Some(720),
        max_height: Some(588),
        quality: Some(80),
        ..Options::default()
    };
    let resolved = options.resolve().unwrap();
    let plan = resize::plan(2725, 2225, &resolved, (0.5, 0.5));
    // W1 is sRGB: the colour plan does nothing, as for most inputs.
    let srgb = Plan::new(&Declared::default(), ColorProfile::Srgb, OutputFormat::Jpeg).unwrap();
    let decode = |at_least| {
        Source::open(black_box(&input), u64::MAX)
            .and_then(|s| s.decode(at_least, &srgb))
            .map(|(raster, _)| raster)
    };
    let mut group = c.benchmark_group("w1");
    group.sample_size(20);

    group.bench_function("decode full", |b| b.iter(|| decode(None)));
    group.bench_function("decode 1/2 (shrink-on-load)", |b| {
        b.iter(|| decode(Some((720, 588))))
    });
    let half = decode(Some((720, 588))).unwrap();
    group.bench_function("resize 1363x1113 to 720x588 lanczos3", |b| {
        b.iter(|| {
            resize::resize(
                black_box(half.clone()),
                (2725, 2225),
                &plan,
                resolved.filter,
            )
        })
    });
    let small = resize::resize(half.clone(), (2725, 2225), &plan, resolved.filter).unwrap();
    // What a Display P3 input of W1 adds: the conversion of the resized raster.
    let p3 = Plan::new(
        &Declared::from_icc(include_bytes!("../icc/DisplayP3.icm").to_vec()),
        ColorProfile::Srgb,
        OutputFormat::Jpeg,
    )
    .unwrap();
    group.bench_function("convert 720x588 Display P3 to sRGB", |b| {
        b.iter(|| {
            let mut data = small.data.clone();
            p3.convert_rgb8(black_box(&mut data), false)
        })
    });
    for (name, format) in [
        ("encode jpeg q80", OutputFormat::Jpeg),
        ("encode webp q80", OutputFormat::Webp),
        ("encode png", OutputFormat::Png),
        ("encode avif q80", OutputFormat::Avif),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                encode::encode(
                    encode::Picture::Rgb(black_box(&small)),
                    format,
                    encode::Settings::quality(80),
                    Default::default(),
                )
            })
        });
    }
    group.bench_function("process (whole W1)", |b| {
        b.iter(|| process(black_box(&input), &options, OutputFormat::Jpeg))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);

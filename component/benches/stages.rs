//! Per-stage timings of W1 (sharp's benchmark: 2725x2225 JPEG to 720x588 JPEG q80), natively:
//! where the time of one `process` call goes.
//!
//! Run with: `cargo bench -p imgpipe-component --bench stages`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use imgpipe_component::decode::Source;
use imgpipe_component::options::{Options, OutputFormat};
use imgpipe_component::{encode, process, resize};

fn w1() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/sharp/2569067123_aca715a2ee_o.jpg"
    );
    std::fs::read(path).unwrap_or_default()
}

fn stages(c: &mut Criterion) {
    let input = w1();
    let options = Options {
        max_width: Some(720),
        max_height: Some(588),
        quality: Some(80),
        ..Options::default()
    };
    let Ok(resolved) = options.resolve() else {
        return;
    };
    let plan = resize::plan(2725, 2225, &resolved);
    let mut group = c.benchmark_group("w1");
    group.sample_size(20);

    group.bench_function("decode full", |b| {
        b.iter(|| Source::open(black_box(&input), u64::MAX).and_then(|s| s.decode(None)))
    });
    group.bench_function("decode 1/2 (shrink-on-load)", |b| {
        b.iter(|| {
            Source::open(black_box(&input), u64::MAX).and_then(|s| s.decode(Some((720, 588))))
        })
    });
    let Ok(half) = Source::open(&input, u64::MAX).and_then(|s| s.decode(Some((720, 588)))) else {
        return;
    };
    group.bench_function("resize 1363x1113 to 720x588 lanczos3", |b| {
        b.iter(|| resize::resize(black_box(half.clone()), &plan, resolved.filter))
    });
    let Ok(small) = resize::resize(half.clone(), &plan, resolved.filter) else {
        return;
    };
    for (name, format) in [
        ("encode jpeg q80", OutputFormat::Jpeg),
        ("encode webp q80", OutputFormat::WebP),
        ("encode png", OutputFormat::Png),
        ("encode avif q80", OutputFormat::Avif),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| encode::encode(black_box(&small), format, 80))
        });
    }
    group.bench_function("process (whole W1)", |b| {
        b.iter(|| process(black_box(&input), &options, OutputFormat::Jpeg))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);

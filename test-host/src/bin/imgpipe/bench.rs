//! `imgpipe bench`: time one workload through the component, warm and cold, and print medians.
//! Timing lives here, never in tests: the machine is shared and noisy.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use imgpipe::{Runtime, describe};
use wasmtime::error::Context;
use wasmtime::{Result, bail};

use crate::args::{Format, ProcessArgs};

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The input image.
    input: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "jpeg")]
    format: Format,
    /// Timed warm calls (after 3 untimed ones).
    #[arg(long, short = 'n', default_value_t = 30)]
    iterations: usize,
    #[command(flatten)]
    options: ProcessArgs,
}

/// Median, 95th percentile and minimum of a set of durations.
pub struct Summary {
    pub median: Duration,
    pub p95: Duration,
    pub min: Duration,
}

pub fn summarise(mut samples: Vec<Duration>) -> Summary {
    samples.sort();
    let at = |q: f64| {
        samples
            .get(((samples.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Summary {
        median: at(0.5),
        p95: at(0.95),
        min: at(0.0),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

pub fn run(runtime: &Runtime, args: BenchArgs) -> Result<()> {
    let input =
        std::fs::read(&args.input).with_context(|| format!("read {}", args.input.display()))?;
    let options = args.options.to_wit()?;
    let format = Some(args.format.to_wit());
    let n = args.iterations.max(1);

    // Cold: a new instance from the InstancePre (pooling allocator) each time.
    let mut instantiate = Vec::with_capacity(n);
    let mut first_call = Vec::with_capacity(n);
    for _ in 0..n {
        let mut p = runtime.processor();
        let start = Instant::now();
        p.ensure_instance()?;
        instantiate.push(start.elapsed());
        let start = Instant::now();
        if let Err(e) = p.process(&input, &options, format)? {
            bail!("{}", describe(&e));
        }
        first_call.push(start.elapsed());
    }

    // Warm: one instance, many calls.
    let mut p = runtime.processor();
    let mut out_len = 0;
    let mut dims = (0, 0);
    for _ in 0..3 {
        p.process(&input, &options, format)?
            .map_err(|e| wasmtime::format_err!("{}", describe(&e)))?;
    }
    let mut warm = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let out = p
            .process(&input, &options, format)?
            .map_err(|e| wasmtime::format_err!("{}", describe(&e)))?;
        warm.push(start.elapsed());
        out_len = out.image.len();
        dims = (out.width, out.height);
    }
    let stats = p.stats()?;

    println!(
        "{} -> {}x{} {:?}: {} bytes; {} iterations",
        args.input.display(),
        dims.0,
        dims.1,
        args.format,
        out_len,
        n
    );
    for (name, samples) in [
        ("warm call", warm),
        ("instantiate", instantiate),
        ("first call", first_call),
    ] {
        let s = summarise(samples);
        println!(
            "  {name:<12} median {:>10}  p95 {:>10}  min {:>10}",
            ms(s.median),
            ms(s.p95),
            ms(s.min)
        );
    }
    println!(
        "  linear memory peak {:.1} MiB",
        stats.peak_memory_bytes as f64 / (1 << 20) as f64
    );
    Ok(())
}

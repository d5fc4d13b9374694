//! `imgpipe bench`: time one workload through the component (warm calls, instantiation, first
//! calls) or through the same pipeline compiled natively, and print medians or JSON for
//! `bench/run`. Timing lives here, never in tests: the machine is shared and noisy.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use imgpipe::{Runtime, describe, wit};
use serde::Serialize;
use wasmtime::error::Context;
use wasmtime::{Result, format_err};

use crate::args::{ProcessArgs, names};
use imgpipe::names::OutputFormat;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The input image.
    input: PathBuf,
    /// Output format.
    #[arg(long, short, value_parser = names::<OutputFormat>(), default_value_t = OutputFormat::Jpeg)]
    format: OutputFormat,
    /// Timed warm calls (after 3 untimed ones).
    #[arg(long, short = 'n', default_value_t = 30)]
    iterations: usize,
    /// Fresh instances to time (instantiation and first call), each after the previous one's
    /// workload call; default `-n`. A p99 needs a few hundred.
    #[arg(long)]
    cold: Option<usize>,
    /// Run the pipeline compiled natively instead of the component (the cost of the sandbox).
    #[arg(long)]
    native: bool,
    /// Run the component without the per-call time limit, whose epoch checks cost about 6%
    /// on W1 (the cost of that safety net, measured).
    #[arg(long, conflicts_with = "native")]
    no_time_limit: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Write the last output image here.
    #[arg(long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    options: ProcessArgs,
}

impl BenchArgs {
    pub fn is_native(&self) -> bool {
        self.native
    }

    pub fn time_limited(&self) -> bool {
        !self.no_time_limit
    }
}

/// Median, 95th/99th percentile and minimum, in milliseconds.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub median_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub min_ms: f64,
    pub samples: usize,
}

pub fn summarise(mut samples: Vec<Duration>) -> Summary {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len().max(1) - 1) as f64 * q).round() as usize;
        samples.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    Summary {
        median_ms: at(0.5),
        p95_ms: at(0.95),
        p99_ms: at(0.99),
        min_ms: at(0.0),
        samples: samples.len(),
    }
}

#[derive(Debug, Serialize)]
struct Report {
    engine: &'static str,
    input: String,
    width: u32,
    height: u32,
    bytes: usize,
    warm: Summary,
    /// Component only: instantiation from the `InstancePre` with the pooling allocator.
    instantiate: Option<Summary>,
    /// Component only: the first call on a fresh instance.
    first_call: Option<Summary>,
    /// Component: peak linear memory. Native: the process's peak RSS.
    peak_memory_bytes: u64,
}

struct Output {
    image: Vec<u8>,
    width: u32,
    height: u32,
}

pub fn run(runtime: Option<&Runtime>, args: BenchArgs) -> Result<()> {
    let input =
        std::fs::read(&args.input).with_context(|| format!("read {}", args.input.display()))?;
    let n = args.iterations.max(1);
    let cold = args.cold.unwrap_or(n).max(1);
    let options = args.options.options();
    let format = args.format;

    let (report, last) = match runtime {
        Some(runtime) => {
            let options = wit::Options::from(&options);
            bench_component(runtime, &input, &options, format.into(), n, cold)?
        }
        None => bench_native(&input, &options, format, n)?,
    };
    let report = Report {
        input: args.input.display().to_string(),
        ..report
    };
    if let Some(path) = &args.output {
        std::fs::write(path, &last.image).with_context(|| format!("write {}", path.display()))?;
    }
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(());
    }
    println!(
        "{} ({}) -> {}x{} {}: {} bytes; {n} iterations",
        report.input, report.engine, last.width, last.height, args.format, report.bytes
    );
    let rows = [
        ("warm call", Some(&report.warm)),
        ("instantiate", report.instantiate.as_ref()),
        ("first call", report.first_call.as_ref()),
    ];
    for (name, s) in rows {
        if let Some(s) = s {
            println!(
                "  {name:<12} median {:>8.3} ms  p95 {:>8.3} ms  p99 {:>8.3} ms  min {:>8.3} ms",
                s.median_ms, s.p95_ms, s.p99_ms, s.min_ms
            );
        }
    }
    println!(
        "  peak memory {:.1} MiB",
        report.peak_memory_bytes as f64 / (1 << 20) as f64
    );
    Ok(())
}

fn bench_component(
    runtime: &Runtime,
    input: &[u8],
    options: &wit::Options,
    format: wit::OutputFormat,
    n: usize,
    cold: usize,
) -> Result<(Report, Output)> {
    let call = |p: &mut imgpipe::Processor<'_>| -> Result<Output> {
        let out = p
            .process(input, options, Some(format))?
            .map_err(|e| format_err!("{}", describe(&e)))?;
        Ok(Output {
            image: out.image,
            width: out.width,
            height: out.height,
        })
    };
    // Cold: a new instance from the InstancePre (pooling allocator) each time, as a server
    // making an instance per request would: each one reuses a pool slot the previous call
    // dirtied, so slot reset is part of the figure.
    let mut instantiate = Vec::with_capacity(cold);
    let mut first_call = Vec::with_capacity(cold);
    for _ in 0..cold {
        let mut p = runtime.processor();
        let start = Instant::now();
        p.ensure_instance()?;
        instantiate.push(start.elapsed());
        let start = Instant::now();
        call(&mut p)?;
        first_call.push(start.elapsed());
    }
    // Warm: one instance, many calls.
    let mut p = runtime.processor();
    let (warm, last) = time_calls(n, || call(&mut p))?;
    let peak = p.stats()?.peak_memory_bytes;
    Ok((
        Report {
            engine: "component",
            input: String::new(),
            width: last.width,
            height: last.height,
            bytes: last.image.len(),
            warm,
            instantiate: Some(summarise(instantiate)),
            first_call: Some(summarise(first_call)),
            peak_memory_bytes: peak,
        },
        last,
    ))
}

fn bench_native(
    input: &[u8],
    options: &imgpipe_component::Options,
    format: OutputFormat,
    n: usize,
) -> Result<(Report, Output)> {
    use imgpipe_component as pipeline;
    let (warm, last) = time_calls(n, || {
        let out = pipeline::process(input, options, format).map_err(|e| format_err!("{e}"))?;
        Ok(Output {
            image: out.image,
            width: out.width,
            height: out.height,
        })
    })?;
    Ok((
        Report {
            engine: "native",
            input: String::new(),
            width: last.width,
            height: last.height,
            bytes: last.image.len(),
            warm,
            instantiate: None,
            first_call: None,
            peak_memory_bytes: peak_rss_bytes(),
        },
        last,
    ))
}

/// Three untimed calls, then `n` timed ones; returns the summary and the last output.
fn time_calls(n: usize, mut call: impl FnMut() -> Result<Output>) -> Result<(Summary, Output)> {
    let mut last = call()?;
    for _ in 0..2 {
        last = call()?;
    }
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        last = call()?;
        samples.push(start.elapsed());
    }
    Ok((summarise(samples), last))
}

/// The process's peak resident set (VmHWM), 0 where /proc is not available.
fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

//! `imgpipe batch`: every image of a folder through one instance, with a progress bar and a
//! summary: what this command counted, and the component's own counters.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;
use imgpipe::names::{ErrorKind, OutputFormat};
use imgpipe::{Runtime, describe, error_kind, wit};
use indicatif::{ProgressBar, ProgressStyle};
use wasmtime::Result;
use wasmtime::error::Context;

use crate::args::{ProcessArgs, names};

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Folder of input images (not recursive).
    input: PathBuf,
    /// Folder for the results (created if missing).
    #[arg(short, long)]
    output: PathBuf,
    /// Output format (default JPEG).
    #[arg(long, short, value_parser = names::<OutputFormat>(), default_value_t = OutputFormat::Jpeg)]
    format: OutputFormat,
    /// Process without the per-call time limit (30 s), whose epoch checks cost about 15% on a
    /// large JPEG. For trusted input only: a hostile file could then run for as long as it takes.
    #[arg(long)]
    no_time_limit: bool,
    #[command(flatten)]
    options: ProcessArgs,
}

impl BatchArgs {
    pub fn time_limited(&self) -> bool {
        !self.no_time_limit
    }
}

pub fn run(runtime: &Runtime, args: BatchArgs) -> Result<()> {
    let options = wit::Options::from(&args.options.options());
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&args.input)
        .with_context(|| format!("read folder {}", args.input.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    inputs.sort();
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("create folder {}", args.output.display()))?;

    let bar = ProgressBar::new(inputs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed_precise} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut processor = runtime.processor();
    let mut failures = Vec::new();
    // Counted here: the component's counters start again when a trap replaces the instance.
    let mut succeeded = 0usize;
    let mut by_kind: BTreeMap<ErrorKind, usize> = BTreeMap::new();
    for input in &inputs {
        let name = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        bar.set_message(name.clone());
        let bytes = std::fs::read(input).with_context(|| format!("read {}", input.display()))?;
        match processor.process(&bytes, &options, Some(args.format.into())) {
            Ok(Ok(out)) => {
                succeeded += 1;
                let stem = input
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or(name);
                let path = args
                    .output
                    .join(format!("{stem}.{}", args.format.extension()));
                std::fs::write(&path, &out.image)
                    .with_context(|| format!("write {}", path.display()))?;
            }
            Ok(Err(e)) => {
                *by_kind.entry(error_kind(&e)).or_default() += 1;
                failures.push(format!("{name}: {}", describe(&e)));
            }
            Err(e) => failures.push(format!("{name}: host: {e:#}")),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();

    println!(
        "processed {} files: {succeeded} ok, {} failed",
        inputs.len(),
        failures.len()
    );
    for f in &failures {
        println!("  failed {f}");
    }
    if !by_kind.is_empty() {
        let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
        println!("errors by kind: {}", kinds.join(", "));
    }
    let s = processor.stats()?;
    let mb = |b: u64| b as f64 / (1 << 20) as f64;
    let instances = processor.instances_created();
    println!(
        "component stats{}: calls {}, bytes in {:.1} MiB, out {:.1} MiB, time {:.1} ms total, {:.1} ms max, memory {:.1} MiB (peak {:.1} MiB)",
        if instances > 1 {
            format!(" (of the last of {instances} instances; a trap replaced the others)")
        } else {
            String::new()
        },
        s.calls,
        mb(s.bytes_in),
        mb(s.bytes_out),
        s.total_time_ns as f64 / 1e6,
        s.max_time_ns as f64 / 1e6,
        mb(s.memory_bytes),
        mb(s.peak_memory_bytes),
    );
    Ok(())
}

//! `imgpipe`: process images with the imgpipe component from the command line.

mod args;
mod batch;
mod bench;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use imgpipe::{Runtime, RuntimeConfig, describe, wit};
use wasmtime::Result;
use wasmtime::error::Context;

use args::{ProcessArgs, names};
use imgpipe::names::OutputFormat;

#[derive(Debug, Parser)]
#[command(
    name = "imgpipe",
    version,
    about = "Decode, orient, resize and re-encode images in a WebAssembly sandbox"
)]
struct Cli {
    /// The component to run (default: the one built with this CLI).
    #[arg(long, global = true, env = "IMGPIPE_COMPONENT")]
    component: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Process one image.
    Process {
        /// The input image.
        input: PathBuf,
        /// Where to write the result.
        #[arg(short, long)]
        output: PathBuf,
        /// Output format (default: from the output's extension, else JPEG).
        #[arg(long, short, value_parser = names::<OutputFormat>())]
        format: Option<OutputFormat>,
        #[command(flatten)]
        options: ProcessArgs,
    },
    /// Print an image's format, size, orientation and alpha without decoding it.
    Inspect {
        /// The input image.
        input: PathBuf,
    },
    /// Process every image in a folder, with a progress bar and the component's stats at the end.
    Batch(batch::BatchArgs),
    /// Time one workload through the component: warm calls, instantiation and first calls.
    Bench(bench::BenchArgs),
    /// Serve the HTTP API (POST /process, GET / /health /metrics) on one instance per request.
    Serve(serve::ServeArgs),
}

/// What went wrong, for the exit code: the component's answer (1) or the host (2).
enum Failure {
    Image(wit::Error),
    Host(wasmtime::Error),
}

impl From<wasmtime::Error> for Failure {
    fn from(e: wasmtime::Error) -> Self {
        Failure::Host(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Image(e)) => {
            eprintln!("error: {}", describe(&e));
            ExitCode::from(1)
        }
        Err(Failure::Host(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn runtime(component: Option<PathBuf>) -> Result<Runtime> {
    runtime_with(component, true)
}

/// A runtime with the default time limit, or none when `time_limited` is false.
fn runtime_with(component: Option<PathBuf>, time_limited: bool) -> Result<Runtime> {
    let mut config = RuntimeConfig::default();
    if let Some(path) = component {
        config.component = path;
    }
    if !time_limited {
        config.time_limit = None;
    }
    Runtime::new(config)
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Process {
            input,
            output,
            format,
            options,
        } => {
            let format = format
                .or_else(|| {
                    let extension = output.extension()?.to_str()?;
                    OutputFormat::from_extension(extension)
                })
                .unwrap_or(OutputFormat::Jpeg);
            let options = wit::Options::from(&options.options());
            let bytes =
                std::fs::read(&input).with_context(|| format!("read {}", input.display()))?;
            let runtime = runtime(cli.component)?;
            let mut processor = runtime.processor();
            let start = Instant::now();
            let processed = processor
                .process(&bytes, &options, Some(format.into()))?
                .map_err(Failure::Image)?;
            let elapsed = start.elapsed();
            std::fs::write(&output, &processed.image)
                .with_context(|| format!("write {}", output.display()))?;
            println!(
                "{} -> {}: {}x{} {}, {} bytes in {:.1} ms",
                input.display(),
                output.display(),
                processed.width,
                processed.height,
                processed.mime_type,
                processed.image.len(),
                elapsed.as_secs_f64() * 1e3
            );
            if let Some(placeholder) = &processed.placeholder {
                println!("placeholder: {placeholder}");
            }
            Ok(())
        }
        Command::Inspect { input } => {
            let bytes =
                std::fs::read(&input).with_context(|| format!("read {}", input.display()))?;
            let runtime = runtime(cli.component)?;
            let info = runtime
                .processor()
                .inspect(&bytes)?
                .map_err(Failure::Image)?;
            println!("file:        {}", input.display());
            println!(
                "format:      {}",
                imgpipe::names::InputFormat::from(info.format)
            );
            println!("size:        {}x{}", info.width, info.height);
            println!("orientation: {}", info.orientation);
            println!("alpha:       {}", info.has_alpha);
            println!("depth:       {} bits per channel", info.bits_per_channel);
            println!("frames:      {}", info.frames);
            Ok(())
        }
        Command::Batch(args) => {
            let runtime = runtime_with(cli.component, args.time_limited())?;
            batch::run(&runtime, args).map_err(Failure::Host)
        }
        Command::Bench(args) if args.is_native() => bench::run(None, args).map_err(Failure::Host),
        Command::Bench(args) => {
            let runtime = runtime_with(cli.component, args.time_limited())?;
            bench::run(Some(&runtime), args).map_err(Failure::Host)
        }
        Command::Serve(args) => serve::run(args).map_err(Failure::Host),
    }
}

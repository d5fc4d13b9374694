//! Makes a set of web thumbnails (WebP, AVIF and JPEG at three widths) from one image with the
//! imgpipe component, then prints the instance's counters.
//!
//! Run with: `cargo run --release -p imgpipe-embed-example -- <image> [out-dir]`

use std::path::PathBuf;

use imgpipe::names::OutputFormat;
use imgpipe::wit::Options;
use imgpipe::{Runtime, RuntimeConfig, describe};
use wasmtime::Result;
use wasmtime::error::Context;

fn main() -> Result<()> {
    let mut args = std::env::args_os().skip(1);
    let input = PathBuf::from(
        args.next()
            .context("usage: imgpipe-embed-example <image> [out-dir]")?,
    );
    let out_dir = args
        .next()
        .map_or_else(|| PathBuf::from("thumbnails"), PathBuf::from);
    std::fs::create_dir_all(&out_dir)?;
    let bytes = std::fs::read(&input).with_context(|| format!("read {}", input.display()))?;

    // Load once (the compiled code is cached on disk); each processor is one sandboxed instance.
    let runtime = Runtime::new(RuntimeConfig::default())?;
    let mut processor = runtime.processor();

    for width in [320, 640, 1280] {
        for format in [OutputFormat::Webp, OutputFormat::Avif, OutputFormat::Jpeg] {
            let ext = format.extension();
            let options = Options {
                max_width: Some(width),
                quality: Some(80),
                ..Options::default()
            };
            match processor.process(&bytes, &options, Some(format.into()))? {
                Ok(out) => {
                    let path = out_dir.join(format!("{width}.{ext}"));
                    std::fs::write(&path, &out.image)?;
                    println!(
                        "{}: {}x{}, {} bytes",
                        path.display(),
                        out.width,
                        out.height,
                        out.image.len()
                    );
                }
                Err(e) => println!("{width} {ext}: {}", describe(&e)),
            }
        }
    }
    let stats = processor.stats()?;
    println!(
        "{} calls, {} ok, {:.1} ms in all, linear memory {:.1} MiB",
        stats.calls,
        stats.successes,
        stats.total_time_ns as f64 / 1e6,
        stats.memory_bytes as f64 / (1 << 20) as f64
    );
    Ok(())
}

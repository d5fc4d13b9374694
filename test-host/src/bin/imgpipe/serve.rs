//! `imgpipe serve`: the HTTP service, with the served component (gateway + processor).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use imgpipe::server::{
    Server, ServerConfig, default_concurrency, served_component_path, shutdown_signal,
};
use wasmtime::Result;
use wasmtime::error::Context;

/// The lowest `--memory-limit-mib`: the memory a processor instance starts with.
const MIN_MEMORY_LIMIT_MIB: i64 = (imgpipe::names::INITIAL_MEMORY_BYTES >> 20) as i64;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The served component (default: the one composed by this CLI's build).
    #[arg(long, env = "IMGPIPE_SERVED")]
    served: Option<PathBuf>,
    /// Largest linear memory of a request's instance, in MiB (at least the memory an instance
    /// starts with, at most 4096).
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u16).range(MIN_MEMORY_LIMIT_MIB..=4096))]
    memory_limit_mib: u16,
    /// Longest a request may take, in seconds.
    #[arg(long, default_value_t = 30.0)]
    time_limit_secs: f64,
    /// Requests served at once (1 to 1000; default twice the processor cores); more wait for a
    /// slot, first come first served.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1000))]
    max_concurrency: Option<u16>,
    /// Longest a request waits for a slot before a 503, in seconds.
    #[arg(long, default_value_t = 10.0)]
    queue_timeout_secs: f64,
    /// Longest a client may take to send a request's headers, in seconds.
    #[arg(long, default_value_t = 30.0)]
    header_timeout_secs: f64,
    /// No access-log line per request.
    #[arg(long)]
    quiet: bool,
    /// The `Cache-Control` header of image answers (default "public, max-age=31536000").
    #[arg(long)]
    cache_control: Option<String>,
}

pub fn run(args: ServeArgs) -> Result<()> {
    if !(args.time_limit_secs > 0.0
        && args.header_timeout_secs > 0.0
        && args.queue_timeout_secs >= 0.0)
    {
        wasmtime::bail!(
            "--time-limit-secs and --header-timeout-secs must be above 0, --queue-timeout-secs not below 0"
        );
    }
    let config = ServerConfig {
        component: args.served.unwrap_or_else(served_component_path),
        addr: args.addr,
        memory_limit: usize::from(args.memory_limit_mib) << 20,
        time_limit: Duration::try_from_secs_f64(args.time_limit_secs)
            .context("--time-limit-secs")?,
        max_concurrency: args
            .max_concurrency
            .map_or_else(|| default_concurrency().min(1000), usize::from),
        queue_timeout: Duration::try_from_secs_f64(args.queue_timeout_secs)
            .context("--queue-timeout-secs")?,
        header_timeout: Duration::try_from_secs_f64(args.header_timeout_secs)
            .context("--header-timeout-secs")?,
        access_log: !args.quiet,
        cache_control: args.cache_control,
    };
    let component = config.component.clone();
    // A worker thread for each call served at once (by default), so that the kernel shares the
    // cores evenly between calls: tokio moves a task to another worker only when that worker
    // is idle, so with a worker per core one could hold three calls while the other held one,
    // and those three ran at a third of the speed (measured at 16 in flight on 2 cores: p95
    // 0.85x with four workers instead of two, requests/s the same).
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let workers = config.max_concurrency.min(default_concurrency()).max(cores);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .context("start the async runtime")?;
    runtime.block_on(async move {
        let server = Server::bind(config).await?;
        let addr = server.local_addr()?;
        println!("imgpipe: serving http://{addr}/ (Ctrl-C to stop)");
        println!(
            "  the same with upstream wasmtime: wasmtime serve -Scli --addr {addr} {}",
            component.display()
        );
        server.run(shutdown_signal()).await?;
        println!("imgpipe: stopped");
        Ok(())
    })
}

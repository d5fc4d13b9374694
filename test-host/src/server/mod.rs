//! The project's HTTP server: the served component (gateway + processor) behind hyper, with
//! `wasmtime-wasi-http`. A fresh instance per request from an `InstancePre` on the pooling
//! allocator (instantiation is about 0.1 ms, and no request sees another's memory), a memory
//! and a time limit per request, a cap on requests in flight, an access-log line per request,
//! Prometheus counters on `GET /metrics`, and a graceful shutdown.

mod instance;
mod metrics;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioTimer;
use imgpipe_gateway::reply::Failure;
use imgpipe_names::Problem;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use wasmtime::Result;
use wasmtime::component::Linker;
use wasmtime::error::Context;
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::p2::bindings::ProxyPre;

pub use crate::runtime::KEEP_RESIDENT;
use crate::runtime::{Ticker, engine};
use instance::{Answer, State, full_body};
use metrics::{Counted, Metered, Metrics, Refusal};

/// Where the served component is: `$IMGPIPE_SERVED` if set, else the copy of the one this
/// binary carries (see `embedded`), else the file this crate's build composed.
pub fn served_component_path() -> PathBuf {
    std::env::var_os("IMGPIPE_SERVED")
        .map(PathBuf::from)
        .or_else(|| crate::embedded::SERVED.file())
        .unwrap_or_else(|| PathBuf::from(env!("IMGPIPE_SERVED_PATH")))
}

/// Requests served at once unless configured: twice the processor cores this process may use
/// (imgproxy's default for its workers). A request's instance spends part of its life reading
/// the upload and sending the answer, so one per core would leave cores idle; many more only
/// interleave on the same cores at every epoch tick, each finishing later and each keeping its
/// memory resident. Measured at 16 requests in flight on 2 cores (`bench/README.md`), 4 slots
/// against 16: the same requests per second, p95 3% and p99 11% lower, a third of the peak RSS.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .saturating_mul(2)
}

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The component to serve (it exports `wasi:http/incoming-handler`).
    pub component: PathBuf,
    /// Where to listen. Default 127.0.0.1:8080.
    pub addr: SocketAddr,
    /// Largest each linear memory of a request's instance may grow to. Default 1 GiB; at least
    /// [`crate::names::INITIAL_MEMORY_BYTES`], else the server refuses to start.
    pub memory_limit: usize,
    /// Longest a request may take to get its answer. Default 30 s.
    pub time_limit: Duration,
    /// Requests served at once (each with its instance); more wait for a slot, first come
    /// first served. Default [`default_concurrency`].
    pub max_concurrency: usize,
    /// Longest a request waits for a slot before a 503. Default 10 s.
    pub queue_timeout: Duration,
    /// Longest a client may take to send a request's headers (also an idle keep-alive
    /// connection's limit) before the connection is closed. Default 30 s.
    pub header_timeout: Duration,
    /// Print an access-log line per request on stdout. Default true.
    pub access_log: bool,
    /// The `Cache-Control` of image answers (the gateway's default when `None`).
    pub cache_control: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            component: served_component_path(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            memory_limit: 1 << 30,
            time_limit: Duration::from_secs(30),
            max_concurrency: default_concurrency(),
            queue_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(30),
            access_log: true,
            cache_control: None,
        }
    }
}

/// What every request shares.
pub(crate) struct Shared {
    config: ServerConfig,
    pre: ProxyPre<State>,
    slots: Arc<Semaphore>,
    metrics: Arc<Metrics>,
}

/// A bound server, ready to run.
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
    _ticker: Ticker,
}

impl Server {
    /// Loads the component (from the compiled cache when current) and binds the address.
    pub async fn bind(config: ServerConfig) -> Result<Server> {
        let slots = u32::try_from(config.max_concurrency.max(1)).unwrap_or(u32::MAX);
        // The served component is two programs: the gateway and the processor.
        let engine = engine(config.memory_limit, slots, 2, true, true)?;
        let component = crate::cache::load(&engine, &config.component)?;
        let mut linker = Linker::<State>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).context("link WASI")?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)
            .context("link WASI HTTP")?;
        let pre = linker
            .instantiate_pre(&component)
            .context("pre-instantiate the component")?;
        let pre = ProxyPre::new(pre)
            .context("the component does not export wasi:http/incoming-handler")?;
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("listen on {}", config.addr))?;
        let ticker = Ticker::start(engine);
        Ok(Server {
            listener,
            shared: Arc::new(Shared {
                slots: Arc::new(Semaphore::new(slots as usize)),
                config,
                pre,
                metrics: Arc::new(Metrics::with_slots(slots)),
            }),
            _ticker: ticker,
        })
    }

    /// The address it listens on (the port is the system's choice when the config's was 0).
    pub fn local_addr(&self) -> Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until `shutdown` completes, then stops accepting, lets the requests in flight
    /// finish (for up to the time limit) and returns.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<()> {
        let Server {
            listener,
            shared,
            _ticker,
        } = self;
        let (stop, stopped) = watch::channel(false);
        let mut connections = tokio::task::JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                () = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok(pair) => pair,
                    Err(e) => {
                        // Out of descriptors and the like: wait a little rather than spin.
                        eprintln!("imgpipe serve: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
            };
            let _ = stream.set_nodelay(true);
            let shared = shared.clone();
            let header_timeout = shared.config.header_timeout;
            let mut stopped = stopped.clone();
            connections.spawn(async move {
                let service = service_fn(move |request| {
                    let shared = shared.clone();
                    async move { Ok::<_, Infallible>(handle(shared, peer, request).await) }
                });
                // Without a timer hyper has no header timeout, and a client that trickles its
                // headers would hold a connection for ever.
                let connection = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(header_timeout)
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service);
                tokio::pin!(connection);
                tokio::select! {
                    _ = &mut connection => {}
                    _ = stopped.changed() => {
                        // Finish the request in progress, then close.
                        connection.as_mut().graceful_shutdown();
                        let _ = connection.await;
                    }
                }
            });
            // Reap finished connections so the set does not grow with the server's age.
            while connections.try_join_next().is_some() {}
        }
        // New connections are refused from here on, not left waiting in the backlog.
        drop(listener);
        let _ = stop.send(true);
        let in_flight = connections.len();
        if in_flight > 0 {
            eprintln!("imgpipe serve: shutting down; finishing {in_flight} connection(s)");
        }
        let drain = async { while connections.join_next().await.is_some() {} };
        // A request may wait for a slot and then run for the time limit.
        let grace = shared.config.queue_timeout + shared.config.time_limit;
        if tokio::time::timeout(grace, drain).await.is_err() {
            eprintln!("imgpipe serve: connections still open after {grace:?}; closing them");
        }
        Ok(())
    }
}

/// One request: `/metrics` is the host's; everything else goes to a fresh instance, within a
/// slot of the concurrency cap.
async fn handle(
    shared: Arc<Shared>,
    peer: SocketAddr,
    request: hyper::Request<Incoming>,
) -> Answer {
    let started = Instant::now();
    // Built only when it will be printed: this runs on every request.
    let line = shared
        .config
        .access_log
        .then(|| format!("{peer} \"{} {}\"", request.method(), request.uri()));
    if request.method() == hyper::Method::GET && request.uri().path() == "/metrics" {
        let mut answer = hyper::Response::new(full_body(shared.metrics.render()));
        answer.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("text/plain; version=0.0.4"),
        );
        log(&shared, answer, line, started)
    } else {
        let waiting = Counted::waiting(&shared.metrics);
        let slot = tokio::time::timeout(
            shared.config.queue_timeout,
            shared.slots.clone().acquire_owned(),
        )
        .await;
        drop(waiting);
        match slot {
            Ok(Ok(permit)) => {
                let answer = instance::serve(shared.clone(), request, permit).await;
                log(&shared, answer, line, started)
            }
            _ => {
                let answer = instance::trap_answer(&shared, Refusal::Busy, "");
                log(&shared, answer, line, started)
            }
        }
    }
}

/// Wraps the answer's body so that, when it has been sent, the metrics are updated and the
/// access-log line is written.
fn log(shared: &Arc<Shared>, answer: Answer, line: Option<String>, started: Instant) -> Answer {
    let status = answer.status().as_u16();
    let shared = shared.clone();
    answer.map(move |body| {
        let body = Metered::finishing(body, move |bytes| {
            shared.metrics.record(status, bytes, started);
            if let Some(line) = line {
                println!(
                    "{line} {status} {bytes} {:.1}ms",
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
        });
        http_body_util::BodyExt::boxed_unsync(body)
    })
}

/// A JSON answer made by the host, in the gateway's error shape and with its status.
pub(crate) fn host_answer(problem: impl Into<Problem>, message: &str) -> Answer {
    let failure = Failure::new(problem, message);
    let mut answer = hyper::Response::new(full_body(failure.to_json()));
    *answer.status_mut() = hyper::StatusCode::from_u16(failure.status())
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    answer.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    answer
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

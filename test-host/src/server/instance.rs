//! One request in one fresh instance: the store with its limits, the call of
//! `wasi:http/incoming-handler`, and what a trap or a limit turns into.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use hyper::body::Incoming;
use wasmtime::component::ResourceTable;
use wasmtime::{ResourceLimiter, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::{
    RequestOptions, WasiBody, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks, WasiHttpView,
};

use tokio::sync::OwnedSemaphorePermit;

use super::metrics::{Counted, Metered, Refusal};
use super::{Shared, host_answer};
use imgpipe_names::{ErrorKind, HttpProblem, Problem};

/// Per-request host state: WASI with nothing granted (no files or network; no environment but
/// the operator's `Cache-Control`), HTTP without outgoing requests, and the memory limit.
pub struct State {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: NoOutgoing,
    limiter: Limiter,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for State {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// The served component has no business calling out; any attempt is denied.
struct NoOutgoing;

impl WasiHttpHooks for NoOutgoing {
    fn send_request(
        &mut self,
        _request: http::Request<WasiBody>,
        _options: Option<RequestOptions>,
        _fut: Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
    ) -> Box<
        dyn Future<
                Output = wasmtime_wasi_http::Result<(
                    http::Response<WasiBody>,
                    Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
                )>,
            > + Send,
    > {
        Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) })
    }
}

/// Caps each linear memory at the limit and remembers a refusal, so a trap that follows one
/// is reported as the memory limit rather than as a crash.
struct Limiter {
    memory_limit: usize,
    hit: Arc<AtomicBool>,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = desired <= self.memory_limit;
        if !allowed {
            self.hit.store(true, Ordering::Relaxed);
        }
        Ok(allowed)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1 << 20)
    }
}

/// The instance's WASI: stderr, and the one environment variable the gateway reads when the
/// operator chose a `Cache-Control`.
fn wasi(config: &super::ServerConfig) -> WasiCtx {
    let mut builder = WasiCtx::builder();
    builder.inherit_stderr();
    if let Some(value) = &config.cache_control {
        builder.env(imgpipe_gateway::cache::CACHE_CONTROL_ENV, value);
    }
    builder.build()
}

/// The component's answer, or the host's when the instance could not give one.
pub type Answer = hyper::Response<HyperOutgoingBody>;

/// Serves `request` with a fresh instance, within the slot `permit`. The instance lives in its
/// own task, which holds the slot until the instance is gone, and which ends at the time limit
/// whatever it is doing; the answer comes back as soon as its head is ready, and its body
/// streams from the task.
pub async fn serve(
    shared: Arc<Shared>,
    request: hyper::Request<Incoming>,
    permit: OwnedSemaphorePermit,
) -> Answer {
    let hit = Arc::new(AtomicBool::new(false));
    let state = State {
        wasi: wasi(&shared.config),
        http: WasiHttpCtx::new(),
        table: ResourceTable::new(),
        hooks: NoOutgoing,
        limiter: Limiter {
            memory_limit: shared.config.memory_limit,
            hit: hit.clone(),
        },
    };
    let mut store = Store::new(shared.pre.engine(), state);
    store.limiter(|s| &mut s.limiter);
    // Wasm yields to the async runtime at every epoch tick (10 ms): a long computation never
    // holds a worker thread (the accept loop, /metrics and other requests go on), and the
    // deadline below can stop it at its next tick.
    store.epoch_deadline_async_yield_and_update(1);
    store.set_epoch_deadline(1);

    let request = request.map(|body| Metered::counting(body, shared.metrics.clone()));
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let mut http = store.data_mut().http();
    let prepared = http
        .new_incoming_request(Scheme::Http, request)
        .and_then(|request| Ok((request, http.new_response_outparam(sender)?)));
    let (request, out) = match prepared {
        Ok(v) => v,
        // wasi:http needs a request it can represent (an authority among other things).
        Err(e) => return host_answer(HttpProblem::BadRequest, &format!("{e:#}")),
    };
    let pre: ProxyPre<State> = shared.pre.clone();
    shared.metrics.instances.fetch_add(1, Ordering::Relaxed);
    let deadline = tokio::time::Instant::now() + shared.config.time_limit;
    let in_flight = Counted::in_flight(&shared.metrics);
    let task = tokio::spawn(async move {
        let _slot = (permit, in_flight);
        tokio::time::timeout_at(deadline, async move {
            let proxy = pre.instantiate_async(&mut store).await?;
            proxy
                .wasi_http_incoming_handler()
                .call_handle(&mut store, request, out)
                .await
        })
        .await
    });
    // If the client goes before the head is ready, hyper drops this future: stop the instance.
    let abort = AbortOnDrop(Some(task.abort_handle()));

    let answer = match tokio::time::timeout_at(deadline, receiver).await {
        Ok(Ok(Ok(response))) => response,
        // The guest answered with an HTTP error code rather than a response.
        Ok(Ok(Err(code))) => trap_answer(&shared, Refusal::Trap, &format!("error code {code:?}")),
        // The guest dropped the response: it trapped, ran out of time, or returned without
        // answering.
        Ok(Err(_)) => match task.await {
            Ok(Err(_elapsed)) => trap_answer(&shared, Refusal::Timeout, ""),
            Ok(Ok(Ok(()))) => trap_answer(
                &shared,
                Refusal::Trap,
                "the component returned without answering",
            ),
            Ok(Ok(Err(e))) if hit.load(Ordering::Relaxed) => {
                trap_answer(&shared, Refusal::Memory, &format!("{e:#}"))
            }
            Ok(Ok(Err(e))) => trap_answer(&shared, Refusal::Trap, &format!("{e:#}")),
            Err(e) => trap_answer(&shared, Refusal::Trap, &format!("the instance's task: {e}")),
        },
        // The task ends at the same deadline.
        Err(_) => trap_answer(&shared, Refusal::Timeout, ""),
    };
    abort.disarm();
    answer
}

/// Aborts a task when dropped, unless disarmed.
struct AbortOnDrop(Option<tokio::task::AbortHandle>);

impl AbortOnDrop {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            handle.abort();
        }
    }
}

/// The host's JSON answer for a request whose instance failed, logged with its cause.
pub(super) fn trap_answer(shared: &Shared, why: Refusal, detail: &str) -> Answer {
    shared.metrics.refused(why);
    let config = &shared.config;
    let (problem, message): (Problem, String) = match why {
        Refusal::Timeout => (
            HttpProblem::Timeout.into(),
            format!(
                "processing took longer than {:?} and was stopped",
                config.time_limit
            ),
        ),
        Refusal::Memory => (
            ErrorKind::TooLarge.into(),
            format!(
                "processing needed more than {} MiB of memory and was stopped",
                config.memory_limit >> 20
            ),
        ),
        Refusal::Busy => (
            HttpProblem::Busy.into(),
            format!(
                "all {} request slots stayed busy for {:?}; try again",
                config.max_concurrency, config.queue_timeout
            ),
        ),
        Refusal::Trap => (
            HttpProblem::Internal.into(),
            "the component failed on this request; the server goes on with a fresh instance"
                .to_string(),
        ),
    };
    if !detail.is_empty() {
        eprintln!("imgpipe serve: {problem}: {detail}");
    }
    host_answer(problem, &message)
}

/// Bytes for a host-made answer body.
pub fn full_body(bytes: impl Into<Bytes>) -> HyperOutgoingBody {
    use http_body_util::BodyExt;
    http_body_util::Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed_unsync()
}

//! Counters for `GET /metrics` (Prometheus text format), kept by the host across all the
//! instances it creates, and the body wrapper that feeds them and writes the access log.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use imgpipe_names::HttpProblem;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Why a request got an answer from the host instead of the component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Refusal {
    /// Every slot was busy for longer than the queue wait.
    Busy,
    /// The instance ran past the time limit.
    Timeout,
    /// The instance needed more memory than the limit.
    Memory,
    /// The instance trapped for another reason, or never answered.
    Trap,
}

impl Refusal {
    /// The `reason` label: the answer's problem name where it has one of its own.
    pub fn name(self) -> &'static str {
        match self {
            Refusal::Busy => HttpProblem::Busy.as_str(),
            Refusal::Timeout => HttpProblem::Timeout.as_str(),
            Refusal::Memory => "memory",
            Refusal::Trap => "trap",
        }
    }
}

/// The server's counters.
#[derive(Default)]
pub struct Metrics {
    by_status: Mutex<BTreeMap<u16, u64>>,
    refusals: Mutex<BTreeMap<Refusal, u64>>,
    /// Cumulative counts per bucket of [`BUCKETS`]; the count and the sum are the next two.
    latency: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_us: AtomicU64,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    pub instances: AtomicU64,
    pub in_flight: AtomicU64,
    /// Requests waiting for a slot.
    pub waiting: AtomicU64,
    /// The cap on requests in flight (`--max-concurrency`).
    slots: AtomicU64,
}

impl Metrics {
    /// Counters at zero for a server of `slots` slots.
    pub fn with_slots(slots: u32) -> Metrics {
        Metrics {
            slots: u64::from(slots).into(),
            ..Metrics::default()
        }
    }

    /// Records a finished response.
    pub fn record(&self, status: u16, bytes: u64, started: Instant) {
        let seconds = started.elapsed().as_secs_f64();
        if let Ok(mut map) = self.by_status.lock() {
            *map.entry(status).or_default() += 1;
        }
        for (bound, count) in BUCKETS.iter().zip(&self.latency) {
            if seconds <= *bound {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_us
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
        self.bytes_out.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Records a request the host answered itself.
    pub fn refused(&self, why: Refusal) {
        if let Ok(mut map) = self.refusals.lock() {
            *map.entry(why).or_default() += 1;
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        };
        let _ = writeln!(
            out,
            "# HELP imgpipe_http_requests_total Requests answered, by status.\n# TYPE imgpipe_http_requests_total counter"
        );
        for (status, n) in self.by_status.lock().map(|m| m.clone()).unwrap_or_default() {
            let _ = writeln!(
                out,
                "imgpipe_http_requests_total{{status=\"{status}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP imgpipe_http_refusals_total Requests the host answered itself, by reason.\n# TYPE imgpipe_http_refusals_total counter"
        );
        for (why, n) in self.refusals.lock().map(|m| m.clone()).unwrap_or_default() {
            let _ = writeln!(
                out,
                "imgpipe_http_refusals_total{{reason=\"{}\"}} {n}",
                why.name()
            );
        }
        let _ = writeln!(
            out,
            "# HELP imgpipe_http_request_duration_seconds Time from request to the end of the response body.\n# TYPE imgpipe_http_request_duration_seconds histogram"
        );
        for (bound, count) in BUCKETS.iter().zip(&self.latency) {
            let _ = writeln!(
                out,
                "imgpipe_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                count.load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "imgpipe_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\nimgpipe_http_request_duration_seconds_sum {}\nimgpipe_http_request_duration_seconds_count {count}",
            self.latency_sum_us.load(Ordering::Relaxed) as f64 / 1e6
        );
        counter(
            &mut out,
            "imgpipe_http_request_bytes_total",
            "Request body bytes read.",
            self.bytes_in.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "imgpipe_http_response_bytes_total",
            "Response body bytes written.",
            self.bytes_out.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "imgpipe_instances_created_total",
            "Component instances created (one per request).",
            self.instances.load(Ordering::Relaxed),
        );
        let gauge = |out: &mut String, name: &str, help: &str, value: &AtomicU64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        };
        gauge(
            &mut out,
            "imgpipe_http_in_flight",
            "Requests being served now.",
            &self.in_flight,
        );
        gauge(
            &mut out,
            "imgpipe_http_waiting",
            "Requests waiting for a slot.",
            &self.waiting,
        );
        gauge(
            &mut out,
            "imgpipe_http_slots",
            "Requests served at once at most; more wait for a slot.",
            &self.slots,
        );
        out
    }
}

/// Adds one to a gauge for as long as it lives: a request in flight (held by the request's
/// instance task), or one waiting for a slot.
pub struct Counted(Arc<Metrics>, fn(&Metrics) -> &AtomicU64);

impl Counted {
    pub fn in_flight(metrics: &Arc<Metrics>) -> Counted {
        Counted::new(metrics, |m| &m.in_flight)
    }

    pub fn waiting(metrics: &Arc<Metrics>) -> Counted {
        Counted::new(metrics, |m| &m.waiting)
    }

    fn new(metrics: &Arc<Metrics>, gauge: fn(&Metrics) -> &AtomicU64) -> Counted {
        gauge(metrics).fetch_add(1, Ordering::Relaxed);
        Counted(metrics.clone(), gauge)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        (self.1)(&self.0).fetch_sub(1, Ordering::Relaxed);
    }
}

/// A body that counts the bytes passing through it and, when it ends or is dropped, hands the
/// total to `on_end` once (the access log and the metrics).
pub struct Metered<B> {
    inner: B,
    bytes: u64,
    /// Request bodies add to the server's `bytes_in` as they are read.
    counts_into: Option<Arc<Metrics>>,
    on_end: Option<Box<dyn FnOnce(u64) + Send>>,
}

impl<B> Metered<B> {
    /// Adds the bytes to `metrics.bytes_in` as they pass (request bodies).
    pub fn counting(inner: B, metrics: Arc<Metrics>) -> Self {
        Metered {
            inner,
            bytes: 0,
            counts_into: Some(metrics),
            on_end: None,
        }
    }

    /// Calls `on_end` with the byte count once the body ends or is dropped.
    pub fn finishing(inner: B, on_end: impl FnOnce(u64) + Send + 'static) -> Self {
        Metered {
            inner,
            bytes: 0,
            counts_into: None,
            on_end: Some(Box::new(on_end)),
        }
    }

    fn finish(&mut self) {
        if let Some(on_end) = self.on_end.take() {
            on_end(self.bytes);
        }
    }
}

impl<B> Drop for Metered<B> {
    fn drop(&mut self) {
        self.finish();
    }
}

impl<B: Body<Data = Bytes> + Unpin> Body for Metered<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                let n = frame.data_ref().map_or(0, |d| d.len() as u64);
                self.bytes += n;
                if let Some(metrics) = &self.counts_into {
                    metrics.bytes_in.fetch_add(n, Ordering::Relaxed);
                }
            }
            Poll::Ready(None) | Poll::Ready(Some(Err(_))) => self.finish(),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histogram() {
        let m = Metrics::default();
        m.record(200, 1000, Instant::now());
        m.record(413, 80, Instant::now());
        m.refused(Refusal::Busy);
        let text = m.render();
        assert!(text.contains("imgpipe_http_requests_total{status=\"200\"} 1"));
        assert!(text.contains("imgpipe_http_requests_total{status=\"413\"} 1"));
        assert!(text.contains("imgpipe_http_refusals_total{reason=\"busy\"} 1"));
        assert!(text.contains("imgpipe_http_request_duration_seconds_count 2"));
        assert!(text.contains("imgpipe_http_response_bytes_total 1080"));
        let waiting = Counted::waiting(&Arc::new(m));
        let text = waiting.0.render();
        assert!(text.contains("imgpipe_http_waiting 1"), "{text}");
        assert!(text.contains("imgpipe_http_in_flight 0"), "{text}");
        let metrics = waiting.0.clone();
        drop(waiting);
        assert!(metrics.render().contains("imgpipe_http_waiting 0"));
    }
}

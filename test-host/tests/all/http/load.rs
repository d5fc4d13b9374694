//! Load, bounded: each server (a fresh one of this test's own) takes 16 requests in flight for
//! 30 s or 10,000 requests, whichever comes first, cycling through valid and hostile inputs.
//! Every answer is checked against the embedded host's answer to the same input (the same
//! bytes, or the same error case with its status), no valid input may get a 5xx, the server's
//! RSS must level off after warm-up, and it must answer correctly afterwards.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::hostile::huge_png;
use crate::{fixture, processor};

const IN_FLIGHT: usize = 16;

/// One input of the mix and what the embedded host answers to it.
struct Case {
    name: &'static str,
    query: &'static str,
    body: Vec<u8>,
    expected: Result<Vec<u8>, imgpipe::names::ErrorKind>,
}

fn case(name: &'static str, body: Vec<u8>, query: &'static str) -> Case {
    let (options, format) = options_for(query);
    let expected = processor()
        .process(&body, &options, Some(format))
        .expect("no trap")
        .map(|p| p.image)
        .map_err(|e| imgpipe::error_kind(&e));
    Case {
        name,
        query,
        body,
        expected,
    }
}

fn mix() -> Vec<Case> {
    let small = fixture("sharp/320x240.jpg");
    vec![
        case("320x240 to JPEG", small.clone(), "w=100&q=80"),
        case(
            "Landscape_5 to PNG",
            fixture("sharp/Landscape_5.jpg"),
            "w=120&format=png",
        ),
        case(
            "WebP with alpha to WebP",
            fixture("sharp/5_webp_a.webp"),
            "w=80&format=webp",
        ),
        case(
            "16-bit grey+alpha PNG to lossless WebP",
            fixture("operations/grey-16bit-alpha.png"),
            "w=64&format=webp-lossless",
        ),
        case(
            "Portrait_3 to AVIF",
            fixture("sharp/Portrait_3.jpg"),
            "w=48&format=avif&q=40",
        ),
        case(
            "W1",
            fixture("sharp/2569067123_aca715a2ee_o.jpg"),
            "w=720&h=588&q=80",
        ),
        case("truncated JPEG", small[..small.len() / 2].to_vec(), "w=100"),
        case("text", b"not an image at all".to_vec(), "w=100"),
        case("empty", Vec::new(), "w=100"),
        case("10 GP PNG header", huge_png(), "w=100"),
        case("quality 0", small.clone(), "w=100&q=0"),
        case(
            "PngSuite xcrn0g04",
            fixture("pngsuite/xcrn0g04.png"),
            "w=100",
        ),
        case(
            "PngSuite xd9n2c08",
            fixture("pngsuite/xd9n2c08.png"),
            "w=100",
        ),
    ]
}

/// What one server did under load.
struct Report {
    requests: usize,
    wrong: Vec<String>,
    /// RSS in bytes, sampled every 250 ms.
    rss: Vec<u64>,
    seconds: f64,
}

/// Sends the cases round-robin, `IN_FLIGHT` at a time, until `max_requests` have been sent or
/// `seconds` have passed.
fn hammer(server: &Server, cases: &[Case], max_requests: usize, seconds: u64) -> Report {
    let next = AtomicUsize::new(0);
    // Answers received (`next` also counts the claim each thread makes when it stops).
    let answered = AtomicUsize::new(0);
    let wrong = Mutex::new(Vec::new());
    let rss_samples = Mutex::new(Vec::new());
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let done = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while done.load(Ordering::Relaxed) < IN_FLIGHT {
                rss_samples.lock().unwrap().push(rss(server));
                std::thread::sleep(Duration::from_millis(250));
            }
        });
        for _ in 0..IN_FLIGHT {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= max_requests || Instant::now() >= deadline {
                        break;
                    }
                    let case = &cases[n % cases.len()];
                    let reply = post(server, &format!("/process?{}", case.query), &[], &case.body);
                    answered.fetch_add(1, Ordering::Relaxed);
                    if let Some(problem) = check(case, &reply) {
                        wrong
                            .lock()
                            .unwrap()
                            .push(format!("{} #{n} {}: {problem}", server.name, case.name));
                    }
                }
                done.fetch_add(1, Ordering::Relaxed);
            });
        }
    });
    Report {
        requests: answered.load(Ordering::Relaxed),
        wrong: wrong.into_inner().unwrap(),
        rss: rss_samples.into_inner().unwrap(),
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// The answer is the embedded host's: the same bytes, or the same error case and its status.
fn check(case: &Case, reply: &Reply) -> Option<String> {
    match &case.expected {
        Ok(bytes) if reply.status != 200 => Some(format!(
            "status {} for a valid input: {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        )),
        Ok(bytes) => (reply.body != *bytes).then(|| "different bytes".to_string()),
        Err(kind) => {
            let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap_or_default();
            (reply.status != kind.status() || json["error"] != kind.as_str()).then(|| {
                format!(
                    "expected {} {kind}, got {} {json}",
                    kind.status(),
                    reply.status
                )
            })
        }
    }
}

#[test]
fn sixteen_in_flight_with_hostile_input_no_wrong_answer_and_steady_memory() {
    let cases = mix();
    assert!(cases.iter().filter(|c| c.expected.is_ok()).count() >= 6);
    let ours = Owned::ours(&[]);
    let upstream = Owned::wasmtime();
    for owned in [&ours, &upstream] {
        healthy(&owned.server);
    }
    let reports: Vec<(&Server, Report)> = std::thread::scope(|scope| {
        let handles: Vec<_> = [&ours, &upstream]
            .map(|owned| scope.spawn(|| (&owned.server, hammer(&owned.server, &cases, 10_000, 30))))
            .into_iter()
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (server, report) in &reports {
        assert_steady(server, report, &cases[0]);
    }
}

/// 10,000 requests of small valid and hostile inputs to the project's server: no wrong answer
/// and RSS level after warm-up (its memory over time; one reused instance is tested in
/// `memory.rs`).
#[test]
fn ten_thousand_requests_leave_the_server_rss_flat() {
    let light: Vec<Case> = mix()
        .into_iter()
        .filter(|c| !matches!(c.name, "W1" | "Portrait_3 to AVIF"))
        .collect();
    let ours = Owned::ours(&[]);
    healthy(&ours.server);
    let report = hammer(&ours.server, &light, 10_000, 120);
    assert_eq!(report.requests, 10_000, "did not finish in time");
    assert_steady(&ours.server, &report, &light[0]);
}

/// No wrong answers, RSS level after warm-up, and a correct answer afterwards.
fn assert_steady(server: &Server, report: &Report, probe: &Case) {
    let rss = &report.rss;
    // Skip the first quarter (warm-up: the pool's slots and caches fill), then compare the
    // two halves of the rest.
    let steady = &rss[rss.len() / 4..];
    let (first, second) = steady.split_at(steady.len() / 2);
    let (first_max, second_max) = (
        first.iter().max().copied().unwrap_or(0),
        second.iter().max().copied().unwrap_or(0),
    );
    eprintln!(
        "{}: {} requests in {:.1} s ({:.0}/s), {} wrong; RSS after warm-up {} MiB, last half max {} MiB",
        server.name,
        report.requests,
        report.seconds,
        report.requests as f64 / report.seconds,
        report.wrong.len(),
        first_max >> 20,
        second_max >> 20
    );
    assert!(
        report.requests >= 500,
        "{}: only {} requests",
        server.name,
        report.requests
    );
    assert!(
        report.wrong.is_empty(),
        "{}",
        report.wrong[..report.wrong.len().min(10)].join("\n")
    );
    assert!(
        second_max <= first_max + (24 << 20),
        "{}: RSS grew from {} to {} MiB",
        server.name,
        first_max >> 20,
        second_max >> 20
    );
    // And it goes on serving.
    let reply = post(
        server,
        &format!("/process?{}", probe.query),
        &[],
        &probe.body,
    );
    assert!(
        check(probe, &reply).is_none(),
        "{} after the load",
        server.name
    );
}

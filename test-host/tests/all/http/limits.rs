//! A body over the limit is refused with 413 as soon as the limit is passed, without the server
//! reading or buffering the rest, and the server's memory stays bounded.

use std::io::{Read, Write};
use std::net::TcpStream;

use super::*;

const BODY: usize = 70_000_000;

/// Sends a `BODY`-byte upload (declared with Content-Length, or chunked) over a raw socket
/// while reading the answer, as a client must when a server answers early; returns the status
/// line and body of the answer, and how many bytes went out before the server stopped taking
/// them.
fn upload(server: &Server, chunked: bool) -> (u16, String, usize) {
    let addr = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let length = if chunked {
        "Transfer-Encoding: chunked".to_string()
    } else {
        format!("Content-Length: {BODY}")
    };
    write!(
        stream,
        "POST /process HTTP/1.1\r\nHost: {addr}\r\n{length}\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .unwrap();
    let mut reader = stream.try_clone().unwrap();
    let answer = std::thread::spawn(move || {
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        // Read until the headers and the (small, JSON) body are in; the server may then close.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&answer);
            if text.contains("\r\n\r\n") && text.trim_end().ends_with('}') {
                break;
            }
        }
        String::from_utf8_lossy(&answer).into_owned()
    });
    let chunk = vec![0xA5u8; 64 << 10];
    let mut sent = 0;
    while sent < BODY {
        let n = chunk.len().min(BODY - sent);
        let wrote = if chunked {
            write!(stream, "{n:x}\r\n")
                .and_then(|()| stream.write_all(&chunk[..n]))
                .and_then(|()| stream.write_all(b"\r\n"))
        } else {
            stream.write_all(&chunk[..n])
        };
        if wrote.is_err() || answer.is_finished() {
            break;
        }
        sent += n;
    }
    if chunked && sent == BODY {
        let _ = stream.write_all(b"0\r\n\r\n");
    }
    let text = answer.join().unwrap();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer: {text:?}"));
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body, sent)
}

#[test]
fn a_70_mb_body_is_refused_with_413_and_memory_stays_bounded() {
    // Servers of this test's own, so no other test's requests move their RSS.
    for owned in [Owned::ours(&[]), Owned::wasmtime()] {
        let server = &owned.server;
        healthy(server);
        let before = rss(server);
        for chunked in [false, true] {
            let (status, body, sent) = upload(server, chunked);
            assert_eq!(status, 413, "{} chunked={chunked}: {body}", server.name);
            assert!(body.contains("\"too-large\""), "{body}");
            // The instance that read the body is dropped once it has answered; its memory goes
            // back to the pool, decommitted but for what the slot keeps resident for the next
            // instance (at most `KEEP_RESIDENT`).
            let given_back = before + (32 << 20) + imgpipe::server::KEEP_RESIDENT as u64;
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut after = rss(server);
            while after > given_back && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
                after = rss(server);
            }
            let peak = peak_rss(server);
            eprintln!(
                "{} chunked={chunked}: 413 after {} MB sent; RSS {} MiB before, {} MiB after, peak {} MiB",
                server.name,
                sent / 1_000_000,
                before >> 20,
                after >> 20,
                peak >> 20
            );
            // Declared too large: refused before the body is read.
            if !chunked {
                assert!(sent < BODY, "{}: the whole body was taken", server.name);
            }
            // Chunked: at most the 64 MiB the limit allows was buffered (peak), and given back.
            assert!(
                after < given_back,
                "{}: RSS stayed at {} MiB (from {} MiB)",
                server.name,
                after >> 20,
                before >> 20
            );
            assert!(
                peak < before + (256 << 20),
                "{}: peak RSS {} MiB",
                server.name,
                peak >> 20
            );
        }
        assert_eq!(
            get(server, "/health").status,
            200,
            "{} stopped serving",
            server.name
        );
    }
}

#[test]
fn over_the_memory_or_time_limit_is_json_and_the_server_goes_on() {
    // Small limits: 24 MiB per linear memory, half a second per request.
    let owned = Owned::ours(&["--memory-limit-mib", "24", "--time-limit-secs", "0.5"]);
    let server = &owned.server;
    healthy(server);
    let small = crate::fixture("sharp/320x240.jpg");
    assert_eq!(post(server, "/process?w=100", &[], &small).status, 200);

    // A 2048x1536 RGBA PNG needs about 32 MiB to decode and resize.
    let png = crate::fixture("sharp/alpha-premultiply-2048x1536-paper.png");
    let reply = post(server, "/process?w=720&format=png", &[], &png);
    assert_eq!(
        reply.status,
        413,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let json = reply.json();
    assert_eq!(json["error"], "too-large");
    assert!(
        json["message"].as_str().unwrap().contains("24 MiB"),
        "{json}"
    );
    assert_eq!(post(server, "/process?w=100", &[], &small).status, 200);

    // Encoding W1 to a 720-pixel AVIF takes seconds.
    let w1 = crate::fixture("sharp/2569067123_aca715a2ee_o.jpg");
    let started = Instant::now();
    let reply = post(server, "/process?w=720&format=avif", &[], &w1);
    assert_eq!(
        reply.status,
        503,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.json()["error"], "timeout");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped late: {:?}",
        started.elapsed()
    );

    // Both refusals are counted, and the server goes on.
    let metrics = String::from_utf8(get(server, "/metrics").body).unwrap();
    assert!(
        metrics.contains("imgpipe_http_refusals_total{reason=\"memory\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("imgpipe_http_refusals_total{reason=\"timeout\"} 1"),
        "{metrics}"
    );
    let reply = post(server, "/process?w=100", &[], &small);
    assert_eq!(reply.status, 200);
    assert_eq!(crate::decode(&reply.body).dimensions(), (100, 75));
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits() {
    let mut owned = Owned::ours(&[]);
    healthy(&owned.server);
    let w1 = crate::fixture("sharp/2569067123_aca715a2ee_o.jpg");
    let reply = std::thread::scope(|scope| {
        let server = owned.server.clone();
        let w1 = &w1;
        // An AVIF encode of W1 takes seconds: long enough to be in flight at the signal.
        let slow = scope.spawn(move || post(&server, "/process?w=720&format=avif&q=50", &[], w1));
        // Signal once the request is in flight (an AVIF encode of W1 takes seconds).
        let deadline = Instant::now() + Duration::from_secs(30);
        while !String::from_utf8(get(&owned.server, "/metrics").body)
            .unwrap()
            .contains("imgpipe_http_in_flight 1")
        {
            assert!(Instant::now() < deadline, "the request never started");
            std::thread::sleep(Duration::from_millis(20));
        }
        let status = owned.terminate();
        assert!(status.success(), "exit status {status}");
        slow.join().unwrap()
    });
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(crate::decode(&reply.body).dimensions(), (720, 588));
}

#[test]
fn a_client_that_trickles_its_headers_is_cut_off() {
    let owned = Owned::ours(&["--header-timeout-secs", "1"]);
    let server = &owned.server;
    healthy(server);
    let mut stream = TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let started = Instant::now();
    stream
        .write_all(b"POST /process HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // The rest of the headers never comes: the server must close the connection.
    let mut buf = [0u8; 256];
    let closed = matches!(stream.read(&mut buf), Ok(_) | Err(_));
    let waited = started.elapsed();
    assert!(
        closed && waited < Duration::from_secs(10),
        "held for {waited:?}"
    );
    assert!(
        waited >= Duration::from_millis(900),
        "closed after only {waited:?}"
    );
    assert_eq!(get(server, "/health").status, 200);
}

/// The value of one gauge or counter line of `GET /metrics`.
fn metric(server: &Server, name: &str) -> String {
    let text = String::from_utf8(get(server, "/metrics").body).unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {name} in\n{text}"))
        .to_string()
}

/// Polls `/metrics` until `name` reads `value` (for up to 30 s).
fn wait_for_metric(server: &Server, name: &str, value: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while metric(server, name) != value {
        assert!(Instant::now() < deadline, "{name} never reached {value}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn by_default_twice_the_cores_are_served_at_once() {
    let cores = std::thread::available_parallelism().unwrap().get();
    let server = &servers()[0];
    healthy(server);
    assert_eq!(
        metric(server, "imgpipe_http_slots"),
        (2 * cores).min(1000).to_string()
    );
}

#[test]
fn a_request_over_the_cap_waits_for_a_slot_first_come_first_served() {
    let owned = Owned::ours_logging(&["--max-concurrency", "1"]);
    let server = &owned.server;
    healthy(server);
    // The slot is given back when an instance is gone, a little after its answer.
    wait_for_metric(server, "imgpipe_http_in_flight", "0");
    assert_eq!(metric(server, "imgpipe_http_slots"), "1");
    let w1 = crate::fixture("sharp/2569067123_aca715a2ee_o.jpg");
    let small = crate::fixture("sharp/320x240.jpg");
    let (slow, quick) = std::thread::scope(|scope| {
        // An AVIF encode of W1 takes seconds: the one slot stays taken meanwhile.
        let slow = scope.spawn(|| post(server, "/process?w=720&format=avif&q=50", &[], &w1));
        wait_for_metric(server, "imgpipe_http_in_flight", "1");
        let quick = scope.spawn(|| post(server, "/process?w=100", &[], &small));
        wait_for_metric(server, "imgpipe_http_waiting", "1");
        assert_eq!(metric(server, "imgpipe_http_in_flight"), "1");
        (slow.join().unwrap(), quick.join().unwrap())
    });
    assert_eq!(slow.status, 200);
    assert_eq!(quick.status, 200);
    assert_eq!(crate::decode(&quick.body).dimensions(), (100, 75));
    // The order of the answers as the server sent them: its access log has a line for each,
    // written when the answer's last byte has gone. (Not the order in which this test's two
    // threads read them: on a loaded machine the first reader can be descheduled for longer
    // than the quick request takes.)
    assert!(
        owned.logged("/process?w=720&format=avif") < owned.logged("/process?w=100"),
        "the waiting request was served first"
    );
    assert_eq!(metric(server, "imgpipe_http_waiting"), "0");
}

#[test]
fn a_request_that_waits_past_the_queue_timeout_is_refused_busy() {
    let owned = Owned::ours(&["--max-concurrency", "1", "--queue-timeout-secs", "0"]);
    let server = &owned.server;
    healthy(server);
    wait_for_metric(server, "imgpipe_http_in_flight", "0");
    let w1 = crate::fixture("sharp/2569067123_aca715a2ee_o.jpg");
    let small = crate::fixture("sharp/320x240.jpg");
    let slow = std::thread::scope(|scope| {
        let slow = scope.spawn(|| post(server, "/process?w=720&format=avif&q=50", &[], &w1));
        wait_for_metric(server, "imgpipe_http_in_flight", "1");
        let reply = post(server, "/process?w=100", &[], &small);
        assert_eq!(
            reply.status,
            503,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        let json = reply.json();
        assert_eq!(json["error"], "busy");
        assert!(
            json["message"]
                .as_str()
                .unwrap()
                .contains("all 1 request slots"),
            "{json}"
        );
        slow.join().unwrap()
    });
    assert_eq!(slow.status, 200);
    assert_eq!(
        metric(server, "imgpipe_http_refusals_total{reason=\"busy\"}"),
        "1"
    );
    // The slot is free again once the instance is gone.
    wait_for_metric(server, "imgpipe_http_in_flight", "0");
    assert_eq!(post(server, "/process?w=100", &[], &small).status, 200);
}

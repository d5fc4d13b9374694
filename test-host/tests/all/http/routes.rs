//! Every route and output format through both servers, the JSON contract, `format=auto`, and
//! the same bytes from both servers and from the embedded host.

use super::*;
use crate::{decode, fixture, process_ok};
use imgpipe::wit::OutputFormat;

const W1: &str = "sharp/2569067123_aca715a2ee_o.jpg";

#[test]
fn etags_answer_repeated_requests_with_304_before_processing() {
    let input = fixture(W1);
    for server in servers() {
        let path = "/process?w=320&format=webp&g=attention&fit=cover&h=200";
        let first = post(server, path, &[], &input);
        assert_eq!(first.status, 200, "{}", server.name);
        let etag = first.header("etag").expect("an ETag").to_string();
        assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");
        assert_eq!(
            first.header("cache-control"),
            Some(imgpipe_gateway::cache::DEFAULT_CACHE_CONTROL)
        );
        // The same request again: the same tag; with it in If-None-Match, 304, no body and no
        // processing (no Server-Timing: the processor was never called).
        assert_eq!(
            post(server, path, &[], &input).header("etag"),
            Some(etag.as_str())
        );
        let again = post(server, path, &[("if-none-match", &etag)], &input);
        assert_eq!(again.status, 304, "{}", server.name);
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        assert!(again.header("server-timing").is_none());
        // Another option, or another image, is another tag: processed again.
        let other = post(
            server,
            "/process?w=321&format=webp",
            &[("if-none-match", &etag)],
            &input,
        );
        assert_eq!(other.status, 200);
        assert_ne!(other.header("etag"), Some(etag.as_str()));
    }
    // The operator chooses Cache-Control.
    let mut own = Owned::ours(&["--cache-control", "private, max-age=60"]);
    let reply = post(&own.server, "/process?w=100", &[], &input);
    assert_eq!(reply.header("cache-control"), Some("private, max-age=60"));
    assert!(own.terminate().success());
}

#[test]
fn operations_from_the_query_and_json() {
    let input = fixture("operations/scene.png");
    for server in servers() {
        let reply = post(
            server,
            "/process?format=png&extract=10,10,100,50&rotate=90&extend=1&blur=1&sharpen=1",
            &[],
            &input,
        );
        assert_eq!(reply.status, 200, "{}", server.name);
        assert_eq!(reply.dimensions(), (52, 102));
        let body = serde_json::json!({
            "image": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &input),
            "format": "png",
            "extract": {"left": 10, "top": 10, "width": 100, "height": 50},
            "extend": [1, 1, 1, 1],
            "rotate": 90,
        });
        let reply = post(
            server,
            "/process",
            &[("content-type", "application/json")],
            body.to_string().as_bytes(),
        );
        assert_eq!(reply.status, 200, "{}", server.name);
        assert_eq!(
            (
                reply.json()["width"].clone(),
                reply.json()["height"].clone()
            ),
            (52.into(), 102.into())
        );
        let refused = post(server, "/process?blur=-2", &[], &input);
        assert_eq!(refused.status, 400);
        assert_eq!(refused.json()["option"], "blur");

        // An overlay in the query (base64, percent-encoded) and in JSON (an object), and a
        // placeholder in a header and in the JSON answer: the same as the embedded host's.
        let logo = fixture("operations/logo.png");
        let b64 = base64::engine::general_purpose::STANDARD;
        let options = imgpipe::wit::Options {
            overlay: Some(imgpipe::wit::Overlay {
                image: logo.clone(),
                gravity: Some(imgpipe::wit::Gravity::SouthEast),
                x: Some(10),
                y: Some(5),
                opacity: Some(0.6),
                scale: None,
                tile: None,
            }),
            placeholder: Some(imgpipe::wit::Placeholder::Blurhash),
            ..Default::default()
        };
        let expected = process_ok(&input, &options, OutputFormat::Png);
        let encoded = base64::Engine::encode(&b64, &logo)
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        let reply = post(
            server,
            &format!("/process?format=png&placeholder=blurhash&overlay={encoded},soea,10,5,0.6"),
            &[],
            &input,
        );
        assert_eq!(reply.status, 200, "{}", server.name);
        assert_eq!(reply.body, expected.image, "{}", server.name);
        assert_eq!(reply.header("placeholder"), expected.placeholder.as_deref());
        let body = serde_json::json!({
            "image": base64::Engine::encode(&b64, &input),
            "format": "png",
            "placeholder": "blurhash",
            "overlay": {"image": base64::Engine::encode(&b64, &logo), "gravity": "south-east",
                "x": 10, "y": 5, "opacity": 0.6},
        });
        let reply = post(
            server,
            "/process",
            &[("content-type", "application/json")],
            body.to_string().as_bytes(),
        );
        assert_eq!(reply.status, 200, "{}", server.name);
        let json = reply.json();
        assert_eq!(
            json["placeholder"].as_str(),
            expected.placeholder.as_deref()
        );
        let image = base64::Engine::decode(&b64, json["image"].as_str().unwrap()).unwrap();
        assert_eq!(image, expected.image, "{}", server.name);
    }
}

#[test]
fn health_page_stats_and_unknown_routes() {
    for server in servers() {
        healthy(server);
        let health = get(server, "/health");
        assert_eq!(health.status, 200, "{}", server.name);
        assert_eq!(health.json()["status"], "ok");

        let page = get(server, "/");
        assert_eq!(page.status, 200);
        assert!(
            page.header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        let html = String::from_utf8(page.body).unwrap();
        assert!(html.contains("<form") && html.contains("type=\"file\""));
        // No external assets: everything the page needs is in it.
        assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));

        // Every format, fit and filter the processor has is on the page's menus.
        for value in imgpipe::names::OutputFormat::ALL
            .iter()
            .map(|v| v.as_str())
            .chain(imgpipe::names::Fit::ALL.iter().map(|v| v.as_str()))
            .chain(imgpipe::names::Filter::ALL.iter().map(|v| v.as_str()))
            .chain(imgpipe::names::ColorProfile::ALL.iter().map(|v| v.as_str()))
            .chain(imgpipe::names::Gravity::ALL.iter().map(|v| v.as_str()))
        {
            assert!(
                html.contains(&format!("<option value=\"{value}\">")),
                "{}: the page lacks {value}",
                server.name
            );
        }

        // A fresh instance per request has no counters worth showing: /stats points to /metrics.
        let stats = get(server, "/stats");
        assert_eq!(stats.status, 404, "{}", server.name);
        assert!(
            stats.json()["message"]
                .as_str()
                .unwrap()
                .contains("/metrics")
        );

        let missing = get(server, "/nowhere");
        assert_eq!(missing.status, 404);
        assert_eq!(missing.json()["error"], "not-found");
        let wrong = call(server, "DELETE", "/process");
        assert_eq!(wrong.status, 405);
        assert_eq!(wrong.json()["error"], "method-not-allowed");
    }
}

#[test]
fn metrics_count_requests_on_our_server() {
    let ours = &servers()[0];
    healthy(ours);
    let counter = |text: &str, name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or(0)
    };
    let before = String::from_utf8(get(ours, "/metrics").body).unwrap();
    assert_eq!(post(ours, "/process?w=64", &[], &fixture(W1)).status, 200);
    let metrics = get(ours, "/metrics");
    assert_eq!(metrics.status, 200);
    let after = String::from_utf8(metrics.body).unwrap();
    assert!(after.contains("# TYPE imgpipe_http_requests_total counter"));
    assert!(after.contains("imgpipe_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
    // Other tests use this server too: the counters can only have grown, by at least ours.
    for name in [
        "imgpipe_http_requests_total{status=\"200\"}",
        "imgpipe_instances_created_total",
        "imgpipe_http_request_duration_seconds_count",
    ] {
        assert!(counter(&after, name) > counter(&before, name), "{name}");
    }
    assert!(
        counter(&after, "imgpipe_http_request_bytes_total")
            >= counter(&before, "imgpipe_http_request_bytes_total") + fixture(W1).len() as u64
    );
}

#[test]
fn every_output_format_with_its_headers() {
    let input = fixture(W1);
    for server in servers() {
        healthy(server);
        for (format, mime) in [
            ("jpeg", "image/jpeg"),
            ("png", "image/png"),
            ("webp", "image/webp"),
            ("webp-lossless", "image/webp"),
            ("avif", "image/avif"),
            ("gif", "image/gif"),
        ] {
            let reply = post(
                server,
                &format!("/process?w=320&h=320&q=70&format={format}"),
                &[],
                &input,
            );
            assert_eq!(
                reply.status,
                200,
                "{} {format}: {}",
                server.name,
                String::from_utf8_lossy(&reply.body)
            );
            assert_eq!(reply.header("content-type"), Some(mime));
            assert_eq!(reply.dimensions(), (320, 261), "{format}");
            let timing = reply.header("server-timing").unwrap();
            assert!(timing.starts_with("process;dur="), "{timing}");
            let image = decode(&reply.body);
            assert_eq!(image.dimensions(), (320, 261), "{} {format}", server.name);
        }
    }
}

/// AVIF, HEIC and JPEG XL uploads, as phones and browsers send them, through both servers.
#[test]
fn every_new_input_format_through_both_servers() {
    for server in servers() {
        for name in [
            "formats/photo.avif",
            "formats/photo.heic",
            "formats/photo.jxl",
        ] {
            let reply = post(server, "/process?w=160&format=webp", &[], &fixture(name));
            assert_eq!(reply.status, 200, "{} {name}", server.name);
            assert_eq!(reply.header("content-type"), Some("image/webp"));
            assert_eq!(decode(&reply.body).dimensions(), (160, 120), "{name}");
        }
    }
}

#[test]
fn json_contract_round_trips_base64() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let input = fixture("sharp/Landscape_6.jpg");
    let body = serde_json::json!({ "image": b64.encode(&input), "w": 200, "h": 200, "q": 75, "format": "png" });
    for server in servers() {
        let reply = post(
            server,
            "/process",
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        );
        assert_eq!(reply.status, 200, "{}", server.name);
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("application/json")
        );
        let json = reply.json();
        let image = b64.decode(json["image"].as_str().unwrap()).unwrap();
        assert_eq!(json["bytes"], image.len());
        assert_eq!(json["format"], "png");
        // Landscape_6 is stored 450x600 with EXIF orientation 6: upright it is 600x450.
        assert_eq!(
            (json["width"].as_u64(), json["height"].as_u64()),
            (Some(200), Some(150))
        );
        assert_eq!(decode(&image).dimensions(), (200, 150));
    }
}

#[test]
fn format_auto_follows_accept() {
    let input = fixture(W1);
    let chrome = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
    for server in servers() {
        for (accept, mime) in [
            (Some(chrome), "image/avif"),
            (Some("image/webp,*/*;q=0.8"), "image/webp"),
            (Some("image/avif;q=0,image/webp"), "image/webp"),
            (Some("image/png,image/*"), "image/jpeg"),
            (None, "image/jpeg"),
        ] {
            let headers: Vec<(&str, &str)> = accept.iter().map(|a| ("Accept", *a)).collect();
            let reply = post(server, "/process?w=96&format=auto", &headers, &input);
            assert_eq!(reply.status, 200);
            assert_eq!(
                reply.header("content-type"),
                Some(mime),
                "{} Accept {accept:?}",
                server.name
            );
            assert_eq!(reply.header("vary"), Some("Accept"));
        }
        // AVIF carries a colour profile too: a request for one still gets AVIF.
        let reply = post(
            server,
            "/process?w=96&format=auto&icc=p3",
            &[("Accept", chrome)],
            &input,
        );
        assert_eq!(reply.status, 200, "{}", server.name);
        assert_eq!(reply.header("content-type"), Some("image/avif"));
        // An animation stays animated: WebP where accepted, else GIF; unless asked not to.
        let gif = fixture("sharp/animated-loop-3.gif");
        for (accept, query, mime) in [
            (chrome, "", "image/webp"),
            ("image/avif,image/png", "", "image/gif"),
            (chrome, "&anim=false", "image/avif"),
        ] {
            let path = format!("/process?w=96&format=auto{query}");
            let reply = post(server, &path, &[("Accept", accept)], &gif);
            assert_eq!(reply.status, 200, "{}", server.name);
            assert_eq!(reply.header("content-type"), Some(mime), "{accept} {query}");
        }
        // Without auto the answer does not depend on Accept.
        let reply = post(server, "/process?w=96", &[("Accept", chrome)], &input);
        assert_eq!(reply.header("content-type"), Some("image/jpeg"));
        assert_eq!(reply.header("vary"), None);
    }
}

#[test]
fn both_servers_and_the_embedded_host_give_the_same_bytes() {
    let (ours, upstream) = (&servers()[0], &servers()[1]);
    for (name, query, format) in [
        (W1, "w=720&h=588&q=80", OutputFormat::Jpeg),
        (W1, "w=300&format=webp&q=80", OutputFormat::Webp),
        (
            "sharp/alpha-premultiply-2048x1536-paper.png",
            "w=300&format=png",
            OutputFormat::Png,
        ),
        (
            "sharp/Landscape_3.jpg",
            "w=200&format=avif&q=50",
            OutputFormat::Avif,
        ),
    ] {
        let input = fixture(name);
        let a = post(ours, &format!("/process?{query}"), &[], &input);
        let b = post(upstream, &format!("/process?{query}"), &[], &input);
        assert_eq!(a.status, 200, "{name} {query}");
        assert!(a.body == b.body, "{name} {query}: the servers differ");
        let (options, _) = options_for(query);
        let embedded = process_ok(&input, &options, format);
        assert!(
            embedded.image == a.body,
            "{name} {query}: the server differs from the embedded host"
        );
    }
}

#[test]
fn sixteen_requests_in_flight_all_answered_right() {
    let input = fixture(W1);
    for server in servers() {
        healthy(server);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..16u32)
                .map(|i| {
                    let input = &input;
                    scope.spawn(move || {
                        let width = 100 + i * 20;
                        let reply = post(server, &format!("/process?w={width}&q=80"), &[], input);
                        (width, reply)
                    })
                })
                .collect();
            for handle in handles {
                let (width, reply) = handle.join().unwrap();
                assert_eq!(reply.status, 200, "{} w={width}", server.name);
                let height = (2225.0 * width as f64 / 2725.0).round() as u32;
                assert_eq!(reply.dimensions(), (width, height));
                assert_eq!(
                    decode(&reply.body).dimensions(),
                    (width, height),
                    "{}",
                    server.name
                );
            }
        });
    }
}

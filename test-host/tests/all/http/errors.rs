//! Every error status with its JSON body, from both servers: bad input is a 4xx, never a 500.

use super::*;
use crate::fixture;
use crate::hostile::huge_png;

/// A request that must fail, and how.
struct Case {
    what: &'static str,
    path: &'static str,
    json: bool,
    body: Vec<u8>,
    status: u16,
    kind: &'static str,
}

fn case(
    what: &'static str,
    path: &'static str,
    body: &[u8],
    status: u16,
    kind: &'static str,
) -> Case {
    Case {
        what,
        path,
        json: false,
        body: body.to_vec(),
        status,
        kind,
    }
}

fn json_case(what: &'static str, body: &[u8], status: u16, kind: &'static str) -> Case {
    Case {
        json: true,
        ..case(what, "/process", body, status, kind)
    }
}

#[test]
fn every_error_status_with_its_json() {
    let jpeg = fixture("sharp/320x240.jpg");
    let truncated = &jpeg[..jpeg.len() / 2];
    // 20000x1: JPEG stores it, WebP (16,383 a side) does not.
    let over_wide = crate::encode_native(
        &image::DynamicImage::ImageRgb8(image::RgbImage::new(20_000, 1)),
        image::ImageFormat::Png,
    );
    let cases = [
        case("quality 0", "/process?q=0", &jpeg, 400, "invalid-option"),
        case(
            "quality over 255",
            "/process?q=300",
            &jpeg,
            400,
            "invalid-option",
        ),
        case(
            "width not a number",
            "/process?w=wide",
            &jpeg,
            400,
            "invalid-option",
        ),
        case(
            "unknown option",
            "/process?zoom=2",
            &jpeg,
            400,
            "invalid-option",
        ),
        case(
            "cover without height",
            "/process?w=10&fit=cover",
            &jpeg,
            400,
            "invalid-option",
        ),
        case("empty body", "/process", &[], 400, "empty-input"),
        json_case("not JSON", b"{image:", 400, "bad-json"),
        json_case("no image field", br#"{"w":10}"#, 400, "bad-json"),
        json_case("bad base64", br#"{"image":"%%%"}"#, 400, "bad-base64"),
        case(
            "not an image",
            "/process",
            b"hello, world",
            415,
            "unsupported-format",
        ),
        case(
            "truncated JPEG",
            "/process",
            truncated,
            422,
            "decode-failed",
        ),
        case("10 GP header", "/process", &huge_png(), 413, "too-large"),
        case(
            "wider than WebP stores",
            "/process?format=webp",
            &over_wide,
            413,
            "too-large",
        ),
    ];
    for server in servers() {
        healthy(server);
        for c in &cases {
            let headers: &[(&str, &str)] = if c.json {
                &[("Content-Type", "application/json")]
            } else {
                &[]
            };
            let reply = post(server, c.path, headers, &c.body);
            let what = c.what;
            assert_eq!(
                reply.status,
                c.status,
                "{}: {what}: {}",
                server.name,
                String::from_utf8_lossy(&reply.body)
            );
            assert_eq!(reply.header("content-type"), Some("application/json"));
            let json = reply.json();
            assert_eq!(json["error"], c.kind, "{}: {what}", server.name);
            // Options are named by their WIT name, whichever alias the query used.
            if c.path.contains("q=") {
                assert_eq!(json["option"], "quality", "{}: {what}", server.name);
            }
            assert!(
                json["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{what}"
            );
        }
        // And it keeps serving.
        assert_eq!(post(server, "/process?w=32", &[], &jpeg).status, 200);
    }
}

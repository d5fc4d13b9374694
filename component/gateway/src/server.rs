//! The `wasi:http` handler: routing, request bodies read up to a limit, and the answers.

use std::time::Instant;

use wasip2::http::types::{IncomingRequest, ResponseOutparam};
use wstd::http::server::Responder;
use wstd::http::{Body, BodyExt, Method, Request, Response};

use imgpipe_names::{ChromaSubsampling, ColorProfile, ErrorKind, HttpProblem, OutputFormat};

use crate::accept::{negotiate, negotiate_animated};
use crate::params::{Format, Params};
use crate::reply::Failure;
use crate::{MAX_BODY_BYTES, MAX_JSON_BYTES};
use crate::{cache, contract};

use bindings::imgpipe::image::processor;
use bindings::imgpipe::image::types as wit;

mod bindings {
    wit_bindgen::generate!({
        path: "../../wit",
        world: "gateway",
    });
}

/// The upload page, with its styles and script inline: it needs nothing but this component.
const PAGE: &str = include_str!("page.html");

/// The `wasi:http/incoming-handler` export. This is what `#[wstd::http_server]` generates, less
/// one thing: a client that disconnects while the answer is being written is an everyday event,
/// not a panic (the macro unwraps that error, trapping the instance).
struct Gateway;

impl wasip2::exports::http::incoming_handler::Guest for Gateway {
    fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
        let responder = Responder::new(response_out);
        wstd::runtime::block_on(async move {
            match wstd::http::request::try_from_incoming(request) {
                Ok(request) => {
                    let response = route(request)
                        .await
                        .unwrap_or_else(|f| failure_response(&f));
                    // If the client has gone there is no one left to tell.
                    let _ = responder.respond(response).await;
                }
                // A request wasi:http delivered but the http crate cannot represent (an odd
                // Host or Content-Length): the client's mistake, so a 400.
                Err(e) => {
                    let failure =
                        Failure::new(HttpProblem::BadRequest, format!("unreadable request: {e}"));
                    let _ = responder.respond(failure_response(&failure)).await;
                }
            }
        })
    }
}

wasip2::http::proxy::export!(Gateway with_types_in wasip2);

async fn route(request: Request<Body>) -> Result<Response<Body>, Failure> {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    match (path.as_str(), method) {
        ("/process", Method::POST) => process(request).await,
        ("/", Method::GET) => Ok(respond(200, "text/html; charset=utf-8", page(), &[])),
        ("/health", Method::GET) => Ok(json(br#"{"status":"ok"}"#.to_vec(), &[])),
        // Each request has a fresh instance, whose counters would always read zero.
        ("/stats", _) => Err(Failure::new(
            HttpProblem::NotFound,
            "no /stats: every request gets a fresh instance, so there are no counters to show \
             here; `imgpipe serve` counts all requests on GET /metrics",
        )),
        ("/process" | "/" | "/health", method) => Err(Failure {
            allow: Some(if path == "/process" { "POST" } else { "GET" }),
            ..Failure::new(
                HttpProblem::MethodNotAllowed,
                format!("{method} is not allowed on {path}: POST /process, GET / /health"),
            )
        }),
        (path, _) => Err(Failure::new(
            HttpProblem::NotFound,
            format!("no route {path}: POST /process, GET / /health"),
        )),
    }
}

/// `POST /process`: the raw image, or the JSON contract when the body says it is JSON.
async fn process(request: Request<Body>) -> Result<Response<Body>, Failure> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let is_json = header("content-type").is_some_and(|t| {
        t.trim_start()
            .to_ascii_lowercase()
            .starts_with("application/json")
    });
    let accept = header("accept");
    let if_none_match = header("if-none-match");
    let params = Params::from_query(request.uri().query())
        .map_err(|e| Failure::invalid_option(&e.name, e.message));
    let limit = if is_json {
        MAX_JSON_BYTES
    } else {
        MAX_BODY_BYTES
    };
    // The body is read (within the same limit) even when the query is already refused: a
    // server that answers and closes while the client is still sending may have the
    // connection reset under its answer, and the client would never see the 400.
    let body = read_body(request.into_body(), limit).await?;
    let params = params?;
    let (image, params) = if is_json {
        contract::parse(&body, params)?
    } else {
        (body, params)
    };

    let auto = params.format == Some(Format::Auto);
    let format = match params.format.unwrap_or(Format::Fixed(OutputFormat::Jpeg)) {
        // Only a header read: does the input animate, and is it to stay animated?
        Format::Auto
            if params.options.animated != Some(false)
                && processor::inspect(&image).is_ok_and(|info| info.frames > 1) =>
        {
            negotiate_animated(accept.as_deref())
        }
        Format::Auto => negotiate(accept.as_deref()),
        Format::Fixed(chosen) => chosen,
    };
    let etag = cache::etag(&image, &params, format, is_json);
    let cache_control = cache::cache_control();
    let mut headers = vec![
        ("etag", etag.as_str()),
        ("cache-control", cache_control.as_str()),
    ];
    if auto {
        headers.push(("vary", "Accept"));
    }
    if if_none_match.is_some_and(|tags| cache::matches(&tags, &etag)) {
        // The client holds these very bytes: nothing is processed.
        return Ok(respond(304, "", Vec::new(), &headers));
    }
    let started = Instant::now();
    let result = processor::process_with_format(&image, &options(&params), format.into());
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let out = result.map_err(failure)?;

    let timing = format!("process;dur={millis:.2}");
    let (width, height) = (out.width.to_string(), out.height.to_string());
    headers.extend([
        ("server-timing", timing.as_str()),
        ("x-image-width", width.as_str()),
        ("x-image-height", height.as_str()),
    ]);
    if let Some(placeholder) = &out.placeholder {
        headers.push(("placeholder", placeholder.as_str()));
    }
    if is_json {
        let format = OutputFormat::from(out.format).as_str();
        let answer = contract::Answer {
            placeholder: out.placeholder.clone(),
            ..contract::Answer::new(&out.image, out.width, out.height, format)
        };
        let body = serde_json::to_vec(&answer).map_err(|e| {
            Failure::new(HttpProblem::Internal, format!("write the JSON answer: {e}"))
        })?;
        Ok(json(body, &headers))
    } else {
        Ok(respond(200, &out.mime_type, out.image, &headers))
    }
}

/// Reads the body up to `limit` bytes. A declared length over the limit is refused before a
/// byte is read; an undeclared (chunked) one as soon as it passes the limit. The rest is never
/// read: dropping the body tells the host to discard it.
async fn read_body(body: Body, limit: u64) -> Result<Vec<u8>, Failure> {
    let declared = body.content_length();
    if let Some(n) = declared.filter(|&n| n > limit) {
        return Err(Failure::body_too_large(limit, Some(n)));
    }
    let capacity = declared.unwrap_or(0).min(limit);
    let mut buffer = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    let mut body = body.into_boxed_body();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            Failure::new(
                HttpProblem::BadBody,
                format!("reading the request body failed: {e}"),
            )
        })?;
        if let Ok(data) = frame.into_data() {
            if (buffer.len() + data.len()) as u64 > limit {
                return Err(Failure::body_too_large(limit, None));
            }
            buffer.extend_from_slice(&data);
        }
    }
    Ok(buffer)
}

/// A failure as its JSON answer (with `Allow` for a 405).
fn failure_response(failure: &Failure) -> Response<Body> {
    let allow: Vec<(&'static str, &str)> = failure.allow.iter().map(|a| ("allow", *a)).collect();
    respond(
        failure.status(),
        "application/json",
        failure.to_json(),
        &allow,
    )
}

fn json(body: Vec<u8>, headers: &[(&'static str, &str)]) -> Response<Body> {
    respond(200, "application/json", body, headers)
}

fn respond(
    status: u16,
    content_type: &str,
    body: impl Into<Body>,
    headers: &[(&'static str, &str)],
) -> Response<Body> {
    let mut response = Response::new(body.into());
    *response.status_mut() =
        wstd::http::StatusCode::from_u16(status).unwrap_or(wstd::http::StatusCode::OK);
    let map = response.headers_mut();
    // A 304 has no body, so no type.
    let content_type = (!content_type.is_empty()).then_some(("content-type", content_type));
    for (name, value) in content_type.iter().chain(headers) {
        if let Ok(value) = wstd::http::HeaderValue::from_str(value) {
            map.insert(*name, value);
        }
    }
    response
}

/// The processor's error as an HTTP failure: the same kind names as the WIT cases.
fn failure(error: wit::Error) -> Failure {
    match error {
        wit::Error::EmptyInput(m) => Failure::new(ErrorKind::EmptyInput, m),
        wit::Error::UnsupportedFormat(m) => Failure::new(ErrorKind::UnsupportedFormat, m),
        wit::Error::DecodeFailed(m) => Failure::new(ErrorKind::DecodeFailed, m),
        wit::Error::TooLarge(t) => Failure {
            limit: Some(t.limit),
            ..Failure::new(ErrorKind::TooLarge, t.message)
        },
        wit::Error::InvalidOption(o) => Failure::invalid_option(&o.name, o.message),
        wit::Error::EncodeFailed(m) => Failure::new(ErrorKind::EncodeFailed, m),
    }
}

imgpipe_names::mirror_wit_types!(wit);

fn options(p: &Params) -> wit::Options {
    // The processor's defaults (64 MiB, 100 MP) are the service's limits too: `Params` refuses
    // them from a request, and they are never set here.
    p.options.clone().into()
}

/// The upload page, its menus filled with every format, fit, filter and colour-profile mode
/// the processor has.
fn page() -> String {
    use imgpipe_names::{Filter, Fit, Name};
    // `first` leads the menu: "" is the processor's default (no query parameter sent).
    fn options<T: Name>(first: Option<&str>) -> String {
        first
            .into_iter()
            .chain(T::ALL.iter().map(|v| v.as_str()))
            .map(|name| {
                let label = if name.is_empty() { "default" } else { name };
                format!("<option value=\"{name}\">{label}</option>")
            })
            .collect()
    }
    PAGE.replace(
        "<!--formats-->",
        &options::<OutputFormat>(Some(crate::params::AUTO)),
    )
    .replace("<!--fits-->", &options::<Fit>(None))
    .replace("<!--filters-->", &options::<Filter>(None))
    .replace("<!--color-profiles-->", &options::<ColorProfile>(None))
    .replace(
        "<!--chroma-subsamplings-->",
        &options::<ChromaSubsampling>(Some("")),
    )
    .replace("<!--gravities-->", &options::<imgpipe_names::Gravity>(None))
    .replace(
        "<!--placeholders-->",
        &options::<imgpipe_names::Placeholder>(Some("")),
    )
}

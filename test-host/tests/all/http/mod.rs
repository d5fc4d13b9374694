//! The HTTP service, run as users run it: the project's server (`imgpipe serve`) and upstream
//! `wasmtime serve -Scli`, each a child process on a free loopback port serving the same
//! composed component, asked the same things.

mod errors;
mod limits;
mod load;
mod page;
mod routes;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A running server.
#[derive(Clone)]
pub struct Server {
    /// "imgpipe serve" or "wasmtime serve", for messages.
    pub name: &'static str,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub pid: u32,
}

/// Both servers, started once for the whole test binary. They run under
/// `setpriv --pdeathsig KILL` from a thread that never ends, so they die with the tests and
/// never outlive a run.
pub fn servers() -> &'static [Server] {
    static SERVERS: OnceLock<Vec<Server>> = OnceLock::new();
    SERVERS.get_or_init(|| {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let ours = start_ours(&["--quiet"]);
            let upstream = start_wasmtime();
            let mut children = Vec::new();
            let mut servers = Vec::new();
            for (server, child, _) in [ours, upstream] {
                servers.push(server);
                children.push(child);
            }
            tx.send(servers).unwrap();
            // Keep this thread (the children's parent for PDEATHSIG) alive until the process ends.
            loop {
                std::thread::park();
            }
        });
        rx.recv_timeout(Duration::from_secs(600))
            .expect("start the servers")
    })
}

/// A server of one test's own, stopped when dropped.
pub struct Owned {
    pub server: Server,
    child: Child,
    /// What it printed after its address (the access log, where it keeps one).
    output: Output,
}

/// A server's lines after the one that gave its address, as they come.
type Output = Arc<Mutex<Vec<String>>>;

impl Owned {
    /// The project's server with extra `serve` flags.
    pub fn ours(flags: &[&str]) -> Owned {
        let mut quiet = vec!["--quiet"];
        quiet.extend(flags);
        Owned::ours_logging(&quiet)
    }

    /// The project's server with extra `serve` flags and its access log, one line per
    /// request as its answer has been sent ([`Owned::logged`]).
    pub fn ours_logging(flags: &[&str]) -> Owned {
        let (server, child, output) = start_ours(flags);
        Owned {
            server,
            child,
            output,
        }
    }

    /// Upstream `wasmtime serve`.
    pub fn wasmtime() -> Owned {
        let (server, child, output) = start_wasmtime();
        Owned {
            server,
            child,
            output,
        }
    }

    /// The position among the server's lines of the first that contains `needle`, waiting up
    /// to 30 s for it.
    pub fn logged(&self, needle: &str) -> usize {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let lines = self.output.lock().unwrap();
            if let Some(at) = lines.iter().position(|line| line.contains(needle)) {
                return at;
            }
            assert!(
                Instant::now() < deadline,
                "no line with {needle:?} in\n{}",
                lines.join("\n")
            );
            drop(lines);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Owned {
    /// Sends SIGTERM and waits (up to a minute) for the process to exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "{} ignored SIGTERM",
                self.server.name
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The project's server on a port the system picks; it prints the address it bound.
fn start_ours(flags: &[&str]) -> (Server, Child, Output) {
    let mut child = Command::new("setpriv")
        .args(["--pdeathsig", "KILL", "--"])
        .arg(env!("CARGO_BIN_EXE_imgpipe"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(flags)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start imgpipe serve");
    let stdout = child.stdout.take().unwrap();
    let (base, output) = wait_for_line(stdout, "imgpipe: serving ", |line| {
        line.split_whitespace()
            .find(|w| w.starts_with("http://"))
            .map(|url| url.trim_end_matches('/').to_string())
    });
    let server = Server {
        name: "imgpipe serve",
        base,
        pid: child.id(),
    };
    (server, child, output)
}

/// Upstream `wasmtime serve` (installed by scripts/setup) on a free port.
fn start_wasmtime() -> (Server, Child, Output) {
    let port = {
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let mut child = Command::new("setpriv")
        .args(["--pdeathsig", "KILL", "--"])
        .arg(wasmtime_cli())
        .args(["serve", "-Scli", "--addr"])
        .arg(format!("127.0.0.1:{port}"))
        .arg(imgpipe::server::served_component_path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start wasmtime serve");
    let stderr = child.stderr.take().unwrap();
    let (base, output) = wait_for_line(stderr, "Serving HTTP on", move |_| {
        Some(format!("http://127.0.0.1:{port}"))
    });
    let server = Server {
        name: "wasmtime serve",
        base,
        pid: child.id(),
    };
    (server, child, output)
}

/// The wasmtime CLI: on PATH or where `cargo install` puts it.
fn wasmtime_cli() -> PathBuf {
    let installed = std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cargo/bin/wasmtime"))
        .filter(|p| p.exists());
    installed.unwrap_or_else(|| PathBuf::from("wasmtime"))
}

/// Reads `stream` until a line starts with `prefix` and returns `parse(line)`, with the lines
/// after it, which are read in the background as they come (so the child never blocks on a
/// full pipe) and kept while the returned [`Output`] is held (the shared servers' are not).
fn wait_for_line(
    stream: impl Read + Send + 'static,
    prefix: &'static str,
    parse: impl Fn(&str) -> Option<String> + Send + 'static,
) -> (String, Output) {
    let (tx, rx) = mpsc::channel();
    let output = Output::default();
    let after = Arc::downgrade(&output);
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stream).lines();
        let mut seen = Vec::new();
        for line in lines.by_ref().map_while(Result::ok) {
            if line.starts_with(prefix) {
                let _ = tx.send(parse(&line).ok_or(line));
                break;
            }
            seen.push(line);
        }
        if !seen.is_empty() {
            eprintln!("{}", seen.join("\n"));
        }
        for line in lines.map_while(Result::ok) {
            if let Some(output) = after.upgrade() {
                output.lock().unwrap().push(line);
            }
        }
    });
    // The first start compiles the component (the host caches it for the next).
    let found = rx.recv_timeout(Duration::from_secs(300));
    match found {
        Ok(Ok(base)) => (base, output),
        other => panic!("the server did not report its address: {other:?}"),
    }
}

/// The embedded host's options and format for a `/process` query using `w`, `h`, `q` and
/// `format`, so a server's answer can be compared with the embedded host's.
pub fn options_for(query: &str) -> (imgpipe::wit::Options, imgpipe::wit::OutputFormat) {
    use imgpipe::names::{Name, OptionName, OutputFormat};
    let mut options = imgpipe::wit::Options::default();
    let mut format = OutputFormat::Jpeg;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap();
        if k == "format" {
            format = v.parse().unwrap();
            continue;
        }
        match OptionName::parse(k).unwrap() {
            OptionName::MaxWidth => options.max_width = Some(v.parse().unwrap()),
            OptionName::MaxHeight => options.max_height = Some(v.parse().unwrap()),
            OptionName::Quality => options.quality = Some(v.parse().unwrap()),
            other => panic!("option {other} has no embedded equivalent here"),
        }
    }
    (options, format.into())
}

/// An HTTP answer.
pub struct Reply {
    pub status: u16,
    /// Lower-case names.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body[..self.body.len().min(200)])
            )
        })
    }

    /// The dimension headers, as numbers.
    pub fn dimensions(&self) -> (u32, u32) {
        let number = |name| self.header(name).and_then(|v| v.parse().ok());
        (
            number("x-image-width").expect("x-image-width"),
            number("x-image-height").expect("x-image-height"),
        )
    }
}

fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into()
    })
}

fn reply(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = response.expect("an HTTP answer");
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                v.to_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(256 << 20)
        .read_to_vec()
        .expect("read the body");
    Reply {
        status: response.status().as_u16(),
        headers,
        body,
    }
}

/// `GET base + path`.
pub fn get(server: &Server, path: &str) -> Reply {
    reply(agent().get(format!("{}{path}", server.base)).call())
}

/// `POST base + path` with `body` and extra headers.
pub fn post(server: &Server, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut request = agent().post(format!("{}{path}", server.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    reply(request.send(body))
}

/// Any method, no body.
pub fn call(server: &Server, method: &str, path: &str) -> Reply {
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", server.base))
        .body(())
        .unwrap();
    reply(agent().run(request))
}

/// The server process's resident memory, in bytes.
pub fn rss(server: &Server) -> u64 {
    proc_status(server, "VmRSS:")
}

/// The server process's peak resident memory, in bytes.
pub fn peak_rss(server: &Server) -> u64 {
    proc_status(server, "VmHWM:")
}

fn proc_status(server: &Server, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid)).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib << 10
}

/// Waits until the server answers `/health` (it may still be compiling).
pub fn healthy(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if agent()
            .get(format!("{}/health", server.base))
            .call()
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{} never became healthy", server.name);
}

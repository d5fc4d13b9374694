//! Headless Chromium driven over the DevTools protocol (a WebSocket and JSON), for tests of
//! pages: Debian's `chromium`, installed by scripts/setup, started with the flags a sandboxless
//! CI machine needs and killed with the test process.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket, stream::MaybeTlsStream};

pub struct Browser {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium with an empty profile and attaches to its first page.
    pub fn start() -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new("setpriv")
            .args(["--pdeathsig", "KILL", "--", "chromium"])
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium (scripts/setup installs it)");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stderr).lines();
            for line in lines.by_ref().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = tx.send(url.trim().to_string());
                    break;
                }
            }
            for _ in lines {}
        });
        let browser_url = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("chromium reports its DevTools address");
        // ws://127.0.0.1:PORT/devtools/browser/ID -> the page targets at /json/list.
        let host = browser_url
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let deadline = Instant::now() + Duration::from_secs(30);
        let page_url = loop {
            let targets: Value = ureq::get(format!("http://{host}/json/list"))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_json().ok())
                .unwrap_or(Value::Null);
            let page = targets.as_array().and_then(|list| {
                list.iter()
                    .find(|t| t["type"] == "page")
                    .and_then(|t| t["webSocketDebuggerUrl"].as_str())
                    .map(str::to_string)
            });
            match page {
                Some(url) => break url,
                None if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
                None => panic!("chromium has no page target"),
            }
        };
        let (socket, _) = tungstenite::connect(page_url).expect("attach to the page");
        Browser {
            child,
            socket,
            next_id: 1,
            _profile: profile,
        }
    }

    /// Sends a DevTools command and waits for its result (events in between are skipped).
    pub fn send(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({ "id": id, "method": method, "params": params });
        self.socket
            .send(Message::text(message.to_string()))
            .unwrap();
        loop {
            let message = self.socket.read().expect("read from DevTools");
            let Message::Text(text) = message else {
                continue;
            };
            let value: Value = serde_json::from_str(&text).unwrap();
            if value["id"] == id {
                if let Some(error) = value.get("error") {
                    panic!("{method}: {error}");
                }
                return value["result"].clone();
            }
        }
    }

    /// Evaluates `expression` in the page and returns its value (promises awaited).
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.send(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("{expression}: {exception}");
        }
        result["result"]["value"].clone()
    }

    /// Loads `url` and waits until the document has loaded.
    pub fn open(&mut self, url: &str) {
        self.send("Page.navigate", json!({ "url": url }));
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'");
    }

    /// Polls `condition` (a JS expression) until it is true, for up to a minute.
    pub fn wait_for(&mut self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if self.eval(condition) == Value::Bool(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("timed out waiting for {condition}");
    }

    /// Puts `path` into the file input matched by `selector`, as a user picking the file.
    pub fn choose_file(&mut self, selector: &str, path: &std::path::Path) {
        // Chromium will not read a file whose path has `..` in it.
        let path = std::fs::canonicalize(path).unwrap();
        let root = self.send("DOM.getDocument", json!({}))["root"]["nodeId"].clone();
        let node = self.send(
            "DOM.querySelector",
            json!({ "nodeId": root, "selector": selector }),
        )["nodeId"]
            .clone();
        self.send(
            "DOM.setFileInputFiles",
            json!({ "nodeId": node, "files": [path.display().to_string()] }),
        );
    }

    /// Sets form fields by element id, submits `#form` and waits until `#status` reads "done" or
    /// has the class "error" (the convention of both pages under test).
    pub fn submit(&mut self, fields: &[(&str, &str)]) {
        // A block, so that its `const` can be declared again by the next call.
        let mut script = String::from("{\n");
        for (id, value) in fields {
            script.push_str(&format!(
                "document.getElementById({id:?}).value = {value:?};\n"
            ));
        }
        script.push_str(
            "const status = document.getElementById('status');
             status.textContent = ''; status.className = '';
             document.getElementById('form').requestSubmit(); }
             true",
        );
        self.eval(&script);
        self.wait_for(
            "document.getElementById('status').textContent === 'done'
             || document.getElementById('status').className === 'error'",
        );
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&mut self) -> Vec<u8> {
        use base64::Engine as _;
        let data = self.send("Page.captureScreenshot", json!({ "format": "png" }))["data"]
            .as_str()
            .unwrap()
            .to_string();
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

//! The same component from Python (wasmtime-py), Node.js and the browser (jco), byte for byte:
//! each host processes the same fixtures with the same options, and every output must equal the
//! Rust host's, every error be the same WIT case. Python's virtual environment and the Node
//! packages are installed by scripts/setup; the hosts run the built wheel and the packed npm
//! package (in Node and in the page), unpacked outside the checkout, not the source tree.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use imgpipe::wit::{Edges, Fit, Gravity, Options, OutputFormat, Overlay, Region};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::browser::Browser;
use crate::{fixture, fixture_path, fixtures, processor};

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// $IMGPIPE_PYTHON, or the Python of the virtual environment scripts/setup makes: $IMGPIPE_VENV
/// (scripts/env.sh sets it for scripts/test), else its default, ~/.cache/imgpipe-venv.
fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("IMGPIPE_PYTHON") {
        return PathBuf::from(python);
    }
    std::env::var_os("IMGPIPE_VENV")
        .filter(|venv| !venv.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/imgpipe-venv")
        })
        .join("bin/python")
}

/// Transpiles the component for Node and the browser (once per test run).
fn node_example() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = examples().join("node");
        assert!(
            dir.join("node_modules/@bytecodealliance/jco").exists(),
            "examples/node/node_modules is missing: run scripts/setup"
        );
        let status = Command::new("node")
            .arg(dir.join("build.mjs"))
            .env("IMGPIPE_COMPONENT", imgpipe::component_path())
            .status()
            .unwrap();
        assert!(status.success(), "jco transpile failed");
        dir
    })
}

/// The Node package as a user gets it: `npm pack` of examples/node (after the transpile),
/// unpacked into `node_modules/imgpipe` of an empty project, with the cross-host driver beside
/// it (once per test run). Its declared dependencies are linked from examples/node's
/// `node_modules` (scripts/setup installed them there at the lock file's versions), each checked
/// to be the version the package asks for; nothing else is reachable from the project, so a
/// dependency the package uses without declaring it fails the tests. Unpacked, not installed:
/// tests install nothing.
fn node_package() -> &'static Path {
    static UNPACKED: OnceLock<PathBuf> = OnceLock::new();
    UNPACKED.get_or_init(|| {
        let example = node_example();
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("node-package");
        let _ = std::fs::remove_dir_all(&dir);
        let project = dir.join("project");
        let package = project.join("node_modules/imgpipe");
        std::fs::create_dir_all(&package).unwrap();
        let packed = Command::new("npm")
            .args(["pack", "--pack-destination"])
            .arg(&dir)
            .current_dir(example)
            .output()
            .unwrap();
        assert!(
            packed.status.success(),
            "npm pack: {}",
            String::from_utf8_lossy(&packed.stderr)
        );
        let stdout = String::from_utf8_lossy(&packed.stdout);
        let tarball = dir.join(stdout.lines().last().unwrap().trim());
        assert!(tarball.exists(), "npm pack wrote no {}", tarball.display());
        std::fs::write(
            project.join("package.json"),
            r#"{"name": "fresh", "version": "1.0.0", "private": true, "type": "module"}"#,
        )
        .unwrap();
        // An npm tarball holds its files under `package/`.
        let status = Command::new("tar")
            .args(["-xzf"])
            .arg(&tarball)
            .arg("-C")
            .arg(&package)
            .args(["--strip-components=1"])
            .status()
            .unwrap();
        assert!(status.success(), "tar -xzf {}", tarball.display());
        let manifest = |path: &Path| -> serde_json::Value {
            serde_json::from_slice(&std::fs::read(path.join("package.json")).unwrap()).unwrap()
        };
        let dependencies = manifest(&package)["dependencies"].clone();
        let dependencies = dependencies
            .as_object()
            .expect("the package's dependencies");
        assert!(
            !dependencies.is_empty(),
            "the package declares no dependencies"
        );
        for (name, version) in dependencies {
            let installed = example.join("node_modules").join(name);
            assert_eq!(
                &manifest(&installed)["version"],
                version,
                "{name} in examples/node/node_modules is not the version the package declares: \
                 run scripts/setup"
            );
            let link = project.join("node_modules").join(name);
            std::fs::create_dir_all(link.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(&installed, &link).unwrap();
        }
        std::fs::copy(example.join("crosshost.mjs"), project.join("crosshost.mjs")).unwrap();
        project
    })
}

struct Case {
    name: &'static str,
    input: &'static str,
    format: OutputFormat,
    max_width: Option<u32>,
    max_height: Option<u32>,
    quality: Option<u8>,
    cover: bool,
    /// extract, rotate by 90, smart crop, blur, sharpen and extend, all at once.
    operations: bool,
}

const fn case(name: &'static str, input: &'static str, format: OutputFormat) -> Case {
    Case {
        name,
        input,
        format,
        max_width: None,
        max_height: None,
        quality: None,
        cover: false,
        operations: false,
    }
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            max_width: Some(160),
            quality: Some(80),
            ..case("jpeg-to-jpeg", "sharp/320x240.jpg", OutputFormat::Jpeg)
        },
        // EXIF orientation 6.
        Case {
            max_width: Some(200),
            max_height: Some(200),
            ..case("exif-to-png", "sharp/Landscape_6.jpg", OutputFormat::Png)
        },
        // Colour management: a Display P3 JPEG and a CMYK one, converted to sRGB.
        Case {
            max_width: Some(128),
            ..case("p3-to-srgb-png", "colour/display-p3.jpg", OutputFormat::Png)
        },
        Case {
            max_width: Some(128),
            quality: Some(80),
            ..case("cmyk-to-srgb-jpeg", "colour/cmyk.jpg", OutputFormat::Jpeg)
        },
        // Alpha in, alpha out.
        Case {
            max_width: Some(120),
            quality: Some(70),
            ..case(
                "alpha-webp-to-webp",
                "sharp/5_webp_a.webp",
                OutputFormat::Webp,
            )
        },
        Case {
            max_width: Some(64),
            ..case(
                "grey-alpha-to-png",
                "operations/grey-16bit-alpha.png",
                OutputFormat::Png,
            )
        },
        Case {
            max_width: Some(100),
            max_height: Some(100),
            cover: true,
            ..case("cover-to-webp", "sharp/Portrait_2.jpg", OutputFormat::Webp)
        },
        Case {
            max_width: Some(150),
            quality: Some(60),
            ..case("webp-to-jpeg", "sharp/4.webp", OutputFormat::Jpeg)
        },
        Case {
            max_width: Some(60),
            max_height: Some(60),
            cover: true,
            operations: true,
            ..case(
                "operations-to-png",
                "operations/scene.png",
                OutputFormat::Png,
            )
        },
        // The decoders that came with AVIF, HEIC and JPEG XL input.
        Case {
            max_width: Some(160),
            ..case("avif-to-png", "formats/photo.avif", OutputFormat::Png)
        },
        Case {
            max_width: Some(160),
            quality: Some(80),
            ..case("heic-to-jpeg", "formats/photo.heic", OutputFormat::Jpeg)
        },
        Case {
            max_width: Some(160),
            ..case("jxl-to-webp", "formats/photo.jxl", OutputFormat::Webp)
        },
        // An animated GIF kept animated, as WebP.
        Case {
            max_width: Some(100),
            ..case(
                "animated-gif-to-webp",
                "sharp/animated-loop-3.gif",
                OutputFormat::Webp,
            )
        },
        // The other encoders: AVIF (rav1e), lossless WebP, and GIF (animated).
        Case {
            max_width: Some(96),
            ..case("png-to-avif", "colour/srgb.png", OutputFormat::Avif)
        },
        Case {
            max_width: Some(96),
            ..case(
                "png-to-webp-lossless",
                "colour/srgb.png",
                OutputFormat::WebpLossless,
            )
        },
        Case {
            max_width: Some(64),
            ..case("gif-to-gif", "sharp/animated-loop-3.gif", OutputFormat::Gif)
        },
        case("corrupt", "sharp/corrupt-header.jpg", OutputFormat::Jpeg),
        Case {
            quality: Some(0),
            ..case("quality-zero", "sharp/320x240.jpg", OutputFormat::Jpeg)
        },
    ]
}

impl Case {
    fn options(&self) -> Options {
        Options {
            max_width: self.max_width,
            max_height: self.max_height,
            quality: self.quality,
            fit: self.cover.then_some(Fit::Cover),
            ..if self.operations {
                Options {
                    extract: Some(Region {
                        left: 10,
                        top: 10,
                        width: 200,
                        height: 100,
                    }),
                    rotate: Some(90.0),
                    gravity: Some(Gravity::Attention),
                    blur: Some(1.0),
                    sharpen: Some(1.0),
                    extend: Some(Edges {
                        top: 1,
                        right: 2,
                        bottom: 3,
                        left: 4,
                    }),
                    effort: Some(9),
                    overlay: Some(Overlay {
                        image: fixture("operations/logo.png"),
                        gravity: Some(Gravity::SouthEast),
                        x: Some(10),
                        y: Some(5),
                        opacity: Some(0.6),
                        scale: None,
                        tile: None,
                    }),
                    ..Options::default()
                }
            } else {
                Options::default()
            }
        }
    }

    /// The case for the Python and Node scripts (Python keyword names; Node renames them).
    fn to_json(&self) -> serde_json::Value {
        let mut options = serde_json::Map::new();
        let mut set = |k: &str, v: serde_json::Value| {
            options.insert(k.to_string(), v);
        };
        if let Some(w) = self.max_width {
            set("max_width", json!(w));
        }
        if let Some(h) = self.max_height {
            set("max_height", json!(h));
        }
        if let Some(q) = self.quality {
            set("quality", json!(q));
        }
        if self.cover {
            set("fit", json!("cover"));
        }
        if self.operations {
            // Records as objects, which both hosts take (jco's own shape).
            set(
                "extract",
                json!({"left": 10, "top": 10, "width": 200, "height": 100}),
            );
            set("rotate", json!(90.0));
            set("gravity", json!("attention"));
            set("blur", json!(1.0));
            set("sharpen", json!(1.0));
            set(
                "extend",
                json!({"top": 1, "right": 2, "bottom": 3, "left": 4}),
            );
            set("effort", json!(9));
            // Bytes as base64 in JSON; each host's driver turns them back into bytes.
            set(
                "overlay",
                json!({
                    "image": base64::Engine::encode(
                        &base64::engine::general_purpose::STANDARD,
                        fixture("operations/logo.png"),
                    ),
                    "gravity": "south-east", "x": 10, "y": 5, "opacity": 0.6,
                }),
            );
        }
        json!({
            "name": self.name,
            "input": std::fs::canonicalize(fixture_path(self.input)).unwrap(),
            "format": imgpipe::names::OutputFormat::from(self.format).as_str(),
            "options": options,
        })
    }

    /// The Rust host's answer: the image with what the other hosts write beside it (see
    /// `examples/python/crosshost.py`), or the error case's name and its message.
    fn expected(&self) -> Result<(Vec<u8>, serde_json::Value), (String, String)> {
        let input = fixture(self.input);
        let mut processor = processor();
        match processor
            .process(&input, &self.options(), Some(self.format))
            .expect("no trap")
        {
            Ok(p) => {
                let info = processor
                    .inspect(&input)
                    .expect("no trap")
                    .expect("inspect");
                let about = json!({
                    "width": p.width,
                    "height": p.height,
                    "format": imgpipe::names::OutputFormat::from(p.format).as_str(),
                    "mime_type": p.mime_type,
                    "input": {
                        "format": imgpipe::names::InputFormat::from(info.format).as_str(),
                        "width": info.width,
                        "height": info.height,
                        "orientation": info.orientation,
                        "has_alpha": info.has_alpha,
                        "bits_per_channel": info.bits_per_channel,
                        "frames": info.frames,
                    },
                });
                Ok((p.image, about))
            }
            Err(e) => {
                let described = imgpipe::describe(&e);
                let kind = imgpipe::error_kind(&e).to_string();
                let message = described[kind.len() + 2..].to_string();
                Err((kind, message))
            }
        }
    }
}

/// Runs `command` over the cases and compares what it wrote with the Rust host's answers.
fn same_as_rust(host: &str, mut command: Command) {
    let dir = tempfile::tempdir().unwrap();
    let cases = cases();
    let listing: Vec<_> = cases.iter().map(Case::to_json).collect();
    let cases_file = dir.path().join("cases.json");
    std::fs::write(&cases_file, serde_json::to_vec(&listing).unwrap()).unwrap();
    let out = dir.path().join("out");
    let status = command.arg(&cases_file).arg(&out).status().unwrap();
    assert!(status.success(), "{host} failed");
    let mut images = 0;
    let (mut bytes_in, mut bytes_out) = (0, 0);
    let mut errors: Vec<(String, String)> = Vec::new();
    for case in &cases {
        let name = case.name;
        bytes_in += fixture(case.input).len();
        match case.expected() {
            Ok((bytes, about)) => {
                bytes_out += bytes.len();
                let got = std::fs::read(out.join(format!("{name}.out"))).unwrap_or_else(|_| {
                    panic!(
                        "{host} {name}: no output (error {:?})",
                        std::fs::read_to_string(out.join(format!("{name}.error"))).ok()
                    )
                });
                assert!(
                    got == bytes,
                    "{host} {name}: {} bytes differ from the Rust host's {}",
                    got.len(),
                    bytes.len()
                );
                let got: serde_json::Value = serde_json::from_slice(
                    &std::fs::read(out.join(format!("{name}.json"))).unwrap(),
                )
                .unwrap();
                assert_eq!(got, about, "{host} {name}");
                images += 1;
            }
            Err((kind, message)) => {
                let got = std::fs::read_to_string(out.join(format!("{name}.error")))
                    .unwrap_or_else(|_| panic!("{host} {name}: expected the error {kind}"));
                assert_eq!(got, kind, "{host} {name}");
                let got = std::fs::read_to_string(out.join(format!("{name}.message"))).unwrap();
                assert_eq!(got, message, "{host} {name}");
                errors.push((kind, message));
            }
        }
    }
    assert!(images >= 6);
    // The instance's counters, as the host lifted them (lists of records among them).
    let stats: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("stats.json")).unwrap()).unwrap();
    assert_eq!(stats["calls"], cases.len(), "{host} {stats}");
    assert_eq!(stats["successes"], images, "{host} {stats}");
    assert_eq!(stats["bytes_in"], bytes_in, "{host} {stats}");
    assert_eq!(stats["bytes_out"], bytes_out, "{host} {stats}");
    for (kind, _) in &errors {
        let counted = stats["errors"][kind.replace('-', "_")].as_u64().unwrap();
        let expected = errors.iter().filter(|(k, _)| k == kind).count() as u64;
        assert_eq!(counted, expected, "{host} {kind} {stats}");
    }
    let recent: Vec<(String, String)> = stats["recent_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The last five, as the instance keeps them.
    assert_eq!(
        recent,
        errors[errors.len().saturating_sub(5)..],
        "{host} {stats}"
    );
}

/// The Python package as a user gets it: a wheel built from a copy of examples/python with the
/// component inside, unpacked (a wheel is a zip file laid out as `site-packages`) into a folder
/// outside the checkout, with the cross-host driver beside it (once per test run). The
/// environment scripts/setup made runs it with that folder first on `PYTHONPATH`, after a check
/// that it holds every distribution the wheel requires. Unpacked, not installed: tests install
/// nothing. Returns the folder.
fn python_package() -> &'static Path {
    static UNPACKED: OnceLock<PathBuf> = OnceLock::new();
    UNPACKED.get_or_init(|| {
        let python = python();
        assert!(
            python.exists(),
            "{} is missing: run scripts/setup",
            python.display()
        );
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("python-package");
        let _ = std::fs::remove_dir_all(&dir);
        let source = examples().join("python");
        let package = dir.join("src/imgpipe");
        std::fs::create_dir_all(&package).unwrap();
        for file in ["pyproject.toml", "README.md"] {
            std::fs::copy(source.join(file), dir.join("src").join(file)).unwrap();
        }
        // Every module of the package, as its wheel would carry them.
        for entry in std::fs::read_dir(source.join("imgpipe")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "py") {
                std::fs::copy(&path, package.join(path.file_name().unwrap())).unwrap();
            }
        }
        std::fs::copy(
            imgpipe::component_path(),
            package.join("imgpipe_component.wasm"),
        )
        .unwrap();
        let run = |command: &mut Command, what: &str| {
            let status = command.status().unwrap();
            assert!(status.success(), "{what} failed");
        };
        run(
            Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "wheel",
                    "--no-deps",
                    "--no-build-isolation",
                    "-q",
                ])
                .arg("-w")
                .arg(dir.join("dist"))
                .arg(dir.join("src")),
            "pip wheel",
        );
        let wheel = dir.join("dist/imgpipe-0.1.0-py3-none-any.whl");
        let site = dir.join("site");
        run(
            Command::new(&python)
                .args(["-m", "zipfile", "-e"])
                .arg(&wheel)
                .arg(&site),
            "unzipping the wheel",
        );
        // The wheel's own list of what it requires (`Requires-Dist: wasmtime==50.0.1`), each
        // checked against the distribution the environment has.
        let metadata =
            std::fs::read_to_string(site.join("imgpipe-0.1.0.dist-info/METADATA")).unwrap();
        let required: Vec<&str> = metadata
            .lines()
            .filter_map(|line| line.strip_prefix("Requires-Dist: "))
            .collect();
        assert!(
            !required.is_empty(),
            "the wheel requires nothing: {metadata}"
        );
        run(
            Command::new(&python)
                .args([
                    "-c",
                    "import sys\n\
                     from importlib.metadata import version\n\
                     for requirement in sys.argv[1:]:\n    \
                         name, pinned = requirement.split('==')\n    \
                         assert version(name) == pinned, (requirement, version(name))",
                ])
                .args(&required),
            "the environment's check of the wheel's requirements (run scripts/setup)",
        );
        std::fs::copy(source.join("crosshost.py"), dir.join("crosshost.py")).unwrap();
        dir
    })
}

#[test]
fn python_gives_the_rust_hosts_bytes_and_errors() {
    // Through the unpacked wheel, with no path to the component: it uses the one it carries.
    let dir = python_package();
    let mut command = Command::new(python());
    command
        .arg(dir.join("crosshost.py"))
        .current_dir(dir)
        .env("PYTHONPATH", dir.join("site"))
        .env_remove("IMGPIPE_COMPONENT");
    same_as_rust("python", command);
}

#[test]
fn node_gives_the_rust_hosts_bytes_and_errors() {
    // Through the packed package, laid out as an install lays it out.
    let project = node_package();
    assert!(
        project
            .join("node_modules/imgpipe/generated/imgpipe.js")
            .exists()
    );
    let mut command = Command::new("node");
    command.arg(project.join("crosshost.mjs"));
    same_as_rust("node", command);
}

/// Serves `root` over HTTP on a free loopback port, as any static server would.
fn static_server(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || serve_file(&root, stream));
        }
    });
    base
}

fn serve_file(root: &Path, mut stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // Skip the headers.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap().trim_start_matches('/');
    let mut file = root.join(path);
    if path.ends_with('/') || path.is_empty() {
        file = file.join("index.html");
    }
    let (status, body, kind) = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => {
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js" | "mjs") => "text/javascript",
                Some("wasm") => "application/wasm",
                Some("json") => "application/json",
                _ => "application/octet-stream",
            };
            ("200 OK", body, kind)
        }
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// The browser example in the fresh project that holds the packed package, its import map
/// pointed at that project's `node_modules` instead of the source tree.
fn browser_page_of_the_package() -> PathBuf {
    let project = node_package();
    let page = project.join("browser");
    std::fs::create_dir_all(&page).unwrap();
    let source = examples().join("browser");
    let html = std::fs::read_to_string(source.join("index.html")).unwrap();
    for from in [
        "\"../node/imgpipe.mjs\"",
        "\"../node/node_modules/@bytecodealliance/",
    ] {
        assert!(html.contains(from), "index.html's import map lacks {from}");
    }
    let html = html
        .replace(
            "\"../node/imgpipe.mjs\"",
            "\"../node_modules/imgpipe/imgpipe.mjs\"",
        )
        .replace(
            "\"../node/node_modules/@bytecodealliance/",
            "\"../node_modules/@bytecodealliance/",
        );
    std::fs::write(page.join("index.html"), html).unwrap();
    std::fs::copy(source.join("app.mjs"), page.join("app.mjs")).unwrap();
    project.to_path_buf()
}

#[test]
fn browser_gives_the_rust_hosts_bytes() {
    // The packed package, as a web application bundles it.
    let base = static_server(browser_page_of_the_package());
    let mut browser = Browser::start();
    browser.open(&format!("{base}/browser/"));
    browser.wait_for("['ready', 'done'].includes(document.getElementById('status').textContent) || document.getElementById('status').className === 'error'");
    let input = "sharp/Landscape_6.jpg";
    browser.choose_file("#file", &fixtures().join(input));
    browser.submit(&[("w", "300"), ("h", "300"), ("q", "75"), ("format", "webp")]);
    let state = browser.eval(
        "({ status: document.getElementById('status').textContent,
            sha256: document.getElementById('sha256').textContent,
            info: document.getElementById('info').textContent,
            width: document.getElementById('result').naturalWidth })",
    );
    let artefact = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-example.png");
    std::fs::write(&artefact, browser.screenshot()).unwrap();
    assert_eq!(state["status"], "done", "{state}");

    let options = Options {
        max_width: Some(300),
        max_height: Some(300),
        quality: Some(75),
        ..Options::default()
    };
    let rust = crate::process_ok(&fixture(input), &options, OutputFormat::Webp);
    let hex: String = Sha256::digest(&rust.image)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(state["sha256"], hex.as_str(), "{state}");
    assert!(
        state["info"]
            .as_str()
            .unwrap()
            .starts_with("300x225 image/webp"),
        "{state}"
    );

    // W1 in the page, for the record (not asserted): the third of three runs.
    browser.choose_file(
        "#file",
        &fixtures().join("sharp/2569067123_aca715a2ee_o.jpg"),
    );
    for _ in 0..3 {
        browser.submit(&[("w", "720"), ("h", "588"), ("q", "80"), ("format", "jpeg")]);
    }
    let info = browser.eval("document.getElementById('info').textContent");
    eprintln!("browser W1: {info}");
}

//! wasmCloud: the manifest in examples/wasmcloud names the artefact the build produces and the
//! interface it exports, and a two-host lattice on this machine runs it, as `imgpipe serve` does.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use yaml_rust2::{Yaml, YamlLoader};

use crate::sandbox::interface;

fn manifest(name: &str) -> Vec<Yaml> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/wasmcloud")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The served component's exports as (namespace, package, interface), e.g.
/// ("wasi", "http", "incoming-handler").
fn served_exports() -> Vec<(String, String, String)> {
    let (_, exports) = interface(&imgpipe::server::served_component_path());
    exports
        .iter()
        .map(|name| {
            let bare = name.split('@').next().unwrap();
            let (namespace, rest) = bare.split_once(':').unwrap();
            let (package, interface) = rest.split_once('/').unwrap();
            (namespace.into(), package.into(), interface.into())
        })
        .collect()
}

/// The file the build composes (`imgpipe_served.wasm`), which the manifests name; the host
/// itself loads a copy of it named by its hash.
fn served_file_name() -> String {
    std::path::Path::new(env!("IMGPIPE_SERVED_PATH"))
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Checks a `namespace`/`package`/`interfaces` block against the component's exports.
fn serves_an_export(block: &Yaml) {
    let exports = served_exports();
    let namespace = block["namespace"].as_str().unwrap();
    let package = block["package"].as_str().unwrap();
    let interfaces = block["interfaces"].as_vec().unwrap();
    assert!(!interfaces.is_empty());
    for interface in interfaces {
        let wanted = (
            namespace.to_string(),
            package.to_string(),
            interface.as_str().unwrap().to_string(),
        );
        assert!(
            exports.contains(&wanted),
            "the manifest serves {wanted:?}; the component exports {exports:?}"
        );
    }
}

#[test]
fn workload_deployment_names_the_artefact_and_its_export() {
    let docs = manifest("workloaddeployment.yaml");
    let workload = docs
        .iter()
        .find(|d| d["kind"].as_str() == Some("WorkloadDeployment"))
        .expect("a WorkloadDeployment");
    assert_eq!(
        workload["apiVersion"].as_str(),
        Some("runtime.wasmcloud.dev/v1alpha1")
    );
    let spec = &workload["spec"]["template"]["spec"];
    let components = spec["components"].as_vec().unwrap();
    assert_eq!(components.len(), 1);
    let image = components[0]["image"].as_str().unwrap();
    // The OCI name the README pushes imgpipe_served.wasm under, at this crate's version.
    let expected = format!(
        "{}:{}",
        served_file_name()
            .trim_end_matches(".wasm")
            .replace('_', "-"),
        env!("CARGO_PKG_VERSION")
    );
    assert!(
        image.ends_with(&format!("/{expected}")),
        "{image} is not …/{expected}"
    );
    let host_interfaces = spec["hostInterfaces"].as_vec().unwrap();
    assert_eq!(host_interfaces.len(), 1);
    serves_an_export(&host_interfaces[0]);
    assert!(host_interfaces[0]["config"]["host"].as_str().is_some());
    // The Service the workload names exists in the same file.
    let service = spec["kubernetes"]["service"]["name"].as_str().unwrap();
    assert!(docs.iter().any(|d| d["kind"].as_str() == Some("Service")
        && d["metadata"]["name"].as_str() == Some(service)));
}

/// `examples/wasmcloud/run --check`: two `wash host`s on one lattice (NATS and an OCI registry on
/// loopback), the workload of `workloaddeployment.yaml` on both, every output format and the
/// hostile inputs answered byte for byte as `imgpipe serve` answers them, a short load run, one
/// host killed while the other keeps answering, and everything stopped. Bounded: the script's
/// load runs are cut to 3 s each, and it is stopped (it then tears down) if it outlives 5
/// minutes or this test.
#[test]
fn a_two_host_lattice_answers_as_imgpipe_serve() {
    let formats: Vec<&str> = imgpipe_names::OutputFormat::ALL
        .iter()
        .map(|f| f.as_str())
        .collect();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/wasmcloud/run");
    let started = Instant::now();
    // SIGTERM if this test dies first: the script stops what it started, then exits.
    let mut child = Command::new("setpriv")
        .args(["--pdeathsig", "TERM", "--"])
        .arg(&script)
        .arg("--check")
        .arg("--imgpipe")
        .arg(env!("CARGO_BIN_EXE_imgpipe"))
        .arg("--component")
        .arg(imgpipe::server::served_component_path())
        .args(["--formats", &formats.join(",")])
        .args(["--seconds", "3", "--concurrency", "8"])
        .spawn()
        .expect("run examples/wasmcloud/run (scripts/setup installs what it needs)");
    let deadline = started + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            // SIGTERM lets it tear the lattice down; SIGKILL if that does not end it.
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let grace = Instant::now() + Duration::from_secs(30);
            while Instant::now() < grace && child.try_wait().unwrap().is_none() {
                std::thread::sleep(Duration::from_millis(200));
            }
            let _ = child.kill();
            let _ = child.wait();
            panic!("examples/wasmcloud/run --check took over 5 minutes");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    eprintln!(
        "examples/wasmcloud/run --check: {status} in {:.0?}",
        started.elapsed()
    );
    assert!(status.success(), "examples/wasmcloud/run --check: {status}");
}

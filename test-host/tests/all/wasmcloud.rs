//! The wasmCloud manifests in examples/wasmcloud parse, name the artefact the build produces,
//! and serve the interface that artefact exports.

use std::path::PathBuf;

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

#[test]
fn wadm_application_names_the_artefact_and_its_export() {
    let docs = manifest("wadm.yaml");
    assert_eq!(docs.len(), 1);
    let app = &docs[0];
    assert_eq!(app["apiVersion"].as_str(), Some("core.oam.dev/v1beta1"));
    assert_eq!(app["kind"].as_str(), Some("Application"));
    let components = app["spec"]["components"].as_vec().unwrap();
    let component = components
        .iter()
        .find(|c| c["type"].as_str() == Some("component"))
        .expect("a component");
    let image = component["properties"]["image"].as_str().unwrap();
    assert_eq!(image, format!("file://./{}", served_file_name()));
    let provider = components
        .iter()
        .find(|c| c["type"].as_str() == Some("capability"))
        .expect("the HTTP server provider");
    assert!(
        provider["properties"]["image"]
            .as_str()
            .unwrap()
            .starts_with("ghcr.io/wasmcloud/http-server:")
    );
    let link = provider["traits"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|t| t["type"].as_str() == Some("link"))
        .expect("a link");
    let link = &link["properties"];
    assert_eq!(link["target"]["name"].as_str(), component["name"].as_str());
    serves_an_export(link);
}

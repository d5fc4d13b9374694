//! What the components may reach: the processor and the served component (gateway + processor)
//! import only clocks, random seeds, stdio, environment and exit, I/O streams and (served) the
//! HTTP types of the request they answer. No filesystem, sockets or outgoing HTTP: a host need
//! grant them nothing, and nothing in them can reach out. The processor interface's functions
//! are checked against the WIT's types as the bindings generate them: their names as the
//! `Runtime` is made, their types on its first instance, before any call.

use std::path::Path;

use imgpipe::{Runtime, RuntimeConfig};
use wasmparser::{Parser, Payload};

/// The top-level import and export names of a component.
pub fn interface(path: &Path) -> (Vec<String>, Vec<String>) {
    let bytes = std::fs::read(path).unwrap();
    let (mut imports, mut exports) = (Vec::new(), Vec::new());
    let mut depth = 0;
    for payload in Parser::new(0).parse_all(&bytes) {
        match payload.unwrap() {
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
            Payload::End(_) => depth -= 1,
            Payload::ComponentImportSection(section) if depth == 0 => {
                for import in section {
                    imports.push(import.unwrap().name.name.to_string());
                }
            }
            Payload::ComponentExportSection(section) if depth == 0 => {
                for export in section {
                    exports.push(export.unwrap().name.name.to_string());
                }
            }
            _ => {}
        }
    }
    (imports, exports)
}

/// Interfaces (without their version) a component may import.
const ALLOWED: &[&str] = &[
    "imgpipe:image/types",
    "wasi:io/poll",
    "wasi:io/error",
    "wasi:io/streams",
    "wasi:clocks/monotonic-clock",
    "wasi:clocks/wall-clock",
    "wasi:random/insecure-seed",
    "wasi:cli/environment",
    "wasi:cli/exit",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:cli/terminal-input",
    "wasi:cli/terminal-output",
    "wasi:cli/terminal-stdin",
    "wasi:cli/terminal-stdout",
    "wasi:cli/terminal-stderr",
];

fn check(path: &Path, extra_allowed: &[&str], expected_exports: &[&str]) {
    let (imports, exports) = interface(path);
    assert!(!imports.is_empty(), "{}: no imports found", path.display());
    for import in &imports {
        let bare = import.split('@').next().unwrap();
        assert!(
            ALLOWED.contains(&bare) || extra_allowed.contains(&bare),
            "{} imports {import}, which it must not need",
            path.display()
        );
    }
    let bare_exports: Vec<&str> = exports
        .iter()
        .map(|e| e.split('@').next().unwrap())
        .collect();
    assert_eq!(bare_exports, expected_exports, "{}", path.display());
}

#[test]
fn the_processor_imports_no_capability() {
    check(
        &imgpipe::component_path(),
        &[],
        &["imgpipe:image/processor"],
    );
}

#[test]
fn the_served_component_imports_only_the_http_types_it_answers_with() {
    // wasi:http/types for the incoming request and its response; never outgoing-handler.
    check(
        &imgpipe::server::served_component_path(),
        &["wasi:http/types"],
        &["wasi:http/incoming-handler"],
    );
}

/// A component exporting the processor interface with the functions `names`, each of them
/// `func() -> u32`: the WIT's names with none of its types.
fn impostor(names: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let exports: String = names
        .iter()
        .map(|name| format!("(export \"{name}\" (func $f))"))
        .collect();
    let text = format!(
        r#"(component
            (core module $m (func (export "f") (result i32) i32.const 7))
            (core instance $i (instantiate $m))
            (func $f (result u32) (canon lift (core func $i "f")))
            (instance $processor {exports})
            (export "imgpipe:image/processor@0.1.0" (instance $processor)))"#
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("impostor.wasm");
    std::fs::write(&path, wat::parse_str(&text).unwrap()).unwrap();
    (dir, path)
}

#[test]
fn a_component_with_the_processors_names_but_other_types_is_refused_before_any_call() {
    let (_dir, path) = impostor(&["process", "process-with-format", "inspect", "stats"]);
    let runtime = Runtime::new(RuntimeConfig {
        component: path,
        ..RuntimeConfig::default()
    })
    .unwrap();
    // Twice, on two instances: a failed check is not remembered as a pass.
    for _ in 0..2 {
        let err = runtime
            .processor()
            .stats()
            .expect_err("`stats` returns a u32 here, not instance-stats");
        assert!(format!("{err:#}").contains("type mismatch"), "{err:#}");
    }
}

#[test]
fn a_component_lacking_a_processor_function_is_refused_when_loaded() {
    let (_dir, path) = impostor(&["process", "process-with-format", "inspect"]);
    let err = Runtime::new(RuntimeConfig {
        component: path,
        ..RuntimeConfig::default()
    })
    .err()
    .expect("a component without `stats` is refused");
    assert!(
        format!("{err:#}").contains("has no function stats"),
        "{err:#}"
    );
}

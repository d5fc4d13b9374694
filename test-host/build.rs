//! Builds the image-processor component and the HTTP gateway for wasm32-wasip2, and composes
//! them into one servable component (what `wac plug gateway.wasm --plug processor.wasm` does, with
//! the same library), so that `cargo run`, `cargo test` and `cargo build` of the host need no
//! separate step. The paths reach the host as `IMGPIPE_COMPONENT_PATH` and `IMGPIPE_SERVED_PATH`.
//!
//! The component is built by a nested cargo into its own target directory (next to the host's),
//! so the two builds never wait on each other's lock, and offline, so that it never reaches the
//! network. It only checks and explains: when the wasm target, the C toolchain for libwebp or a
//! crate is missing, it stops, names what is missing and points at `scripts/setup`, which is
//! where anything gets set up.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-wasip2";
const PROFILE: &str = "component";
const PACKAGES: [&str; 2] = ["imgpipe-component", "imgpipe-gateway"];
/// The patched compiler the host's wasmtime uses (its PATCHES.md), relative to the root.
const COMPILER: &str = "test-host/vendor/wasmtime-internal-cranelift/src";

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest_dir
        .parent()
        .expect("test-host sits in the workspace root")
        .to_path_buf();
    for path in [
        "component/src",
        "component/build.rs",
        "component/names",
        "component/Cargo.toml",
        "component/gateway/src",
        "component/gateway/Cargo.toml",
        // The patched codecs and the SSE2 headers libwebp is compiled with.
        "component/vendor",
        "wit",
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
        "scripts/wasm32-cc",
        COMPILER,
    ] {
        // Relative to this package's root: cargo hashes a workspace's units without their
        // path, so two clones sharing a target directory share this script's record, and an
        // absolute path would have one clone watch the other's sources.
        println!("cargo:rerun-if-changed=../{path}");
    }
    println!("cargo:rerun-if-env-changed=IMGPIPE_SKIP_COMPONENT_BUILD");
    // The compiled-code cache's key names the code this compiler emits (src/cache.rs), which
    // wasmtime's own compatibility hash does not: a hash of its sources.
    println!(
        "cargo:rustc-env=IMGPIPE_COMPILER_HASH={:016x}",
        hash_tree(&root.join(COMPILER))
    );

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    // OUT_DIR is <target>/<profile>/build/<pkg>-<hash>/out.
    let host_target_dir = out_dir.ancestors().nth(4).unwrap_or(&out_dir).to_path_buf();
    let target_dir = host_target_dir.join("component-build");
    let wasm_dir = target_dir.join(TARGET).join(PROFILE);
    let wasm = wasm_dir.join("imgpipe_component.wasm");
    let gateway = wasm_dir.join("imgpipe_gateway.wasm");
    let served = wasm_dir.join("imgpipe_served.wasm");
    println!("cargo:rustc-env=IMGPIPE_COMPONENT_PATH={}", wasm.display());
    println!("cargo:rustc-env=IMGPIPE_SERVED_PATH={}", served.display());

    if env::var_os("IMGPIPE_SKIP_COMPONENT_BUILD").is_some() {
        // The components built before are embedded as they are.
        for name in ["COMPONENT", "SERVED"] {
            println!("cargo:rustc-env=IMGPIPE_{name}_HASH=unhashed");
        }
        return;
    }
    let missing = missing_prerequisites();
    if !missing.is_empty() {
        panic!(
            "building the components for {TARGET} needs {}; run `scripts/setup` for them \
             (the rustup target {TARGET}; Debian's packages clang-19, llvm-19 and wasi-libc)",
            missing.join(", ")
        );
    }

    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(cargo)
        .current_dir(&root)
        // Offline: the crates are already in cargo's cache, put there by scripts/setup.
        .args(["build", "--locked", "--offline"])
        .args(PACKAGES.iter().flat_map(|p| ["-p", p]))
        .args(["--target", TARGET, "--profile", PROFILE])
        .arg("--target-dir")
        .arg(&target_dir)
        // The host's own flags and wrappers (clippy, coverage) are not the component's.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .expect("run cargo to build the component");
    if !status.success() {
        panic!(
            "building the components for {TARGET} failed (see above); if a crate is missing, \
             run `scripts/setup`: builds here work offline"
        );
    }
    if let Err(e) = compose(&gateway, &wasm, &served) {
        panic!(
            "composing {} with {} failed: {e:#}",
            gateway.display(),
            wasm.display()
        );
    }
    // The binary carries both components (`src/embedded.rs`); a hash of each names the copy it
    // writes out, so a rebuilt component never meets an old copy or its compiled code.
    for (name, path) in [("COMPONENT", &wasm), ("SERVED", &served)] {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        std::hash::Hash::hash(&bytes, &mut hasher);
        let hash = std::hash::Hasher::finish(&hasher);
        println!("cargo:rustc-env=IMGPIPE_{name}_HASH={hash:016x}");
    }
}

/// Plugs the processor into the gateway's processor import, as `wac plug` does, and writes the
/// result only when it changed (so the host's `.cwasm` cache, keyed by mtime, stays valid).
fn compose(gateway: &Path, processor: &Path, out: &Path) -> anyhow::Result<()> {
    use anyhow::Context;
    use wac_graph::{CompositionGraph, EncodeOptions, types::Package};

    let read = |p: &Path| std::fs::read(p).with_context(|| format!("read {}", p.display()));
    let mut graph = CompositionGraph::new();
    let socket = Package::from_bytes("imgpipe:gateway", None, read(gateway)?, graph.types_mut())?;
    let socket = graph.register_package(socket)?;
    let plug = Package::from_bytes(
        "imgpipe:processor",
        None,
        read(processor)?,
        graph.types_mut(),
    )?;
    let plug = graph.register_package(plug)?;
    wac_graph::plug(&mut graph, vec![plug], socket)?;
    let bytes = graph.encode(EncodeOptions::default())?;
    if std::fs::read(out).ok().as_deref() != Some(bytes.as_slice()) {
        std::fs::write(out, bytes).with_context(|| format!("write {}", out.display()))?;
    }
    Ok(())
}

/// What of the wasm32-wasip2 standard library, Debian's clang-19 and wasi-libc (libwebp's C)
/// is missing.
fn missing_prerequisites() -> Vec<&'static str> {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let sysroot = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let has_target = sysroot.is_some_and(|s| s.join("lib/rustlib").join(TARGET).exists());
    let has_clang = Command::new("clang-19").arg("--version").output().is_ok();
    let has_libc = Path::new("/usr/include/wasm32-wasi/stdlib.h").exists();
    [
        (has_target, "the wasm32-wasip2 target"),
        (has_clang, "clang-19"),
        (has_libc, "wasi-libc"),
    ]
    .into_iter()
    .filter_map(|(present, what)| (!present).then_some(what))
    .collect()
}

/// A hash of the files under `dir`: their paths below it and their bytes, in name order.
fn hash_tree(dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    fn walk(dir: &Path, base: &Path, hasher: &mut std::collections::hash_map::DefaultHasher) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, base, hasher);
            } else {
                path.strip_prefix(base).unwrap_or(&path).hash(hasher);
                std::fs::read(&path)
                    .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
                    .hash(hasher);
            }
        }
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    walk(dir, dir, &mut hasher);
    hasher.finish()
}

//! Compiled-code cache: the component's machine code is written next to the `.wasm` as a
//! `.cwasm` named by a hash of the wasm file's size and modification time, the engine's
//! settings and the patched compiler's sources, so a rebuilt component, another engine or
//! another compiler never loads stale code, and a fresh
//! process starts in milliseconds without reading the 4 MB `.wasm` (measured: reading and
//! hashing it was about half of an 11 ms `imgpipe inspect`).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use wasmtime::Engine;
use wasmtime::Result;
use wasmtime::component::Component;
use wasmtime::error::Context;

/// Loads `wasm` as a component, from the compiled cache when it is current.
pub fn load(engine: &Engine, wasm: &Path) -> Result<Component> {
    let meta =
        std::fs::metadata(wasm).with_context(|| format!("read component {}", wasm.display()))?;
    let cwasm = cached_path(engine, wasm, &meta);
    if cwasm.exists() {
        // SAFETY: the file is one this function wrote with this engine's settings (its name
        // carries their hash) and is not edited by anything else.
        match unsafe { Component::deserialize_file(engine, &cwasm) } {
            Ok(component) => return Ok(component),
            Err(e) => eprintln!(
                "imgpipe: ignoring unusable cache {}: {e:#}",
                cwasm.display()
            ),
        }
    }
    let bytes =
        std::fs::read(wasm).with_context(|| format!("read component {}", wasm.display()))?;
    let compiled = engine
        .precompile_component(&bytes)
        .with_context(|| format!("compile component {}", wasm.display()))?;
    // Write then rename, so concurrent processes never read a half-written file.
    let tmp = cwasm.with_extension(format!("cwasm.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, &compiled).is_ok() && std::fs::rename(&tmp, &cwasm).is_ok() {
        remove_stale(&cwasm);
    }
    // SAFETY: `compiled` was produced just now by `precompile_component` on this engine.
    unsafe { Component::deserialize(engine, &compiled) }.context("load compiled component")
}

/// Removes the caches of earlier builds of the same component (same stem, other hash).
fn remove_stale(current: &Path) {
    let name = current.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if let Some((stem, _)) = name.split_once('.') {
        remove_siblings(current, &format!("{stem}."), ".cwasm", None);
    }
}

/// Removes the files beside `current` whose names start with `prefix` and end with `suffix`
/// (`current` excepted), when at least `min_age` old, if given.
pub(crate) fn remove_siblings(
    current: &Path,
    prefix: &str,
    suffix: &str,
    min_age: Option<std::time::Duration>,
) {
    let (Some(dir), Some(keep)) = (current.parent(), current.file_name()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(text) = file.to_str() else { continue };
        let old_enough = min_age.is_none_or(|min| {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age >= min)
        });
        if file != keep && text.starts_with(prefix) && text.ends_with(suffix) && old_enough {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Names the code the vendored compiler emits (`test-host/vendor/wasmtime-internal-cranelift`,
/// its PATCHES.md): a hash of its sources, made by the build script. Wasmtime's compatibility
/// hash covers its version and settings only, so without this a host built with another
/// patch (or none) would load code compiled before it; that code would run correctly (each
/// `.cwasm` carries its own trampolines) but not as compiled now.
const COMPILER_PATCH: &str = env!("IMGPIPE_COMPILER_HASH");

fn cached_path(engine: &Engine, wasm: &Path, meta: &std::fs::Metadata) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    meta.len().hash(&mut hasher);
    meta.modified().ok().hash(&mut hasher);
    engine.precompile_compatibility_hash().hash(&mut hasher);
    COMPILER_PATCH.hash(&mut hasher);
    let stem = wasm
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("component");
    wasm.with_file_name(format!("{stem}.{:016x}.cwasm", hasher.finish()))
}

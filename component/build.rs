//! Links the component with an initial linear memory of
//! [`imgpipe_names::INITIAL_MEMORY_BYTES`] (why: see there). Native builds of the same crate
//! (benchmarks, fuzzing) take no linker argument: `--initial-memory` is wasm-ld's alone.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        let bytes = imgpipe_names::INITIAL_MEMORY_BYTES;
        println!("cargo:rustc-link-arg-cdylib=--initial-memory={bytes}");
    }
}

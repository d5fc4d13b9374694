//! The two components, built by `build.rs`, carried inside the binary: an installed `imgpipe`
//! (`cargo install --path test-host`) needs nothing from the checkout or its target directory.
//! On first use each is written to the cache directory under a name carrying a hash of its bytes
//! (computed by `build.rs`), and loaded from there like any component file, so the
//! compiled-code cache (`cache.rs`) keeps its `.cwasm` beside it and a fresh process starts in
//! milliseconds.

use std::path::PathBuf;

/// A component the binary carries.
pub struct Embedded {
    /// The file name's stem.
    name: &'static str,
    bytes: &'static [u8],
    hash: &'static str,
}

/// The image-processor component.
pub static PROCESSOR: Embedded = Embedded {
    name: "imgpipe_component",
    bytes: include_bytes!(env!("IMGPIPE_COMPONENT_PATH")),
    hash: env!("IMGPIPE_COMPONENT_HASH"),
};

/// The servable component: the HTTP gateway with the processor plugged in.
pub static SERVED: Embedded = Embedded {
    name: "imgpipe_served",
    bytes: include_bytes!(env!("IMGPIPE_SERVED_PATH")),
    hash: env!("IMGPIPE_SERVED_HASH"),
};

impl Embedded {
    /// The component as a file: the copy in the cache directory, written now if it is not
    /// there; `None` when it cannot be written (the caller falls back to the build's own file).
    pub fn file(&self) -> Option<PathBuf> {
        let dir = cache_dir()?;
        let path = dir.join(format!(
            "{}-{}-{}.wasm",
            self.name,
            env!("CARGO_PKG_VERSION"),
            self.hash
        ));
        if std::fs::metadata(&path).is_ok_and(|m| m.len() == self.bytes.len() as u64) {
            return Some(path);
        }
        std::fs::create_dir_all(&dir).ok()?;
        // Write then rename, so a concurrent process never loads half a file.
        let tmp = path.with_extension(format!("wasm.{}.tmp", std::process::id()));
        std::fs::write(&tmp, self.bytes).ok()?;
        std::fs::rename(&tmp, &path).ok()?;
        // Copies other builds wrote more than a day ago (their `.cwasm` go the same way when
        // this copy is compiled); a recent one may belong to another checkout in use.
        let day = std::time::Duration::from_secs(24 * 3600);
        crate::cache::remove_siblings(&path, &format!("{}-", self.name), ".wasm", Some(day));
        Some(path)
    }
}

/// `$IMGPIPE_CACHE_DIR`, else `$XDG_CACHE_HOME/imgpipe`, else `~/.cache/imgpipe`.
fn cache_dir() -> Option<PathBuf> {
    let env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("IMGPIPE_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("imgpipe")))
        .or_else(|| env("HOME").map(|h| h.join(".cache/imgpipe")))
}

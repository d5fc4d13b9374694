# Sourced, not run, by the project's scripts: the settings they all share, set once here.

# One target directory outside the clone, reused across clones and runs (wasmtime takes minutes
# to build); the examples and bench/run.mjs read the same default.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/imgpipe-target}"
# Nothing installs behind a command's back: rustup stops with an error instead of downloading a
# toolchain that rust-toolchain.toml or `cargo +nightly` names. scripts/setup installs.
export RUSTUP_AUTO_INSTALL=0
# The Python environment scripts/setup makes (wasmtime-py for the tests and the Python example,
# wash for the wasmCloud test); the tests read IMGPIPE_VENV too.
export IMGPIPE_VENV="${IMGPIPE_VENV:-$HOME/.cache/imgpipe-venv}"
venv="$IMGPIPE_VENV"

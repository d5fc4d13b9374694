//! One component instance with limits: calls go to it until it traps (time or memory limit, or
//! a bug), after which the next call gets a fresh instance.

use wasmtime::component::ResourceTable;
use wasmtime::{Result, format_err};
use wasmtime::{Store, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::exports::Functions;
use crate::runtime::Runtime;
use crate::wit::{Error, ErrorKind, ImageInfo, InstanceStats, Options, OutputFormat, Processed};

/// Per-instance host state: WASI (no files, no network, no environment) and the limits.
pub struct State {
    wasi: WasiCtx,
    table: ResourceTable,
    limits: StoreLimits,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

struct Live {
    store: Store<State>,
    functions: Functions,
}

/// A component instance that processes images one call at a time.
pub struct Processor<'r> {
    runtime: &'r Runtime,
    live: Option<Live>,
    instances: u64,
}

impl<'r> Processor<'r> {
    pub(crate) fn new(runtime: &'r Runtime) -> Self {
        Processor {
            runtime,
            live: None,
            instances: 0,
        }
    }

    /// Creates the instance now rather than on the first call (to time instantiation, or to
    /// fail early when the pool is exhausted).
    pub fn ensure_instance(&mut self) -> Result<()> {
        if self.live.is_none() {
            self.live = Some(self.instantiate()?);
        }
        Ok(())
    }

    /// How many instances this processor has created (more than one after a trap).
    pub fn instances_created(&self) -> u64 {
        self.instances
    }

    /// Processes `image`; `format` `None` is the plain `process` (JPEG). The outer error is a
    /// host failure (a limit trap); the inner one is the component's answer.
    pub fn process(
        &mut self,
        image: &[u8],
        options: &Options,
        format: Option<OutputFormat>,
    ) -> Result<Result<Processed, Error>> {
        self.call(|live| {
            let f = &live.functions;
            let (out,) = match format {
                None => f.process().call(&mut live.store, (image, options))?,
                Some(format) => f
                    .process_with_format()
                    .call(&mut live.store, (image, options, format))?,
            };
            Ok(out)
        })
    }

    /// Reads `image`'s header.
    pub fn inspect(&mut self, image: &[u8]) -> Result<Result<ImageInfo, Error>> {
        self.call(|live| Ok(live.functions.inspect().call(&mut live.store, (image,))?.0))
    }

    /// The current instance's counters.
    pub fn stats(&mut self) -> Result<InstanceStats> {
        self.call(|live| Ok(live.functions.stats().call(&mut live.store, ())?.0))
    }

    fn call<T>(&mut self, f: impl FnOnce(&mut Live) -> wasmtime::Result<T>) -> Result<T> {
        let live = match &mut self.live {
            Some(live) => live,
            None => {
                let live = self.instantiate()?;
                self.live.insert(live)
            }
        };
        self.runtime.arm_deadline(&mut live.store);
        match f(live) {
            Ok(v) => Ok(v),
            Err(e) => {
                // The instance's state is unknown after a trap: drop it, start afresh next call.
                self.live = None;
                Err(trap_error(e, self.runtime))
            }
        }
    }

    fn instantiate(&mut self) -> Result<Live> {
        let limits = StoreLimitsBuilder::new()
            .memory_size(self.runtime.config.memory_limit)
            .instances(64)
            .build();
        let state = State {
            wasi: WasiCtx::builder().build(),
            table: ResourceTable::new(),
            limits,
        };
        let mut store = Store::new(&self.runtime.engine, state);
        store.limiter(|s| &mut s.limits);
        self.runtime.arm_deadline(&mut store);
        let instance = self.runtime.pre.instantiate(&mut store)?;
        let functions = self.runtime.exports.get(&mut store, &instance)?;
        self.instances += 1;
        Ok(Live { store, functions })
    }
}

fn trap_error(e: wasmtime::Error, runtime: &Runtime) -> wasmtime::Error {
    match e.downcast_ref::<wasmtime::Trap>() {
        Some(wasmtime::Trap::Interrupt) => format_err!(
            "the call exceeded the time limit of {:?} and was stopped",
            runtime.config.time_limit.unwrap_or_default()
        ),
        Some(trap) => format_err!(
            "the component trapped ({trap}); memory limit {} MiB. The instance was replaced",
            runtime.config.memory_limit >> 20
        ),
        None => e.context("call the component"),
    }
}

/// The error's case.
pub fn error_kind(e: &Error) -> imgpipe_names::ErrorKind {
    let kind = match e {
        Error::EmptyInput(_) => ErrorKind::EmptyInput,
        Error::UnsupportedFormat(_) => ErrorKind::UnsupportedFormat,
        Error::DecodeFailed(_) => ErrorKind::DecodeFailed,
        Error::TooLarge(_) => ErrorKind::TooLarge,
        Error::InvalidOption(_) => ErrorKind::InvalidOption,
        Error::EncodeFailed(_) => ErrorKind::EncodeFailed,
    };
    kind.into()
}

/// "case: message", as the CLI prints it (the message names the option for `invalid-option`).
pub fn describe(e: &Error) -> String {
    let message = match e {
        Error::EmptyInput(m)
        | Error::UnsupportedFormat(m)
        | Error::DecodeFailed(m)
        | Error::EncodeFailed(m) => m,
        Error::TooLarge(t) => &t.message,
        Error::InvalidOption(o) => &o.message,
    };
    format!("{}: {message}", error_kind(e))
}

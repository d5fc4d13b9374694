//! The engine, the loaded component and what every instance shares: pooling allocator, epoch
//! ticker for CPU time limits, and a pre-linked `InstancePre`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use wasmtime::Result;
use wasmtime::component::{InstancePre, Linker};
use wasmtime::error::Context;
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::exports::Exports;
use crate::names::INITIAL_MEMORY_BYTES;
use crate::processor::{Processor, State};

/// How often the epoch advances: the granularity of the time limit.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(10);

/// How much of each linear memory the server keeps resident when an instance goes, where
/// Linux's `PAGEMAP_SCAN` (kernel 6.7 and later) can find the pages the instance wrote: those,
/// up to this much, are zeroed in place instead of handed back to the kernel. A server makes an
/// instance per request on several threads, and handing pages back (`madvise`) costs every core
/// a TLB shootdown and the next instance a page fault per page. A request like sharp's
/// benchmark writes about 12 MiB of the processor's memory. A served instance has two memories
/// (gateway and processor), so an idle server keeps at most 2 x 16 MiB per slot, 512 MiB with
/// the default 16 slots, and about 25 MiB after W1-sized work. Measured on W9 (`bench/http`, 16
/// in flight): 10-35% more requests per second in six side-by-side rounds, the same with 16 and
/// 64 MiB, p95 down by as much, peak RSS up 1-2%. The zeroing runs as an instance is dropped
/// (0.4-0.5 ms where a fresh mapping took 0.08), so a [`Runtime`], which keeps its instance
/// from call to call, does without; so does a kernel without the scan, where the first bytes of
/// every memory would be zeroed whether written or not. It is the memory a processor instance
/// starts with ([`INITIAL_MEMORY_BYTES`]), which a request that fits in it never grows.
pub const KEEP_RESIDENT: usize = INITIAL_MEMORY_BYTES;

/// How much of each table slot is zeroed in place when an instance goes, rather than handed
/// back to the kernel, which the next instance paid for with a page fault after a TLB
/// shootdown: enough for the processor's function table (17 KiB in this build). Measured after
/// W1: instantiation p50 47-69 µs against 56-82 (bench/README.md, levers).
const TABLE_KEEP_RESIDENT: usize = 64 << 10;

/// Limits and sizes for a [`Runtime`].
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// The component to load. Default: [`component_path`].
    pub component: PathBuf,
    /// Largest linear memory one instance may grow to. Default 1 GiB: a 100 MP RGBA image is
    /// 400 MB before resizing. At least [`INITIAL_MEMORY_BYTES`]: `Runtime::new` refuses less.
    pub memory_limit: usize,
    /// CPU time one call may take before it is interrupted. Default 30 s. `None`: no limit,
    /// which also leaves the epoch checks out of the compiled code: they sit on every loop's
    /// back edge and cost about 15% on W1 (sharp's benchmark), so trusted batch work may turn
    /// them off. Hostile input should keep a limit.
    pub time_limit: Option<Duration>,
    /// Instances that may exist at once (the pooling allocator's slots). Default 16.
    pub max_instances: u32,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            component: component_path(),
            memory_limit: 1 << 30,
            time_limit: Some(Duration::from_secs(30)),
            max_instances: 16,
        }
    }
}

/// Where the component is: `$IMGPIPE_COMPONENT` if set, else the copy of the one this binary
/// carries (see `embedded`), else the file this crate's build made.
pub fn component_path() -> PathBuf {
    std::env::var_os("IMGPIPE_COMPONENT")
        .map(PathBuf::from)
        .or_else(|| crate::embedded::PROCESSOR.file())
        .unwrap_or_else(|| PathBuf::from(env!("IMGPIPE_COMPONENT_PATH")))
}

/// A loaded component, ready to instantiate cheaply and often.
pub struct Runtime {
    pub(crate) engine: Engine,
    pub(crate) pre: InstancePre<State>,
    pub(crate) exports: Exports,
    pub(crate) config: RuntimeConfig,
    /// Kept only to stop the epoch thread when the runtime is dropped; none without a time limit.
    _ticker: Option<Ticker>,
}

impl Runtime {
    /// Builds the engine and loads `config.component`.
    pub fn new(config: RuntimeConfig) -> Result<Runtime> {
        let interruptible = config.time_limit.is_some();
        let engine = engine(
            config.memory_limit,
            config.max_instances,
            1,
            interruptible,
            false,
        )?;
        let component = crate::cache::load(&engine, &config.component)?;
        let mut linker = Linker::<State>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).context("link WASI")?;
        let pre = linker
            .instantiate_pre(&component)
            .context("pre-instantiate the component")?;
        let exports = Exports::new(&component)?;
        let ticker = interruptible.then(|| Ticker::start(engine.clone()));
        Ok(Runtime {
            engine,
            pre,
            exports,
            config,
            _ticker: ticker,
        })
    }

    /// A processor with its own instance (created on first use).
    pub fn processor(&self) -> Processor<'_> {
        Processor::new(self)
    }

    /// The engine, for hosts that add their own components.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The component's path.
    pub fn component(&self) -> &Path {
        &self.config.component
    }

    /// Gives `store` the time limit for the call about to run, if calls have one.
    pub(crate) fn arm_deadline<T>(&self, store: &mut wasmtime::Store<T>) {
        if let Some(limit) = self.config.time_limit {
            store.set_epoch_deadline((limit.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64);
        }
    }
}

/// An engine with the pooling allocator sized for `max_instances` instances of a component made
/// of `programs` rustc-built programs (1 for the processor, 2 for the served gateway +
/// processor), whose memories may each grow to `memory_limit`, and epoch interruption for time
/// limits when `interruptible`; with `keep_resident` (and the kernel's `PAGEMAP_SCAN`), memories
/// keep [`KEEP_RESIDENT`] of what they wrote from one instance to the next.
pub(crate) fn engine(
    memory_limit: usize,
    max_instances: u32,
    programs: u32,
    interruptible: bool,
    keep_resident: bool,
) -> Result<Engine> {
    // Checked here, before anything is loaded: below it every instantiation of this build's
    // processor would fail. A component given by path is held to its own initial memory as it is
    // loaded: the pooling allocator refuses a memory that starts above `max_memory_size`.
    if memory_limit < INITIAL_MEMORY_BYTES {
        wasmtime::bail!(
            "the memory limit of {} MiB is below the {} MiB a processor instance starts with",
            memory_limit >> 20,
            INITIAL_MEMORY_BYTES >> 20
        );
    }
    let mut pool = PoolingAllocationConfig::new();
    let n = max_instances.max(1);
    // A wasip2 program built by rustc holds a few core instances (the program, shims for
    // indirect calls) with one memory and a few tables.
    let k = programs.max(1);
    pool.total_component_instances(n)
        .total_core_instances(n * 8 * k)
        .total_memories(n * 2 * k)
        .total_tables(n * 8 * k)
        .total_stacks(n)
        .max_memory_size(memory_limit)
        .table_keep_resident(TABLE_KEEP_RESIDENT);
    if keep_resident && PoolingAllocationConfig::is_pagemap_scan_available() {
        pool.linear_memory_keep_resident(KEEP_RESIDENT)
            .pagemap_scan(wasmtime::Enabled::Yes);
    }
    let mut wasm = Config::new();
    // The default 4 GiB reservation per memory (virtual address space only) lets compiled code
    // skip bounds checks on every load and store; the memory limit is enforced on growth.
    wasm.allocation_strategy(InstanceAllocationStrategy::Pooling(pool))
        .epoch_interruption(interruptible);
    Engine::new(&wasm).context("create the wasmtime engine")
}

/// Advances the engine's epoch every [`EPOCH_TICK`] until dropped.
pub(crate) struct Ticker {
    stop: Arc<AtomicBool>,
}

impl Ticker {
    pub(crate) fn start(engine: Engine) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                thread::sleep(EPOCH_TICK);
                engine.increment_epoch();
            }
        });
        Ticker { stop }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

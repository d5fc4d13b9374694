//! The time limit's epoch checks as the vendored compiler emits them
//! (`test-host/vendor/wasmtime-internal-cranelift/PATCHES.md`): the runtime call in a check's
//! cold block is made with the `preserve_all` ABI, so the register allocator keeps values in
//! registers across it. These tests take that call at every loop turn, with more vector and
//! integer values live across it than the System V ABI preserves, and check that every value
//! survives, when the call returns at once and when it yields to another call on the same thread
//! (as the project's server does at every epoch tick), and that the call still interrupts.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use wasmtime::{Config, Engine, Instance, Module, Store, Trap, UpdateDeadline};

/// Vector values live across the loop head: all sixteen SSE registers' worth, none of which the
/// x86-64 System V ABI preserves across a call (AArch64's preserves the low halves of eight).
const VECTORS: usize = 16;
/// Integer values live across it: more than the five callee-saved registers x86-64 leaves to
/// Cranelift.
const INTEGERS: usize = 12;

/// A module exporting `run(turns) -> i64`: a loop whose every turn updates each value from the
/// next one (so none can be folded or recomputed), then a hash of all of them.
fn module_text() -> String {
    let mut wat = String::from("(module (func (export \"run\") (param $n i32) (result i64)\n");
    for i in 0..VECTORS {
        wat += &format!("(local $v{i} v128)\n");
    }
    for i in 0..INTEGERS {
        wat += &format!("(local $x{i} i64)\n");
    }
    for i in 0..VECTORS {
        let k = i as i32 * 4;
        wat += &format!(
            "(local.set $v{i} (v128.const i32x4 {} {} {} {}))\n",
            k + 1,
            k + 2,
            k + 3,
            k + 4
        );
    }
    for i in 0..INTEGERS {
        wat += &format!(
            "(local.set $x{i} (i64.const {}))\n",
            0x9e37_79b9_i64 * (i as i64 + 1)
        );
    }
    wat += "(loop $turn\n";
    for i in 0..VECTORS {
        let next = (i + 1) % VECTORS;
        wat += &format!(
            "(local.set $v{i} (i32x4.add (i32x4.mul (local.get $v{i}) (v128.const i32x4 3 5 7 9)) (local.get $v{next})))\n"
        );
    }
    for i in 0..INTEGERS {
        let next = (i + 1) % INTEGERS;
        wat += &format!(
            "(local.set $x{i} (i64.xor (i64.rotl (local.get $x{i}) (i64.const {})) (local.get $x{next})))\n",
            i + 1
        );
    }
    wat += "(br_if $turn (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))\n";
    // Fold: h = h * 31 + value, over every integer and both halves of every vector.
    let mut hash = String::from("(i64.const 7)");
    let mut fold = |value: String| {
        hash = format!("(i64.add (i64.mul {hash} (i64.const 31)) {value})");
    };
    for i in 0..INTEGERS {
        fold(format!("(local.get $x{i})"));
    }
    for i in 0..VECTORS {
        fold(format!("(i64x2.extract_lane 0 (local.get $v{i}))"));
        fold(format!("(i64x2.extract_lane 1 (local.get $v{i}))"));
    }
    wat += &hash;
    wat += "))\n";
    wat
}

fn engine(epoch_checks: bool) -> Engine {
    let mut config = Config::new();
    config.epoch_interruption(epoch_checks);
    Engine::new(&config).unwrap()
}

/// Runs `run(turns)`; with epoch checks, the deadline callback answers with `answer(calls so
/// far)`, and the number of its calls is returned too.
fn run(
    epoch_checks: bool,
    turns: i32,
    answer: impl Fn(u64) -> UpdateDeadline + Send + Sync + 'static,
) -> (wasmtime::Result<i64>, u64) {
    let engine = engine(epoch_checks);
    let bytes = wat::parse_str(module_text()).unwrap();
    let module = Module::new(&engine, bytes).unwrap();
    let mut store = Store::new(&engine, ());
    let calls = Arc::new(AtomicU64::new(0));
    if epoch_checks {
        // A deadline of the current epoch: every check finds it reached and calls the runtime.
        store.set_epoch_deadline(0);
        let counted = calls.clone();
        store.epoch_deadline_callback(move |_| {
            let n = counted.fetch_add(1, Ordering::Relaxed) + 1;
            // Work that uses the vector registers on the host's side of the call.
            let spread: f64 = (1..=n % 64 + 8).map(|k| (k as f64).sqrt()).sum();
            assert!(spread > 0.0);
            Ok(answer(n))
        });
    }
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let run = instance
        .get_typed_func::<i32, i64>(&mut store, "run")
        .unwrap();
    let result = run.call(&mut store, turns);
    (result, calls.load(Ordering::Relaxed))
}

#[test]
fn values_live_across_an_epoch_check_survive_its_call() {
    const TURNS: i32 = 5_000;
    let (expected, _) = run(false, TURNS, |_| UpdateDeadline::Continue(0));
    let expected = expected.unwrap();
    let (checked, calls) = run(true, TURNS, |_| UpdateDeadline::Continue(0));
    // One check at the function's entry, one at every turn's loop head.
    assert_eq!(
        calls,
        TURNS as u64 + 1,
        "the checks called the runtime {calls} times in {TURNS} turns"
    );
    assert_eq!(
        checked.unwrap(),
        expected,
        "a value changed across the epoch check's call"
    );
}

#[test]
fn a_check_after_the_call_compares_with_the_deadline_the_call_set() {
    // The entry check finds the deadline (epoch 0) reached; the callback moves it one tick on,
    // and no tick comes, so no later check may call again. A check that kept the deadline it
    // had before the call (the call returns nothing, so the check reloads it) would call at
    // every turn.
    let (result, calls) = run(true, 1_000, |_| UpdateDeadline::Continue(1));
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(calls, 1, "the checks called the runtime {calls} times");
}

#[test]
fn the_host_compiles_with_the_patched_compiler() {
    // A dropped `[patch.crates-io]` entry (after a wasmtime update, say) is only a warning to
    // cargo, and every test above passes on the published compiler too: the symbol of the
    // trampoline the epoch check calls says which one compiled this.
    let wasm = wat::parse_str(module_text()).unwrap();
    let compiled = engine(true).precompile_module(&wasm).unwrap();
    let has = |name: &str| compiled.windows(name.len()).any(|w| w == name.as_bytes());
    assert!(
        has("wasmtime_patchable_builtin_new_epoch"),
        "the epoch check does not call the preserve_all trampoline: is \
         test-host/vendor/wasmtime-internal-cranelift patched in (its PATCHES.md)?"
    );
    assert!(!has("wasmtime_builtin_new_epoch"));
}

#[test]
fn values_survive_a_yield_to_another_call_at_every_epoch_check() {
    const TURNS: i32 = 2_000;
    let (expected, _) = run(false, TURNS, |_| UpdateDeadline::Continue(0));
    let expected = expected.unwrap();
    let engine = engine(true);
    let module = Module::new(&engine, wat::parse_str(module_text()).unwrap()).unwrap();
    // Two calls of the same loop with different turn counts take turns on one thread: each
    // check yields to the executor, which resumes the other call, whose loop fills the same
    // registers with its own values.
    let yields = Arc::new(AtomicU64::new(0));
    let call = |turns: i32| {
        let (engine, module, yields) = (engine.clone(), module.clone(), yields.clone());
        async move {
            let mut store = Store::new(&engine, ());
            store.set_epoch_deadline(0);
            store.epoch_deadline_callback(move |_| {
                yields.fetch_add(1, Ordering::Relaxed);
                Ok(UpdateDeadline::Yield(0))
            });
            let instance = Instance::new_async(&mut store, &module, &[]).await?;
            let run = instance.get_typed_func::<i32, i64>(&mut store, "run")?;
            run.call_async(&mut store, turns).await
        }
    };
    let executor = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let (a, b) = executor.block_on(async { tokio::join!(call(TURNS), call(TURNS + 1)) });
    let (other, _) = run(false, TURNS + 1, |_| UpdateDeadline::Continue(0));
    let yields = yields.load(Ordering::Relaxed);
    assert!(
        yields >= 2 * TURNS as u64,
        "{yields} yields in two calls of {TURNS} turns"
    );
    assert_eq!(a.unwrap(), expected, "a value changed across a yield");
    assert_eq!(b.unwrap(), other.unwrap(), "a value changed across a yield");
}

#[test]
fn an_epoch_check_still_interrupts() {
    let (result, calls) = run(true, 1_000_000, |n| {
        if n < 100 {
            UpdateDeadline::Continue(0)
        } else {
            UpdateDeadline::Interrupt
        }
    });
    let err = result.expect_err("the callback's Interrupt stops the call");
    assert_eq!(
        err.downcast_ref::<Trap>(),
        Some(&Trap::Interrupt),
        "{err:#}"
    );
    assert_eq!(calls, 100);
}

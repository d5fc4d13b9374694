//! The processor interface's four functions in one instance, without a type check per instance.
//!
//! The generated bindings (`ImageProcessorPre::instantiate`) look each export up with
//! `get_typed_func`, which checks its Rust signature against the component's types every time:
//! with the `options` record's nested records and variants, a fifth of an instantiation after a
//! W1 call (`perf record --call-graph dwarf` of `imgpipe bench <W1> -n 1 --cold 300`). Every
//! instance comes from the same component, so one check answers for all: [`Exports::new`] finds
//! the functions once, the first instance checks their types (`Func::typed`, the check the
//! bindings make), and every instance after takes them by index unchecked, as the bindings' own
//! calls do.

use std::sync::atomic::{AtomicBool, Ordering};

use wasmtime::component::{
    Component, ComponentExportIndex, ComponentNamedList, Func, Instance, Lift, Lower, TypedFunc,
};
use wasmtime::error::Context;
use wasmtime::{AsContext, AsContextMut, Result, format_err};

use crate::wit::{Error, ImageInfo, InstanceStats, Options, OutputFormat, Processed};

/// The exported interface, as `wit/processor.wit`'s package and interface name it.
const INTERFACE: &str = "imgpipe:image/processor@0.1.0";

/// Where the four functions are in the component, and whether their types were checked.
pub(crate) struct Exports {
    process: ComponentExportIndex,
    process_with_format: ComponentExportIndex,
    inspect: ComponentExportIndex,
    stats: ComponentExportIndex,
    checked: AtomicBool,
}

impl Exports {
    /// Finds the functions by name, once per component.
    pub(crate) fn new(component: &Component) -> Result<Exports> {
        let interface = component
            .get_export_index(None, INTERFACE)
            .ok_or_else(|| format_err!("the component does not export {INTERFACE}"))?;
        let func = |name: &str| {
            component
                .get_export_index(Some(&interface), name)
                .ok_or_else(|| format_err!("the component's {INTERFACE} has no function {name}"))
        };
        Ok(Exports {
            process: func("process")?,
            process_with_format: func("process-with-format")?,
            inspect: func("inspect")?,
            stats: func("stats")?,
            checked: AtomicBool::new(false),
        })
    }

    /// The functions in `instance`, an instance of this component; their types are checked on
    /// the first instance only.
    pub(crate) fn get(
        &self,
        mut store: impl AsContextMut,
        instance: &Instance,
    ) -> Result<Functions> {
        let mut func = |index: &ComponentExportIndex| {
            instance
                .get_func(&mut store, index)
                .ok_or_else(|| format_err!("the instance lacks a function its component exports"))
        };
        let functions = Functions {
            process: func(&self.process)?,
            process_with_format: func(&self.process_with_format)?,
            inspect: func(&self.inspect)?,
            stats: func(&self.stats)?,
        };
        if !self.checked.load(Ordering::Acquire) {
            // Threads instantiating at once may each check; all get the same answer.
            check(functions.process(), &store)
                .and_then(|()| check(functions.process_with_format(), &store))
                .and_then(|()| check(functions.inspect(), &store))
                .and_then(|()| check(functions.stats(), &store))
                .with_context(|| {
                    format!("the component's {INTERFACE} has other types than this host's WIT")
                })?;
            self.checked.store(true, Ordering::Release);
        }
        Ok(functions)
    }
}

/// Checks that `func`'s function has the types `func` claims.
fn check<P, R>(func: TypedFunc<P, R>, store: impl AsContext) -> Result<()>
where
    P: ComponentNamedList + Lower,
    R: ComponentNamedList + Lift,
{
    func.func().typed::<P, R>(store)?;
    Ok(())
}

/// The processor's functions in one instance, each typed by one method below: the one place
/// its signature is written, for the check and for the calls.
pub(crate) struct Functions {
    process: Func,
    process_with_format: Func,
    inspect: Func,
    stats: Func,
}

// SAFETY (every `new_unchecked` below): a `Functions` comes only from `Exports::get`, which
// checked these signatures with `check` on its component's first instance, and every instance
// of a component has that component's types. Until the check has passed, the typed functions
// are only checked, never called.
impl Functions {
    #[allow(clippy::type_complexity)]
    pub(crate) fn process<'a>(
        &self,
    ) -> TypedFunc<(&'a [u8], &'a Options), (Result<Processed, Error>,)> {
        unsafe { TypedFunc::new_unchecked(self.process) }
    }

    #[allow(clippy::type_complexity)]
    pub(crate) fn process_with_format<'a>(
        &self,
    ) -> TypedFunc<(&'a [u8], &'a Options, OutputFormat), (Result<Processed, Error>,)> {
        unsafe { TypedFunc::new_unchecked(self.process_with_format) }
    }

    pub(crate) fn inspect<'a>(&self) -> TypedFunc<(&'a [u8],), (Result<ImageInfo, Error>,)> {
        unsafe { TypedFunc::new_unchecked(self.inspect) }
    }

    pub(crate) fn stats(&self) -> TypedFunc<(), (InstanceStats,)> {
        unsafe { TypedFunc::new_unchecked(self.stats) }
    }
}

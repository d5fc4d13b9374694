//! Calls leak nothing: the heap holds as many bytes after repeated calls as before them, for
//! every decoder and the animation encoders. The regression test for rav1d's picture release,
//! which leaked 48 bytes a picture (found by the fuzz target's leak checker); in the component a
//! leak is an instance whose memory grows with every call.
//!
//! One test in its own binary: the counting allocator sees every thread of the process.

#![allow(clippy::unwrap_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicIsize, Ordering};

use imgpipe_component::{Options, OutputFormat, process};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

fn count(bytes: usize, sign: isize) {
    LIVE.fetch_add(
        sign * isize::try_from(bytes).unwrap_or(isize::MAX),
        Ordering::SeqCst,
    );
}

// SAFETY: every call is forwarded to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size(), 1);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size(), 1);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(layout.size(), -1);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size, 1);
            count(layout.size(), -1);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn repeated_calls_leave_the_heap_as_they_found_it() {
    let images = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-host/tests/images");
    let cases = [
        ("formats/photo.avif", OutputFormat::Png),
        ("formats/photo-grid.avif", OutputFormat::Png),
        ("formats/logo-10bit-alpha.avif", OutputFormat::Png),
        ("formats/photo.heic", OutputFormat::Png),
        ("formats/photo.jxl", OutputFormat::Png),
        ("formats/logo-lossless.jxl", OutputFormat::Png),
        ("sharp/animated-loop-3.gif", OutputFormat::Webp),
        ("sharp/animated-loop-3.webp", OutputFormat::Gif),
    ];
    for (name, format) in cases {
        let input = std::fs::read(images.join(name)).unwrap();
        let run = || process(&input, &Options::default(), format).unwrap();
        // The first call may set up what lives as long as the process (rav1d's tables).
        drop(run());
        let before = LIVE.load(Ordering::SeqCst);
        for _ in 0..3 {
            drop(run());
        }
        let after = LIVE.load(Ordering::SeqCst);
        assert_eq!(
            after,
            before,
            "{name} to {format:?}: {} bytes kept",
            after - before
        );
    }
}

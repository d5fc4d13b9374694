//! Memory over time: many calls on one instance leave linear memory flat after warm-up (the
//! article's service ran out of memory after ~4,000 calls).

use imgpipe::wit::OutputFormat;

use crate::*;

#[test]
fn ten_thousand_calls_keep_memory_flat() {
    let mut p = processor();
    let inputs = [
        fixture("pngsuite/basn2c08.png"),
        fixture("pngsuite/basn6a08.png"),
        fixture("sharp/corrupt-header.jpg"),
    ];
    let options = size(16, 16);
    let mut after_warm_up = 0;
    for i in 0..10_000 {
        let input = &inputs[i % inputs.len()];
        let format = if i % 2 == 0 {
            OutputFormat::Jpeg
        } else {
            OutputFormat::Png
        };
        let result = p.process(input, &options, Some(format)).unwrap();
        assert_eq!(result.is_ok(), i % 3 != 2, "call {i}");
        if i == 99 {
            after_warm_up = p.stats().unwrap().memory_bytes;
        }
    }
    let s = p.stats().unwrap();
    assert_eq!(s.calls, 10_000);
    assert_eq!(p.instances_created(), 1);
    assert_eq!(
        s.memory_bytes, after_warm_up,
        "linear memory grew after warm-up"
    );
}

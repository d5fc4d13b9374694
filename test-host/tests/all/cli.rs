//! The `imgpipe` command line: process, inspect, batch, and how it reports failure.

use std::process::Command;

use crate::*;

fn imgpipe() -> Command {
    Command::new(env!("CARGO_BIN_EXE_imgpipe"))
}

#[test]
fn process_writes_the_format_of_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures().join("sharp/2569067123_aca715a2ee_o.jpg");
    for (ext, magic) in [
        ("jpg", &b"\xFF\xD8\xFF"[..]),
        ("png", b"\x89PNG"),
        ("webp", b"RIFF"),
        ("avif", b"\0\0\0"),
    ] {
        let out = dir.path().join(format!("out.{ext}"));
        let result = imgpipe()
            .arg("process")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .args([
                "--max-width",
                "360",
                "--max-height",
                "294",
                "--quality",
                "80",
            ])
            .output()
            .unwrap();
        assert!(
            result.status.success(),
            "{ext}: {}",
            String::from_utf8_lossy(&result.stderr)
        );
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(magic), "{ext}");
        assert_eq!(decode(&bytes).dimensions(), (360, 294), "{ext}");
        assert!(String::from_utf8_lossy(&result.stdout).contains("360x294"));
    }
}

#[test]
fn inspect_prints_the_header() {
    let result = imgpipe()
        .arg("inspect")
        .arg(fixtures().join("sharp/Portrait_6.jpg"))
        .output()
        .unwrap();
    assert!(result.status.success());
    let text = String::from_utf8_lossy(&result.stdout);
    assert!(
        text.contains("format:      jpeg") && text.contains("orientation: 6"),
        "{text}"
    );
}

#[test]
fn bad_input_exits_non_zero_with_the_case_and_no_backtrace() {
    let dir = tempfile::tempdir().unwrap();
    let result = imgpipe()
        .arg("process")
        .arg(fixtures().join("sharp/corrupt-header.jpg"))
        .arg("-o")
        .arg(dir.path().join("x.jpg"))
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.starts_with("error: decode-failed: decode JPEG:"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("backtrace") && !stderr.contains("panicked") && !stderr.contains("wasm"),
        "{stderr}"
    );
    assert!(!dir.path().join("x.jpg").exists());
}

#[test]
fn serve_refuses_a_memory_limit_below_the_initial_memory_before_listening() {
    let below = (imgpipe::names::INITIAL_MEMORY_BYTES >> 20) - 1;
    // Port 0 and loopback: were the limit accepted, the server would start; the child is
    // killed below in that case so that the test never leaves it running.
    let mut child = imgpipe()
        .args(["serve", "--addr", "127.0.0.1:0", "--memory-limit-mib"])
        .arg(below.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let status = status.expect("serve exits at once on a memory limit no instance fits in");
    assert_eq!(status.code(), Some(2));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    // The argument parser's own refusal, not the engine's (which exits 2 as well).
    assert!(
        stderr.contains("--memory-limit-mib") && stderr.contains("is not in"),
        "{stderr}"
    );
}

#[test]
fn batch_processes_a_folder_and_summarises() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for name in [
        "Landscape_1.jpg",
        "Portrait_5.jpg",
        "5_webp_a.webp",
        "corrupt-header.jpg",
    ] {
        std::fs::copy(fixtures().join("sharp").join(name), input.join(name)).unwrap();
    }
    let output = dir.path().join("out");
    let result = imgpipe()
        .arg("batch")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .args(["--format", "webp", "--max-width", "64"])
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let text = String::from_utf8_lossy(&result.stdout);
    assert!(text.contains("processed 4 files: 3 ok, 1 failed"), "{text}");
    assert!(text.contains("decode-failed 1"), "{text}");
    let mut written: Vec<_> = std::fs::read_dir(&output)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    assert_eq!(
        written,
        ["5_webp_a.webp", "Landscape_1.webp", "Portrait_5.webp"]
    );
}

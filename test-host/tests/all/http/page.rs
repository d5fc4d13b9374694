//! The upload page in headless Chromium: pick a fixture, submit, and see the result rendered at
//! the size asked for, with its details beside the original. The screenshot is kept in the
//! target directory as the test's artefact.

use std::path::PathBuf;

use super::*;
use crate::browser::Browser;
use crate::fixtures;

#[test]
fn upload_page_processes_a_file_in_chromium() {
    let server = &servers()[0];
    healthy(server);
    let mut browser = Browser::start();
    browser.open(&format!("{}/", server.base));
    browser.choose_file(
        "#file",
        &fixtures().join("sharp/2569067123_aca715a2ee_o.jpg"),
    );
    browser.submit(&[("w", "360"), ("h", "360"), ("format", "webp")]);
    let state = browser.eval(
        "({ status: document.getElementById('status').textContent,
            width: document.getElementById('result').naturalWidth,
            height: document.getElementById('result').naturalHeight,
            info: document.getElementById('result-info').textContent,
            original: document.getElementById('original-info').textContent })",
    );
    let artefact = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("upload-page.png");
    std::fs::write(&artefact, browser.screenshot()).unwrap();
    eprintln!("screenshot: {}", artefact.display());

    assert_eq!(state["status"], "done", "{state}");
    assert_eq!(
        (state["width"].as_u64(), state["height"].as_u64()),
        (Some(360), Some(294)),
        "{state}"
    );
    let info = state["info"].as_str().unwrap();
    assert!(
        info.contains("360x294") && info.contains("image/webp") && info.contains("ms"),
        "{info}"
    );
    assert!(
        state["original"].as_str().unwrap().contains("2725x2225"),
        "{state}"
    );
}

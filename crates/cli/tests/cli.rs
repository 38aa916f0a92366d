//! The `irdoc` binary on the real fixtures.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/data/wikitech/");

fn fixture(name: &str) -> String {
    format!("{FIXTURES}{name}")
}

fn irdoc(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_irdoc"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

const VARNISH: &str = "2024-12-03_Port_saturation_Varnish_HEAD-GET.txt";

#[test]
fn version_and_help() {
    assert!(stdout(&irdoc(&["--version"], "")).starts_with("irdoc 0."));
    let help = irdoc(&["--help"], "");
    assert!(help.status.success());
    assert!(stdout(&help).contains("irdoc check FILE"));
}

#[test]
fn import_then_export_gives_the_page_back() {
    for name in std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
    {
        if name.extension().is_some_and(|e| e == "txt") {
            let page = std::fs::read_to_string(&name).unwrap();
            let json = irdoc(&["import", name.to_str().unwrap()], "");
            assert!(json.status.success());
            let back = irdoc(&["export", "-"], &stdout(&json));
            assert_eq!(stdout(&back), page, "{}", name.display());
        }
    }
}

#[test]
fn documents_import_as_the_report_they_show() {
    let rendered = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/data/rendered/");
    let page = stdout(&irdoc(&["score", "--json", &fixture(VARNISH)], ""));
    let document = format!("{rendered}{}", VARNISH.replace(".txt", ""));
    for args in [
        vec!["import".to_owned(), format!("{document}.html")],
        vec![
            "import".into(),
            "--from".into(),
            "text".into(),
            format!("{document}.txt"),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let json = irdoc(&args, "");
        assert!(json.status.success(), "{args:?}");
        // The review goes to stderr, the report to stdout.
        let review = String::from_utf8(json.stderr.clone()).unwrap();
        assert!(review.contains("Timeline: 22 timeline entries"), "{review}");
        assert_eq!(
            stdout(&irdoc(&["score", "--json", "-"], &stdout(&json))),
            page
        );
    }
    let bad = irdoc(&["import", "--from", "pdf", &fixture(VARNISH)], "");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn check_reports_the_varnish_total_and_exits_1() {
    let out = irdoc(&["check", &fixture(VARNISH)], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("states a total of 6, but its answers count 7"));
    let json = irdoc(&["check", "--json", &fixture(VARNISH)], "");
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["errors"], 1);
    assert_eq!(v["findings"][0]["code"], "score-total");
}

#[test]
fn score_json_has_the_documented_shape() {
    let out = irdoc(
        &["score", "--json", "-"],
        &std::fs::read_to_string(fixture(VARNISH)).unwrap(),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"total": 7, "stated": 6, "categories": {"People": 1, "Process": 2, "Tooling": 4}, "unanswered": 0})
    );
    let gerrit = irdoc(
        &[
            "score",
            "--json",
            &fixture("2025-04-30_Gerrit_data_corruption.txt"),
        ],
        "",
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&gerrit)).unwrap();
    assert_eq!(
        (v["stated"].clone(), v["unanswered"].clone()),
        (serde_json::Value::Null, 2.into())
    );
}

#[test]
fn bad_input_names_file_and_line() {
    let out = irdoc(&["check", "-"], "{\n  \"title\": 3\n}");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("irdoc: <stdin>:2:"), "{err}");
    let missing = irdoc(&["score", "/nonexistent.wiki"], "");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8(missing.stderr)
        .unwrap()
        .contains("/nonexistent.wiki"));
    assert_eq!(irdoc(&["frobnicate"], "").status.code(), Some(2));
}

#[test]
fn import_warnings_go_to_stderr_with_lines() {
    let out = irdoc(&["import", "-"], "== Summary ==\nx\n== Impact ==\ny");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("<stdin>:3: warning: section “Impact”"),
        "{err}"
    );
}

#[test]
fn share_prints_a_link_that_decodes_to_the_report() {
    let out = irdoc(
        &[
            "share",
            &fixture(VARNISH),
            "--base",
            "https://example.org/irdoc/",
        ],
        "",
    );
    let link = stdout(&out);
    let data = link
        .trim()
        .strip_prefix("https://example.org/irdoc/#share=")
        .unwrap();
    let shared =
        irdoc_core::share::read_payload(&irdoc_core::share::decode(data).unwrap()).unwrap();
    assert_eq!(
        irdoc_core::export(&shared.report),
        std::fs::read_to_string(fixture(VARNISH)).unwrap()
    );
}

#[test]
fn open_gives_back_the_page_in_a_share_link() {
    let page = std::fs::read_to_string(fixture(VARNISH)).unwrap();
    let link = stdout(&irdoc(
        &[
            "share",
            &fixture(VARNISH),
            "--base",
            "https://example.org/irdoc/",
        ],
        "",
    ));
    // As pasted from a chat message: in a sentence, with a full stop after it.
    let pasted = format!("see {}.", link.trim());
    assert_eq!(stdout(&irdoc(&["open", &pasted], "")), page);
    let cut = &link.trim()[..link.len() / 2];
    let out = irdoc(&["open", cut], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("incomplete"));
}

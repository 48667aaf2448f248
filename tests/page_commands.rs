//! The page and the backend name the same commands. The page calls the backend only through
//! `ui/invoke.js`, which lists every command once; the backend registers its handlers in
//! `src-tauri/lib.rs` (`generate_handler![…]`) and declares them in `src-tauri/build.rs`
//! (`COMMANDS`, for the generated permissions). A command renamed or removed on one side only
//! would fail at the first click in the window; here it fails a plain test, no display needed.
//! Names are compared by function name, so moving a command to another module changes nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("reading {}: {e}", full.display()))
}

/// The text between `start` and the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str, what: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{what}: no {start:?}")) + start.len();
    let len = text[from..].find(end).unwrap_or_else(|| panic!("{what}: no {end:?} after {start:?}"));
    &text[from..from + len]
}

/// Every double-quoted string in `text`.
fn quoted(text: &str) -> Vec<String> {
    text.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

/// The page's list: the strings in `COMMANDS` of ui/invoke.js.
fn page_commands() -> BTreeSet<String> {
    let source = read("ui/invoke.js");
    quoted(between(&source, "export const COMMANDS = Object.freeze([", "]);", "ui/invoke.js")).into_iter().collect()
}

/// The handlers lib.rs registers, by function name (the last segment of each path).
fn registered_handlers() -> BTreeSet<String> {
    let source = read("src-tauri/lib.rs");
    let list = between(&source, "generate_handler![", "]", "src-tauri/lib.rs");
    list.split(',')
        .map(|entry| entry.trim())
        .filter(|entry| !entry.is_empty() && !entry.starts_with("//"))
        .map(|path| path.rsplit("::").next().unwrap_or(path).trim().to_owned())
        .collect()
}

/// The commands build.rs declares to tauri-build.
fn declared_commands() -> BTreeSet<String> {
    let source = read("src-tauri/build.rs");
    quoted(between(&source, "const COMMANDS: &[&str] = &[", "];", "src-tauri/build.rs")).into_iter().collect()
}

/// The page's scripts other than the wrapper, with their text.
fn page_scripts() -> Vec<(PathBuf, String)> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut scripts: Vec<(PathBuf, String)> = std::fs::read_dir(&folder)
        .expect("the ui folder")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "js") && !path.ends_with("invoke.js"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a page script");
            (path, text)
        })
        .collect();
    scripts.sort();
    scripts
}

/// "only in A: …; only in B: …", or empty when the two sets are the same.
fn difference(a: &BTreeSet<String>, a_name: &str, b: &BTreeSet<String>, b_name: &str) -> String {
    let only_a: Vec<_> = a.difference(b).collect();
    let only_b: Vec<_> = b.difference(a).collect();
    let mut parts = Vec::new();
    if !only_a.is_empty() {
        parts.push(format!("only in {a_name}: {only_a:?}"));
    }
    if !only_b.is_empty() {
        parts.push(format!("only in {b_name}: {only_b:?}"));
    }
    parts.join("; ")
}

#[test]
fn the_pages_command_list_is_the_backends_handler_list() {
    let page = page_commands();
    let handlers = registered_handlers();
    assert!(handlers.len() >= 40, "read too few handlers from src-tauri/lib.rs: {handlers:?}");
    let differ = difference(&page, "ui/invoke.js", &handlers, "src-tauri/lib.rs");
    assert!(differ.is_empty(), "the page and the backend name different commands: {differ}");
}

#[test]
fn the_backends_handler_list_is_the_list_build_rs_declares() {
    let handlers = registered_handlers();
    let declared = declared_commands();
    let differ = difference(&handlers, "src-tauri/lib.rs", &declared, "src-tauri/build.rs");
    assert!(differ.is_empty(), "lib.rs registers and build.rs declares different commands: {differ}");
}

#[test]
fn every_command_the_page_calls_by_name_is_in_its_list_and_every_listed_one_is_called() {
    let listed = page_commands();
    let scripts = page_scripts();
    for (path, text) in &scripts {
        for call in text.split("invoke(\"").skip(1) {
            let name = call.split('"').next().unwrap_or_default();
            assert!(listed.contains(name), "{} calls {name:?}, which ui/invoke.js does not list", path.display());
        }
        assert!(!text.contains("__TAURI_INTERNALS__"), "{} reaches the backend around ui/invoke.js", path.display());
    }
    let called = |name: &str| scripts.iter().any(|(_, text)| text.contains(&format!("\"{name}\"")));
    let never: Vec<_> = listed.iter().filter(|name| !called(name)).collect();
    assert!(never.is_empty(), "ui/invoke.js lists commands no page script names: {never:?}");
}

#[test]
fn a_difference_is_named_on_each_side() {
    let page: BTreeSet<String> = ["get_token", "check_token"].map(String::from).into();
    let backend: BTreeSet<String> = ["get_token", "test_token"].map(String::from).into();
    assert_eq!(
        difference(&page, "page", &backend, "backend"),
        r#"only in page: ["check_token"]; only in backend: ["test_token"]"#
    );
    assert_eq!(difference(&page, "page", &page, "page"), "");
}

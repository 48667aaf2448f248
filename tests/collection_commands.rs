//! *Save as Postman collection / Bruno collection / .http file*, as the window calls it:
//! Tauri's mock runtime, the built-in simulator. The chooser cannot open here, so the tests
//! queue its answer from Rust (`AppState::chooser`); the page never names a path.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::desk::{settings, Desk};

/// A secret typed into the window: it must be in no response and no file.
const TYPED_SECRET: &str = "typed-secret-c0ll3ct10n-9d2e";

impl Desk {
    /// Starts the demo simulator for `client` and types a secret, as a person would.
    fn typed_demo(&mut self, client: &str) -> Value {
        let demo = self.start_demo(client);
        let typed = json!({ "secret": TYPED_SECRET, "clientId": demo["client_id"], "tokenUrl": demo["token_url"] });
        self.call("set_secret", typed).unwrap();
        demo
    }

    /// Saves as the page does, the chooser answering `chosen` (a file, or for Bruno the folder
    /// the collection's folder goes into).
    fn save(&mut self, demo: &Value, format: &str, flow: &str, chosen: &Path) -> Result<Value, Value> {
        self.choose(chosen);
        let settings = settings(demo, &["client_paymentrequest", "client_refund"]);
        self.call("save_collection", json!({ "settings": settings, "format": format, "flow": flow }))
    }
}

/// Every file at `path` (a file, or a folder's files) as text.
fn contents(path: &Path) -> Vec<(PathBuf, String)> {
    if path.is_file() {
        return vec![(path.to_owned(), std::fs::read_to_string(path).unwrap())];
    }
    std::fs::read_dir(path).unwrap().flat_map(|e| contents(&e.unwrap().path())).collect()
}

#[test]
fn each_format_and_flow_is_saved_for_the_forms_client_without_a_secret_or_a_key() {
    let mut h = Desk::new();
    let mut written = Vec::new();
    for client in ["secret", "certificate"] {
        let demo = h.typed_demo(client);
        for format in ["postman", "bruno", "http"] {
            let chosen = h.dir.join(format!("{client}-{format}"));
            let path = if format == "bruno" {
                std::fs::create_dir(&chosen).unwrap();
                chosen.join("stitch-client-token")
            } else {
                chosen
            };
            let saved = h.save(&demo, format, client, if format == "bruno" { path.parent().unwrap() } else { &path });
            let saved = saved.unwrap();
            assert_eq!(saved["path"], path.display().to_string());
            let run = saved["run"].as_str().unwrap();
            assert!(run.contains(&path.display().to_string()), "{run}");
            let credential = if format == "postman" && client == "certificate" {
                "access_token="
            } else if client == "secret" {
                "client_secret="
            } else {
                "certificate_path="
            };
            assert!(run.contains(credential), "{run}");
            let files = contents(&path);
            let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
            assert!(all.contains(demo["client_id"].as_str().unwrap()), "{format}: made for the form's client");
            assert!(all.contains(demo["token_url"].as_str().unwrap()), "{format}: with its token URL");
            assert!(all.contains("client_paymentrequest client_refund"), "{format}: single-space scopes");
            written.extend(files);
        }
    }
    assert!(h.dir.join("secret-bruno/stitch-client-token/bruno.json").is_file());

    let demo_secret = h.simulator().demo().secret.clone();
    let key_lines =
        support::private_key_lines(&std::fs::read_to_string(&h.simulator().demo().certificate_path).unwrap());
    let everything = written.into_iter().map(|(p, t)| format!("{}\n{t}", p.display())).chain(h.seen.clone());
    let needles = [
        (demo_secret.as_str(), "the demo secret"),
        (TYPED_SECRET, "the typed secret"),
        ("-----BEGIN PRIVATE KEY-----", "a key block"),
    ];
    support::assert_none_leaked(everything, &needles, &key_lines);
}

#[test]
fn something_already_there_is_refused_and_left_alone() {
    let mut h = Desk::new();
    let demo = h.typed_demo("secret");
    // A file name the chooser confirmed may be replaced, but never a folder of that name.
    let file = h.dir.join("mine.http");
    std::fs::create_dir(&file).unwrap();
    std::fs::write(file.join("notes.txt"), "my own requests").unwrap();
    let refused = h.save(&demo, "http", "secret", &file).unwrap_err();
    assert_eq!(refused["kind"], "bad_input");
    assert!(refused["message"].as_str().unwrap().contains("left alone"), "{refused}");
    assert_eq!(std::fs::read_to_string(file.join("notes.txt")).unwrap(), "my own requests");

    let folder = h.dir.join("documents");
    std::fs::create_dir_all(folder.join("stitch-client-token")).unwrap();
    std::fs::write(folder.join("stitch-client-token/notes.txt"), "mine").unwrap();
    let refused = h.save(&demo, "bruno", "secret", &folder).unwrap_err();
    assert!(refused["message"].as_str().unwrap().contains("is not a Bruno collection folder"), "{refused}");
}

#[test]
fn a_form_without_a_client_id_is_refused_in_plain_words() {
    let mut h = Desk::new();
    let mut demo = h.typed_demo("secret");
    demo["client_id"] = json!("  ");
    let path = h.dir.join("c.json");
    let refused = h.save(&demo, "postman", "secret", &path).unwrap_err();
    assert_eq!(refused["message"], "Type the client ID first: the collection is made for one client.");
    assert!(!path.exists());
}

#[test]
fn a_collection_saved_from_the_window_runs_in_newman_against_the_demo_simulator() {
    let newman = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/node_modules/.bin/newman");
    if !support::skip::tool_exists(&newman, "run `npm ci --prefix tests/e2e`") {
        return;
    }
    let mut h = Desk::new();
    let demo = h.typed_demo("secret");
    let path = h.dir.join("demo.postman_collection.json");
    h.save(&demo, "postman", "secret", &path).unwrap();
    let secret = h.simulator().demo().secret.clone();
    let run = |secret: &str| {
        std::process::Command::new(&newman)
            .args(["run", path.to_str().unwrap(), "--env-var", &format!("client_secret={secret}")])
            .output()
            .unwrap()
    };
    let passed = run(&secret);
    assert!(passed.status.success(), "{}", String::from_utf8_lossy(&passed.stdout));
    assert!(!run("not-the-secret").status.success(), "a wrong secret fails the run");
}

#[test]
fn the_main_window_may_save_a_collection_and_another_window_may_not() {
    let mut h = Desk::configured("main");
    let demo = h.typed_demo("secret");
    let path = h.dir.join("allowed.http");
    assert!(h.save(&demo, "http", "secret", &path).is_ok());
    let mut other = Desk::configured("other");
    other.assert_not_allowed(&["save_collection"]);
}

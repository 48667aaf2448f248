//! The code handed to integrators works: the cURL, Python and JavaScript secret-flow snippets
//! and the cURL certificate-flow snippet are run against the simulator; every snippet is
//! checked for the exact request fields and for containing no secret.

mod support;

use std::process::Command;

use support::*;
use token_desk_core::scope::Scopes;
use token_desk_core::snippet::{snippet, Flow, Lang, Settings, CERTIFICATE_VAR, SECRET_VAR};

fn settings(sim: &Sim, flow: Flow) -> Settings {
    Settings {
        client_id: match flow {
            Flow::Secret => SECRET_CLIENT_ID.into(),
            Flow::Certificate => CERTIFICATE_CLIENT_ID.into(),
        },
        scopes: Scopes::parse(["client_paymentrequest client_refund"]),
        token_url: sim.token_url(),
        audience: sim.token_url(),
        api_url: sim.api_url(),
        flow,
    }
}

/// Runs `program file` with the snippet's environment and returns stdout; fails with the
/// snippet's stderr if it did not succeed.
fn run(sim: &Sim, program: &str, file_name: &str, code: &str) -> String {
    let path = write(&sim.dir, file_name, code);
    let out = Command::new(program)
        .arg(&path)
        .env(SECRET_VAR, SECRET)
        .env(CERTIFICATE_VAR, &sim.demo().certificate_path)
        .output()
        .unwrap_or_else(|e| panic!("{program} is installed (scripts/test installs it): {e}"));
    assert!(
        out.status.success(),
        "{program} {file_name} failed:\n{}\n--- code ---\n{code}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn assert_called_the_api(output: &str, client_id: &str) {
    let start = output.find('{').expect("the API's JSON answer was printed");
    let json: serde_json::Value =
        serde_json::from_str(output[start..].trim()).unwrap_or_else(|e| panic!("{e}: {output}"));
    assert_eq!(json["data"]["client"]["clientId"], client_id, "{output}");
}

/// Runs the `lang` snippet for `flow` with `program` from a file named `file_name`: it must get
/// `client_id` a token and call the API with it.
async fn snippet_calls_the_api(lang: Lang, flow: Flow, program: &str, file_name: &str, client_id: &str) {
    let sim = simulator().await;
    let code = snippet(lang, &settings(&sim, flow));
    assert_called_the_api(&run(&sim, program, file_name, &code), client_id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_curl_secret_snippet_gets_a_token_and_calls_the_api() {
    let sim = simulator().await;
    let code = snippet(Lang::Curl, &settings(&sim, Flow::Secret));
    assert_called_the_api(&run(&sim, "bash", "snippet.sh", &code), SECRET_CLIENT_ID);
    assert_eq!(sim.token_requests(), 1);
    assert_eq!(sim.api_requests(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_curl_certificate_snippet_signs_an_assertion_the_server_accepts() {
    snippet_calls_the_api(Lang::Curl, Flow::Certificate, "bash", "snippet.sh", CERTIFICATE_CLIENT_ID).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_secret_snippet_gets_a_token_and_calls_the_api() {
    snippet_calls_the_api(Lang::Python, Flow::Secret, "python3", "snippet.py", SECRET_CLIENT_ID).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_javascript_secret_snippet_gets_a_token_and_calls_the_api() {
    snippet_calls_the_api(Lang::JavaScript, Flow::Secret, "node", "snippet.mjs", SECRET_CLIENT_ID).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_snippet_sends_exactly_stitchs_fields_and_no_secret() {
    let sim = simulator().await;
    for lang in Lang::ALL {
        for flow in [Flow::Secret, Flow::Certificate] {
            let s = settings(&sim, flow);
            let code = snippet(lang, &s);
            let label = format!("{lang:?} {flow:?}");
            for needed in [
                "grant_type",
                "client_credentials",
                "client_id",
                "audience",
                "scope",
                &s.client_id,
                &s.token_url,
                &s.api_url,
                "client_paymentrequest",
                "client_refund",
            ] {
                assert!(code.contains(needed), "{label} lacks {needed}");
            }
            assert!(code.contains("query { client { id clientId } }"), "{label} calls the API");
            assert!(!code.contains(SECRET), "{label} holds the secret");
            assert!(!code.contains("PRIVATE KEY-----\n"), "{label} holds a key");
            match flow {
                Flow::Secret => {
                    assert!(code.contains("client_secret"), "{label}");
                    assert!(code.contains(SECRET_VAR), "{label} reads the secret from the environment");
                    assert!(!code.contains("client_assertion"), "{label} sends one credential");
                }
                Flow::Certificate => {
                    for needed in [
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        "client_assertion",
                        CERTIFICATE_VAR,
                        "kid",
                        "jti",
                        "60",
                    ] {
                        assert!(code.contains(needed), "{label} lacks {needed}");
                    }
                    assert!(code.contains("RS256") || code.contains("RsaSha256"), "{label} signs with RS256");
                    assert!(!code.contains("client_secret"), "{label} sends one credential");
                }
            }
        }
    }
}

#[test]
fn values_with_quotes_cannot_break_out_of_the_code() {
    let s = Settings {
        client_id: "it's \"odd\" $(rm -rf /)".into(),
        scopes: Scopes::parse(["client_refund"]),
        token_url: "https://secure.stitch.money/connect/token".into(),
        audience: "https://secure.stitch.money/connect/token".into(),
        api_url: "https://api.stitch.money/graphql".into(),
        flow: Flow::Secret,
    };
    let curl = snippet(Lang::Curl, &s);
    assert!(curl.contains(r#"client_id='it'\''s "odd" $(rm -rf /)'"#), "{curl}");
    let python = snippet(Lang::Python, &s);
    assert!(python.contains(r#"CLIENT_ID = "it's \"odd\" $(rm -rf /)""#), "{python}");
}

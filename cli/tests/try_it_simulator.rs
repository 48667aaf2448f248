//! `token-desk try …` and `check --create` against the simulator itself (issue 25's
//! simulator answering the API too): the whole path create → pending → complete → completed
//! → refund → refund status in words and in JSON, the demo bank accounts, and the token
//! test's proof. `try_it.rs` has the same commands against a scripted API that records each
//! body.

mod support;

use std::process::Output;

use support::try_it_output::{json_of, ok};
use support::{all_output, text, Attacker, Home, Mode};
use token_desk_core::simulator::{demo, Simulator, SimulatorConfig};

/// The simulator answering the API too (issue 25's simulator).
fn simulator_world() -> (Simulator, Home, tempfile::TempDir, tokio::runtime::Runtime) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sim = rt.block_on(Simulator::start(SimulatorConfig {
        data_dir: dir.path().to_path_buf(),
        ..SimulatorConfig::default()
    }));
    (sim.unwrap(), Home::new(false), dir, rt)
}

fn on_simulator(sim: &Simulator, home: &Home, args: &[&str]) -> Output {
    let token_url = sim.token_url();
    let mut all = vec!["try"];
    all.extend(args);
    all.extend(["--token-url", &token_url, "--client-id", demo::SECRET_CLIENT_ID, "--secret-stdin"]);
    home.run(&all, Some(demo::SECRET))
}

#[test]
fn the_whole_path_runs_on_the_simulator_in_words() {
    let (sim, home, _dir, _rt) = simulator_world();
    let run = |args: &[&str]| ok(&on_simulator(&sim, &home, args));
    let made = run(&["payment-request", "--amount", "1.00"]);
    assert!(made.starts_with("Created a test payment request for R1.00."), "{made}");
    let id = made.lines().find_map(|l| l.trim().strip_prefix("id ")).unwrap().trim().to_owned();
    assert!(made.contains("redirect_uri=https%3A%2F%2Flocalhost%3A3000%2Freturn"), "{made}");
    assert!(run(&["status", &id]).starts_with("Pending: waiting for the payer to pay."));
    assert!(run(&["complete", &id]).starts_with("Simulated the payment"));
    assert!(run(&["status", &id]).starts_with("Completed: the payer paid R1.00."));
    let too_much = on_simulator(&sim, &home, &["refund", &id, "--amount", "1.01"]);
    assert_eq!(too_much.status.code(), Some(2), "{}", all_output(&too_much));
    let refund = run(&["refund", &id, "--amount", "1.00"]);
    assert!(refund.starts_with("Asked for a refund of R1.00."), "{refund}");
    let refund_id = refund.lines().find_map(|l| l.trim().strip_prefix("refund id")).unwrap().trim().to_owned();
    let status = run(&["refund-status", &refund_id]);
    let known = ["Pending:", "Submitted:", "Completed:", "Paused:"];
    assert!(known.iter().any(|k| status.starts_with(k)), "{status}");
}

#[test]
fn the_whole_path_runs_on_the_simulator_in_json() {
    let (sim, home, _dir, _rt) = simulator_world();
    let run = |args: &[&str]| {
        let mut args = args.to_vec();
        args.push("--json");
        json_of(&on_simulator(&sim, &home, &args))
    };
    let made = run(&["payment-request", "--amount", "2.00"]);
    let id = made["id"].as_str().unwrap().to_owned();
    assert!(made["link"].as_str().unwrap().contains("redirect_uri="), "{made}");
    assert_eq!(run(&["status", &id])["state"], "pending");
    assert_eq!(run(&["complete", &id])["payment_request_id"], id.as_str());
    let done = run(&["status", &id]);
    assert_eq!(done["state"], "completed");
    assert_eq!(done["amount"]["quantity"], "2.00");
    let refund = run(&["refund", &id, "--amount", "0.50"]);
    assert_eq!(refund["amount"], "0.50");
    assert_eq!(refund["nonce"].as_str().unwrap().len(), 32);
    let status = run(&["refund-status", refund["id"].as_str().unwrap()]);
    assert!(["pending", "submitted", "completed", "paused"].contains(&status["status"].as_str().unwrap()), "{status}");
}

#[test]
fn verify_account_on_the_simulator_answers_by_its_demo_account_numbers() {
    let (sim, home, _dir, _rt) = simulator_world();
    // The simulator's demo::VERIFIED_ACCOUNT_NUMBER, REFUTED_ACCOUNT_NUMBER and UNKNOWN_ACCOUNT_NUMBER.
    for (account, said, result) in [
        ("62000000001", "Verified:", "verified"),
        ("62000000002", "Refuted:", "refuted"),
        ("62000000003", "Unknown:", "unknown"),
    ] {
        let person = ["verify-account", "--bank", "fnb", "--account-number", account];
        let mut args = person.to_vec();
        args.extend(["--id-number", "9001015009087", "--family-name", "Dlamini", "--initials", "T"]);
        let words = ok(&on_simulator(&sim, &home, &args));
        assert!(words.starts_with(said), "{account}: {words}");
        let mut company = person.to_vec();
        company.extend(["--registration", "2019/123456/07", "--business-name", "Demo Pty Ltd", "--json"]);
        assert_eq!(json_of(&on_simulator(&sim, &home, &company))["result"], result, "{account}");
    }
}

/// `check ARGS` for the demo secret client against the simulator (token and API).
fn check_on_simulator(sim: &Simulator, home: &Home, args: &[&str]) -> Output {
    let token_url = sim.token_url();
    let mut all = vec!["check"];
    all.extend(args);
    all.extend(["--token-url", &token_url, "--client-id", demo::SECRET_CLIENT_ID, "--secret-stdin"]);
    all.extend(["--scope", "client_paymentrequest"]);
    home.run(&all, Some(demo::SECRET))
}

#[test]
fn check_create_makes_one_test_payment_request_and_says_so_on_its_scope_line() {
    let (sim, home, _dir, _rt) = simulator_world();
    let plain = ok(&check_on_simulator(&sim, &home, &[]));
    assert!(plain.contains("creating one was not tried"), "{plain}");
    assert!(!plain.contains("Created test payment request"), "{plain}");

    let proved = ok(&check_on_simulator(&sim, &home, &["--create"]));
    let summary = proved.lines().find(|l| l.starts_with("Created test payment request ")).expect(&proved);
    assert!(
        summary.ends_with("for R1.00: this token can create payment requests (client_paymentrequest)."),
        "{summary}"
    );
    let id = summary.trim_start_matches("Created test payment request ").split(' ').next().unwrap().to_owned();
    let line = proved.lines().find(|l| l.trim_start().starts_with("client_paymentrequest")).expect(&proved);
    assert!(line.contains(&format!("and so does creating one: test payment request {id} was made")), "{line}");
    assert!(!proved.contains("creating one was not tried"), "{proved}");
    // The request is real: the API knows it, pending.
    assert!(ok(&on_simulator(&sim, &home, &["status", &id])).starts_with("Pending:"));

    let json = json_of(&check_on_simulator(&sim, &home, &["--create", "--json"]));
    assert!(json["created"]["summary"].as_str().unwrap().starts_with("Created test payment request "), "{json}");
    let notes: Vec<&str> = json["scopes"].as_array().unwrap().iter().filter_map(|s| s["note"].as_str()).collect();
    assert!(notes.iter().any(|n| n.contains("and so does creating one")), "{json}");
}

#[test]
fn check_create_on_a_live_client_is_refused_with_exit_2_before_any_request() {
    let token_server = Attacker::start(Mode::Token);
    let home = Home::new(false);
    let token_url = token_server.url("/connect/token");
    let args = ["check", "--create", "--token-url", &token_url, "--client-id", "5e1f6c0a-live", "--secret-stdin"];
    let args = [&args[..], &["--scope", "client_paymentrequest"]].concat();
    let out = home.run(&args, Some("a-live-secret"));
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(text(&out.stderr).contains("only with a test client"), "{}", text(&out.stderr));
    token_server.assert_untouched("a live client's check --create");
}

//! What every `token-desk try` and `check --create` test asks of a run that succeeded: exit 0,
//! nothing that could drive a terminal, the demo secret never printed; and its JSON.

use std::process::Output;

use serde_json::Value;
use token_desk_core::simulator::demo;

use super::{all_output, assert_inert, text};

/// Stdout of a run that succeeded.
pub fn ok(out: &Output) -> String {
    assert!(out.status.success(), "exit {:?}\n{}", out.status.code(), all_output(out));
    assert_inert(out, "try");
    assert!(!all_output(out).contains(demo::SECRET), "the secret was printed");
    text(&out.stdout)
}

/// Stdout of a run that succeeded, as its one JSON object.
pub fn json_of(out: &Output) -> Value {
    serde_json::from_str(&ok(out)).unwrap_or_else(|e| panic!("not one JSON object ({e}):\n{}", all_output(out)))
}

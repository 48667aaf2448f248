//! What the engine's (`core/tests`), the command line's (`cli/tests`) and the window's
//! (`tests/`) tests share, written once: whether a test that needs a part of the machine runs
//! ([`skip`]), every file under a folder ([`files`]), the one loopback "attacker" server
//! ([`attacker`]) and the encodings an echoing server uses ([`echoes`]), real network parts
//! (a CA, an HTTPS front, tinyproxy: [`net`]), a scripted GraphQL API that records each request
//! ([`recording_api`]) and a keyring of each test's own ([`keyring`]).
//! What only one test crate needs stays in that crate's `tests/support` module.

pub mod attacker;
pub mod echoes;
pub mod files;
pub mod keyring;
pub mod net;
pub mod recording_api;
pub mod skip;

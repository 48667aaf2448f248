//! Try it on the API: the first calls an integrator makes after the token, on a test client
//! (issue 25, `stitch-api.md` "After the token"): create a Pay By Bank payment request
//! ([`payment_request::create`]), read its state ([`payment_request::status`]), complete it
//! without a bank ([`payment_request::simulate_complete`]), refund it ([`refund::initiate`],
//! a fresh nonce each time), and verify a bank account ([`bank_account::verify`]).
//!
//! - Every input is checked before anything is sent, each refusal a sentence naming the
//!   field ([`inputs`], [`money`], and each operation's form).
//! - Every operation that creates, completes, refunds or verifies takes a
//!   [`test_client::TestClient`]: a client id that does not start with `test-` is refused
//!   before any request, with no override. No document moves money out ([`documents`]).
//! - Operations are fixed [`documents`] sent with `variables` through [`graphql::Api`]: the
//!   engine's HTTP client, one deadline per operation, capped reads, redaction, and every
//!   exchange kept for the inspector. GraphQL errors become the usual failure kinds.
//! - Results are plain words (`summary`) beside what the API said, kept as outside text.

pub mod bank_account;
pub mod documents;
pub mod graphql;
pub mod inputs;
pub mod money;
pub mod payment_request;
pub mod refund;
pub mod test_client;

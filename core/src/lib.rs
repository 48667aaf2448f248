//! Token Desk's engine: everything that gets, caches and explains Stitch client tokens,
//! with no GUI dependency, so the window, the command line and the tests share one engine.
//!
//! - [`request`] builds the exact form Stitch documents (RFC 6749 §4.4, RFC 7523 §2.2).
//! - [`response`] reads what a token endpoint answers, success or failure.
//! - [`failure`] is the closed set of things that can go wrong, in plain words; [`redact`]
//!   removes secrets, in every encoding, from every text that leaves the engine.
//! - [`destination`] binds a credential to the client and token-endpoint origin it was
//!   entered for.
//! - [`form`] turns the window's token form into a request, from a profile or the typed client.
//! - [`http`] sends requests with one deadline and bounded retries; [`network`] decides what
//!   is trusted and which proxy a request goes through.
//! - [`cache`] reuses tokens until shortly before they expire, one request per key at a time.
//! - [`certificate`] reads Stitch's PEM file; [`assertion`] signs the client assertion.
//! - [`simulator`] is a local stand-in for Stitch, for demos and tests.
//! - [`profiles`] are saved clients; their secrets live only in the [`os_keyring`], and
//!   [`keyring_tokens`] keeps tokens there across restarts and processes; [`account_name`]
//!   keeps the parts of their account names apart.
//! - [`collection`] makes Postman, Bruno and `.http` collections for integrators.
//! - [`try_it`] makes the first API calls after the token on a test client: a payment
//!   request, its state, a simulated payment, a refund, a bank account check.
//! - [`usage`] composes what people copy (header, cURL) and the countdown to expiry.
//! - [`probe`] finds which scope a server refused; [`verdicts`] words a token test per scope;
//!   [`shorten`] shortens client ids and thumbprints for a shared screen (presenter mode);
//!   [`last_profile`] remembers the profile the window used last.
//! - [`outside`] is text a server or a file chose; each output encodes it in one place:
//!   [`terminal`] for a terminal, [`json_out`] for `--json`.
//! - [`hardening`] switches core files off, first thing in both binaries, before any secret
//!   is read.

pub mod account_name;
pub mod assertion;
pub mod cache;
pub mod certificate;
pub mod check;
pub mod clock;
pub mod collection;
pub mod destination;
pub mod engine;
pub mod failure;
pub mod files;
pub mod form;
pub mod hardening;
pub mod http;
pub mod inspect;
pub mod json_out;
pub mod kernel_keys;
pub mod keyring_tokens;
pub mod last_profile;
pub mod network;
pub mod os_keyring;
pub mod outside;
pub mod probe;
pub mod profile_tokens;
pub mod profiles;
pub mod redact;
pub mod request;
pub mod response;
pub mod retry;
pub mod scope;
pub mod secret;
pub mod shorten;
pub mod simulator;
pub mod snippet;
pub mod terminal;
pub mod token;
pub mod try_it;
pub mod usage;
pub mod verdicts;

pub use engine::{Engine, Outcome};
pub use failure::{Failure, FailureKind};
pub use token::Token;

/// Stitch's token endpoint; also the default audience (the `aud` of the client assertion
/// and the `audience` form field).
pub const STITCH_TOKEN_URL: &str = "https://secure.stitch.money/connect/token";

/// How Token Desk names itself to servers, in the `User-Agent` of every request the HTTP
/// client sends and of every request the inspector shows. At the crate root, because both
/// [`http`] (which sends it) and [`inspect`] (which shows it) need it and neither may import
/// the other.
pub const USER_AGENT: &str = concat!("token-desk/", env!("CARGO_PKG_VERSION"));

/// Stitch's GraphQL API, where client tokens are used.
pub const STITCH_API_URL: &str = "https://api.stitch.money/graphql";

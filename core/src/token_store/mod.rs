//! Where tokens are kept beyond this process, and under which key: the [`TokenStore`] trait
//! the engine's cache writes through, the [`CacheKey`] a token is kept under, and the stores
//! behind it.
//!
//! - [`keyring_tokens`] keeps tokens in the OS keyring (one entry per token, and an index).
//! - [`kernel_keys`] holds a per-login copy in the kernel's key store, so a cache hit needs no
//!   D-Bus round trip.
//! - [`profile_tokens`] remembers which key a saved profile's token was kept under, so a
//!   cached `token --profile` does not read the profile's secret.
//!
//! What never lives here: a client secret, a private key or a certificate (those are the
//! [`crate::keyring`]'s, under a profile's own accounts), and any plain file holding a token
//! (the only files here are empty lock files).

pub mod kernel_keys;
pub mod keyring_tokens;
pub mod profile_tokens;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::token::Token;

/// Everything that makes two token requests interchangeable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CacheKey {
    pub token_url: String,
    pub client_id: String,
    /// A salted hash of the secret, or the certificate thumbprint.
    pub credential: String,
    pub audience: String,
    pub scopes: BTreeSet<String>,
}

/// Where tokens are kept beyond this process (the OS keyring), shared by every Token Desk
/// process. Calls may block (they run on tokio's blocking pool); failures read as "nothing
/// kept": the in-memory cache still serves this process.
pub trait TokenStore: Send + Sync {
    /// The token kept for `key`, if any.
    fn load(&self, key: &CacheKey) -> Option<Token>;
    /// Keeps `token` for `key`, replacing what was kept.
    fn save(&self, key: &CacheKey, token: &Token);
    /// Forgets the token for `key`.
    fn remove(&self, key: &CacheKey);
    /// Waits for this process's turn to fetch a token for `key`, across processes; the turn
    /// lasts until the returned value is dropped. `None` when no lock can be had: the fetch
    /// goes ahead without one.
    fn lock(&self, key: &CacheKey) -> Option<Box<dyn Send>>;
}

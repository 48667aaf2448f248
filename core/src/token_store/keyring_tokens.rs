//! The token cache kept in the OS keyring (never in a plain file), so the window and the
//! command line share tokens and a restart does not spend a new one. Stitch asks clients to
//! cache tokens; a token is as good as a password for its lifetime, so it is kept like one.
//!
//! Each token is one keyring entry, `token:<hash>`, where the hash is a SHA-256 of the
//! engine's [`CacheKey`] (token URL, client id, credential identity, audience, scope set), and
//! the entry holds the key and the token as JSON. An index entry, `tokens:index`, lists the
//! kept tokens with their expiry (no token in it) so expired ones can be pruned and a removed
//! profile's tokens deleted: keyring APIs cannot list entries on every platform.
//!
//! A copy of each kept token also sits in the kernel's key store for this login
//! ([`KernelKeys`]), so a cache hit is one system call instead of a Secret Service round trip;
//! the kernel drops the copy when the token expires, and every removal here removes it too.
//!
//! Fetching takes an advisory lock per key (a file in the runtime folder, holding nothing),
//! so two processes started together make one request: the second waits, then finds the
//! first one's token. The operating system releases the lock if a process dies.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::files::HeldLock;
use crate::keyring::{Keyring, KeyringError};
use crate::scope::Scopes;
use crate::token::Token;
use crate::token_store::kernel_keys::KernelKeys;
use crate::token_store::{CacheKey, TokenStore};

const INDEX: &str = "tokens:index";
const FORMAT: u32 = 1;

/// The keyring account a token for `key` is kept under.
pub fn account(key: &CacheKey) -> String {
    let canonical = serde_json::to_vec(key).expect("cache keys serialize");
    let digest = Sha256::digest(&canonical);
    format!("token:{}", hex::encode(&digest[..16]))
}

/// Where the per-key lock files live: `$XDG_RUNTIME_DIR/token-desk/locks` (cleared at
/// logout), else the user's cache folder.
pub fn default_lock_dir() -> Option<PathBuf> {
    let dirs = directories::BaseDirs::new()?;
    let base = dirs.runtime_dir().unwrap_or(dirs.cache_dir());
    Some(base.join("token-desk").join("locks"))
}

/// A kept entry as read back.
#[derive(Deserialize)]
struct Kept {
    version: u32,
    key: CacheKey,
    token: Token,
}

/// A kept entry as written: [`Token`] cannot be serialized, so the token's fields are copied
/// here explicitly, the access token taken with [`crate::token::AccessToken::as_str`], in the same JSON
/// shape [`Kept`] reads.
#[derive(Serialize)]
struct KeptOut<'a> {
    version: u32,
    key: &'a CacheKey,
    token: TokenOut<'a>,
}

#[derive(Serialize)]
struct TokenOut<'a> {
    access_token: &'a str,
    token_type: &'a str,
    expires_in: u64,
    lifetime_assumed: bool,
    #[serde(with = "crate::token::rfc3339_time")]
    issued_at: SystemTime,
    #[serde(with = "crate::token::rfc3339_time")]
    expires_at: SystemTime,
    granted: &'a Scopes,
    requested: &'a Scopes,
}

impl<'a> TokenOut<'a> {
    fn of(token: &'a Token) -> Self {
        Self {
            access_token: token.access_token.as_str(),
            token_type: &token.token_type,
            expires_in: token.expires_in,
            lifetime_assumed: token.lifetime_assumed,
            issued_at: token.issued_at,
            expires_at: token.expires_at,
            granted: &token.granted,
            requested: &token.requested,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct IndexEntry {
    account: String,
    client_id: String,
    token_url: String,
    #[serde(with = "crate::token::rfc3339_time")]
    expires_at: SystemTime,
}

#[derive(Default, Serialize, Deserialize)]
struct Index {
    version: u32,
    entries: Vec<IndexEntry>,
}

/// Tokens kept in the OS keyring, under Token Desk's service.
pub struct KeyringTokens {
    keyring: Arc<Keyring>,
    clock: Arc<dyn Clock>,
    lock_dir: Option<PathBuf>,
    kernel: Option<KernelKeys>,
}

impl KeyringTokens {
    /// Tokens in `keyring`, expiry judged by `clock`, locks in `lock_dir` (`None`: no
    /// cross-process lock).
    pub fn new(keyring: Arc<Keyring>, clock: Arc<dyn Clock>, lock_dir: Option<PathBuf>) -> Self {
        Self { keyring, clock, lock_dir, kernel: None }
    }

    /// The same store with a copy of each token in `kernel`, read before the keyring.
    pub fn with_kernel_keys(mut self, kernel: KernelKeys) -> Self {
        self.kernel = Some(kernel);
        self
    }

    /// Token Desk's own tokens, locks in [`default_lock_dir`], copies in the kernel's key
    /// store for this login.
    pub fn app(keyring: Arc<Keyring>, clock: Arc<dyn Clock>) -> Self {
        let kernel = KernelKeys::for_session(keyring.service());
        let store = Self::new(keyring, clock, default_lock_dir());
        match kernel {
            Some(k) => store.with_kernel_keys(k),
            None => store,
        }
    }

    /// Deletes every expired token. Returns how many were deleted.
    pub fn prune(&self) -> Result<usize, KeyringError> {
        let now = self.clock.now();
        self.change_index(|entries| {
            let before = entries.len();
            entries.retain(|e| e.expires_at > now);
            before - entries.len()
        })
    }

    /// Deletes every token kept for `client_id` at `token_url` (a removed profile's).
    /// Returns how many were deleted.
    pub fn forget_client(&self, client_id: &str, token_url: &str) -> Result<usize, KeyringError> {
        let same_url = |u: &str| url::Url::parse(u).ok() == url::Url::parse(token_url).ok();
        self.change_index(|entries| {
            let before = entries.len();
            entries.retain(|e| !(e.client_id == client_id && same_url(&e.token_url)));
            before - entries.len()
        })
    }

    /// How many tokens are kept (expired or not).
    pub fn count(&self) -> Result<usize, KeyringError> {
        Ok(self.read_index()?.entries.len())
    }

    fn read_kept(&self, key: &CacheKey) -> Result<Option<Token>, KeyringError> {
        let account = account(key);
        if let Some(token) = self.kernel.as_ref().and_then(|k| k.get(&account)).and_then(|b| parse_kept(&b, key)) {
            return Ok(Some(token));
        }
        let Some(bytes) = self.keyring.read_keyring(&account)? else { return Ok(None) };
        let token = parse_kept(bytes.expose(), key);
        if let Some(token) = &token {
            self.copy_to_kernel(&account, bytes.expose(), token);
        }
        Ok(token)
    }

    /// Puts a copy of a kept token in the kernel's store until the token expires.
    fn copy_to_kernel(&self, account: &str, kept: &[u8], token: &Token) {
        let Some(kernel) = &self.kernel else { return };
        if let Ok(left) = token.expires_at.duration_since(self.clock.now()) {
            kernel.put(account, kept, left.as_secs());
        }
    }

    fn write_kept(&self, key: &CacheKey, token: &Token) -> Result<(), KeyringError> {
        let json = serde_json::to_vec(&KeptOut { version: FORMAT, key, token: TokenOut::of(token) })
            .expect("tokens serialize");
        let kept = crate::secret::SecretBytes::new(json);
        self.keyring.write_keyring(&account(key), kept.expose())?;
        self.copy_to_kernel(&account(key), kept.expose(), token);
        let now = self.clock.now();
        let entry = IndexEntry {
            account: account(key),
            client_id: key.client_id.clone(),
            token_url: key.token_url.clone(),
            expires_at: token.expires_at,
        };
        self.change_index(move |entries| {
            entries.retain(|e| e.account != entry.account && e.expires_at > now);
            entries.push(entry);
            0
        })?;
        Ok(())
    }

    /// Changes the index under its lock, deleting the entries `change` drops from it.
    fn change_index(&self, change: impl FnOnce(&mut Vec<IndexEntry>) -> usize) -> Result<usize, KeyringError> {
        let _turn = self.lock_dir.as_deref().and_then(|d| HeldLock::exclusive(&d.join("index.lock")).ok());
        let mut index = self.read_index()?;
        let before = index.entries.clone();
        let result = change(&mut index.entries);
        for gone in before.iter().filter(|e| !index.entries.iter().any(|k| k.account == e.account)) {
            if let Some(kernel) = &self.kernel {
                kernel.remove(&gone.account);
            }
            self.keyring.delete_keyring(&gone.account)?;
        }
        if index.entries.is_empty() && !before.is_empty() {
            self.keyring.delete_keyring(INDEX)?;
        } else if index.entries != before {
            index.version = FORMAT;
            let json = serde_json::to_vec(&index).expect("the index serializes");
            self.keyring.write_keyring(INDEX, &json)?;
        }
        Ok(result)
    }

    fn read_index(&self) -> Result<Index, KeyringError> {
        Ok(self
            .keyring
            .read_keyring(INDEX)?
            .and_then(|b| serde_json::from_slice::<Index>(b.expose()).ok())
            .filter(|i| i.version == FORMAT)
            .unwrap_or_default())
    }

    fn lock_path(&self, key: &CacheKey) -> Option<PathBuf> {
        let name = account(key).replace(':', "-");
        self.lock_dir.as_deref().map(|d: &Path| d.join(format!("{name}.lock")))
    }
}

/// The token in a kept entry, if the entry is ours and for `key`: a hash collision, or an
/// entry written by someone else, is not our token.
fn parse_kept(bytes: &[u8], key: &CacheKey) -> Option<Token> {
    match serde_json::from_slice::<Kept>(bytes) {
        Ok(kept) if kept.version == FORMAT && kept.key == *key => Some(kept.token),
        _ => None,
    }
}

impl TokenStore for KeyringTokens {
    fn load(&self, key: &CacheKey) -> Option<Token> {
        let token = self.read_kept(key).ok().flatten()?;
        if token.expires_at <= self.clock.now() {
            // Expired: of no use to anyone. Prune it (and any other expired ones).
            let _ = self.prune();
            return None;
        }
        Some(token)
    }

    fn save(&self, key: &CacheKey, token: &Token) {
        let _ = self.write_kept(key, token);
    }

    fn remove(&self, key: &CacheKey) {
        let gone = account(key);
        let _ = self.change_index(|entries| {
            entries.retain(|e| e.account != gone);
            0
        });
        if let Some(kernel) = &self.kernel {
            kernel.remove(&gone);
        }
        let _ = self.keyring.delete_keyring(&gone);
    }

    fn lock(&self, key: &CacheKey) -> Option<Box<dyn Send>> {
        let path = self.lock_path(key)?;
        HeldLock::exclusive(&path).ok().map(|held| Box::new(held) as Box<dyn Send>)
    }
}

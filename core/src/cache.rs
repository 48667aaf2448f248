//! Reusing tokens: Stitch asks clients to cache tokens because issuing one is expensive.
//!
//! A token is reused until a margin before it expires (60 s, or half its lifetime if that is
//! shorter), keyed by everything that changes what a token may do: token URL, client id,
//! credential identity (never the secret itself), audience and the *set* of scopes. One
//! request per key at a time: concurrent callers wait for the first one's answer. A refresh
//! that fails while the old token is still valid serves the old token.
//!
//! Entries are plain serializable data ([`CacheKey`], [`Token`]), so a [`TokenStore`] (the
//! OS keyring, see [`crate::token_store::keyring_tokens`]) can keep them across restarts and share them
//! between processes under the same rules: on a miss in memory the store is consulted before
//! fetching, with a cross-process lock per key held while fetching (two processes started
//! together make one request), and a fetched token is written back.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::clock::Clock;
use crate::failure::Failure;
use crate::token::Token;
use crate::token_store::{CacheKey, TokenStore};

/// How long before expiry a token is renewed, at most.
pub const MARGIN: Duration = Duration::from_secs(60);

/// How usable a cached token is at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Serve it.
    Fresh,
    /// Still valid but inside the margin: get a new one, fall back to this one.
    Renew,
    Expired,
}

/// The freshness of `token` at `now` with renewal `margin` (capped at half the lifetime, so a
/// short-lived token is still reused).
pub fn freshness(token: &Token, now: SystemTime, margin: Duration) -> Freshness {
    let lifetime = token.expires_at.duration_since(token.issued_at).unwrap_or_default();
    let margin = margin.min(lifetime / 2);
    if now >= token.expires_at {
        Freshness::Expired
    } else if now + margin >= token.expires_at {
        Freshness::Renew
    } else {
        Freshness::Fresh
    }
}

/// A token handed out by the cache.
#[derive(Debug, Clone)]
pub struct Served {
    pub token: Token,
    pub from_cache: bool,
    /// Set when a renewal failed and the still-valid old token was served instead.
    pub refresh_failure: Option<Failure>,
}

#[derive(Default)]
struct Slot {
    token: tokio::sync::Mutex<Option<Token>>,
    /// Counts successful fetches, so a forced refresh that waited behind another one can
    /// take that one's fresh token instead of fetching again.
    fetches: AtomicU64,
}

/// The in-memory token cache, safe to share between tasks, optionally backed by a
/// [`TokenStore`].
pub struct TokenCache {
    clock: Arc<dyn Clock>,
    margin: Duration,
    slots: Mutex<HashMap<CacheKey, Arc<Slot>>>,
    store: Option<Arc<dyn TokenStore>>,
}

impl TokenCache {
    pub fn new(clock: Arc<dyn Clock>, margin: Duration) -> Self {
        Self { clock, margin, slots: Mutex::new(HashMap::new()), store: None }
    }

    /// The same cache, keeping its tokens in `store` too.
    pub fn with_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// The store behind this cache, if any.
    pub fn store(&self) -> Option<&Arc<dyn TokenStore>> {
        self.store.as_ref()
    }

    /// The cached token for `key`, or the result of `fetch`, which runs at most once at a
    /// time per key. With `force`, a cached token is not served unless another caller
    /// fetched it while this one waited.
    pub async fn get<F, Fut>(&self, key: &CacheKey, force: bool, fetch: F) -> Result<Served, Failure>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Token, Failure>>,
    {
        let slot = self.slot(key);
        let fetches_seen = slot.fetches.load(Ordering::Acquire);
        let mut held = slot.token.lock().await;

        // Re-check after taking the lock: another caller may have just fetched.
        if let Some(token) = held.as_ref() {
            let state = freshness(token, self.clock.now(), self.margin);
            let fetched_meanwhile = slot.fetches.load(Ordering::Acquire) != fetches_seen;
            let serve = match (state, force) {
                (Freshness::Fresh, false) => true,
                (Freshness::Fresh | Freshness::Renew, true) => fetched_meanwhile,
                _ => false,
            };
            if serve {
                return Ok(Served { token: token.clone(), from_cache: true, refresh_failure: None });
            }
        }

        // Not in memory: take this key's turn across processes, then look in the store (after
        // taking the turn, so a process that waited finds the token the other one fetched).
        // A forced refresh takes the turn but never a kept token.
        let turn = match &self.store {
            Some(store) => {
                let turn = on_store(store, key, |s, k| s.lock(k)).await.flatten();
                if !force {
                    if let Some(kept) = on_store(store, key, |s, k| s.load(k)).await.flatten() {
                        let state = freshness(&kept, self.clock.now(), self.margin);
                        let newer = held.as_ref().is_none_or(|h| kept.expires_at > h.expires_at);
                        if state != Freshness::Expired && newer {
                            *held = Some(kept.clone());
                        }
                        if state == Freshness::Fresh {
                            return Ok(Served { token: kept, from_cache: true, refresh_failure: None });
                        }
                    }
                }
                turn
            }
            None => None,
        };

        match fetch().await {
            Ok(token) => {
                *held = Some(token.clone());
                slot.fetches.fetch_add(1, Ordering::AcqRel);
                if let Some(store) = &self.store {
                    let kept = token.clone();
                    on_store(store, key, move |s, k| s.save(k, &kept)).await;
                }
                drop(turn);
                Ok(Served { token, from_cache: false, refresh_failure: None })
            }
            Err(failure) => {
                let still_valid =
                    held.as_ref().filter(|t| freshness(t, self.clock.now(), self.margin) != Freshness::Expired);
                match still_valid {
                    Some(token) if !force => {
                        Ok(Served { token: token.clone(), from_cache: true, refresh_failure: Some(failure) })
                    }
                    _ => Err(failure),
                }
            }
        }
    }

    /// The token kept in the store for `key` if it is fresh, without fetching or waiting for
    /// another fetch: the fast path of a caller that only wants a token that is already there.
    /// The store only, never this cache's memory: the store forgets a client's tokens when its
    /// secret is replaced, the memory does not, so a key remembered before the new secret
    /// (see [`crate::token_store::profile_tokens`]) finds nothing here.
    pub async fn peek_kept(&self, key: &CacheKey) -> Option<Token> {
        let store = self.store.as_ref()?;
        let kept = on_store(store, key, |s, k| s.load(k)).await.flatten()?;
        (freshness(&kept, self.clock.now(), self.margin) == Freshness::Fresh).then_some(kept)
    }

    /// Drops the token for `key`, e.g. after the API refused it.
    pub async fn forget(&self, key: &CacheKey) {
        let slot = self.slot(key);
        let mut held = slot.token.lock().await;
        *held = None;
        if let Some(store) = &self.store {
            on_store(store, key, |s, k| s.remove(k)).await;
        }
    }

    /// Removes expired tokens, so a long-running window does not accumulate them.
    pub fn prune(&self) {
        let now = self.clock.now();
        self.slots.lock().unwrap().retain(|_, slot| match slot.token.try_lock() {
            Ok(t) => t.as_ref().is_some_and(|t| now < t.expires_at),
            Err(_) => true, // a fetch is running
        });
    }

    /// How many keys the cache holds.
    pub fn len(&self) -> usize {
        self.slots.lock().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn slot(&self, key: &CacheKey) -> Arc<Slot> {
        self.slots.lock().unwrap().entry(key.clone()).or_default().clone()
    }
}

/// Runs a (possibly blocking) store call on tokio's blocking pool; `None` if it panicked.
async fn on_store<T: Send + 'static>(
    store: &Arc<dyn TokenStore>,
    key: &CacheKey,
    call: impl FnOnce(&dyn TokenStore, &CacheKey) -> T + Send + 'static,
) -> Option<T> {
    let (store, key) = (store.clone(), key.clone());
    tokio::task::spawn_blocking(move || call(store.as_ref(), &key)).await.ok()
}

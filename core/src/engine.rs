//! The engine: checked requests in, tokens out, through the shared HTTP client and the cache.

use std::sync::{Arc, Mutex};

use crate::cache::{TokenCache, MARGIN};
use crate::clock::{Clock, SystemClock};
use crate::failure::Failure;
use crate::http::{Attempt, Http, HttpOptions};
use crate::request::TokenRequest;
use crate::token::Token;
use crate::token_store::{CacheKey, TokenStore};

/// What [`Engine::token`] hands back.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub token: Token,
    pub from_cache: bool,
    /// A renewal failed and this still-valid token was served instead.
    pub refresh_failure: Option<Failure>,
    /// The requests sent this time (none when served from the cache).
    pub attempts: Vec<Attempt>,
}

/// Gets tokens: one per process, shared by every caller.
pub struct Engine {
    http: Http,
    cache: TokenCache,
    clock: Arc<dyn Clock>,
}

impl Engine {
    pub fn new(options: HttpOptions, clock: Arc<dyn Clock>) -> Self {
        Self { http: Http::new(options), cache: TokenCache::new(clock.clone(), MARGIN), clock }
    }

    /// The same engine, keeping tokens in `store` too (the OS keyring: see
    /// [`crate::token_store::keyring_tokens::KeyringTokens`]), so they survive a restart and are shared
    /// with the other Token Desk processes.
    pub fn with_token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.cache = self.cache.with_store(store);
        self
    }

    /// An engine on the real clock with default timeouts and retries.
    pub fn with_defaults() -> Self {
        Self::new(HttpOptions::default(), Arc::new(SystemClock))
    }

    /// A token for `req`: from the cache when still fresh, else from the token endpoint.
    /// `force` asks for a new token even if a cached one is fresh.
    pub async fn token(&self, req: &TokenRequest, force: bool) -> Result<Outcome, Failure> {
        let attempts = Mutex::new(Vec::new());
        let served = self
            .cache
            .get(req.cache_key(), force, || async {
                let fetched = self.http.request_token(req, self.clock.as_ref()).await?;
                *attempts.lock().unwrap() = fetched.attempts;
                Ok(fetched.token)
            })
            .await?;
        let attempts = attempts.into_inner().unwrap();
        Ok(Outcome {
            token: served.token,
            from_cache: served.from_cache,
            refresh_failure: served.refresh_failure,
            attempts,
        })
    }

    /// The fresh token kept in the store for `key` (see [`TokenCache::peek_kept`]), if any,
    /// without a request: lets a caller that knows the key skip reading the credential.
    pub async fn kept(&self, key: &CacheKey) -> Option<Outcome> {
        let token = self.cache.peek_kept(key).await?;
        Some(Outcome { token, from_cache: true, refresh_failure: None, attempts: Vec::new() })
    }

    /// Forgets the cached token for `req`, e.g. after the API refused it.
    pub async fn forget(&self, req: &TokenRequest) {
        self.cache.forget(req.cache_key()).await;
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    pub fn http(&self) -> &Http {
        &self.http
    }

    pub fn cache(&self) -> &TokenCache {
        &self.cache
    }
}

//! The token cache backed by a store that outlives the engine (the OS keyring in the app; an
//! in-memory stand-in here), on a fixed clock, against the simulator over real HTTP: a new
//! engine (a restart, another process) reuses a kept token, engines started together make one
//! request, and the margin, force and forget rules hold through the store.

mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime};

use support::*;
use token_desk_core::clock::FixedClock;
use token_desk_core::request::TokenRequest;
use token_desk_core::simulator::Fault;
use token_desk_core::token::Token;
use token_desk_core::token_store::{CacheKey, TokenStore};
use token_desk_core::Engine;

/// A lock that can be held across threads: taken flag and a wake-up for waiters.
type Gate = Arc<(Mutex<bool>, Condvar)>;

/// A store in memory, with a per-key lock that works like the file lock across processes.
#[derive(Default)]
struct MemoryStore {
    tokens: Mutex<HashMap<CacheKey, Token>>,
    locks: Mutex<HashMap<CacheKey, Gate>>,
    loads: AtomicUsize,
}

struct Turn(Gate);

impl Drop for Turn {
    fn drop(&mut self) {
        *self.0 .0.lock().unwrap() = false;
        self.0 .1.notify_all();
    }
}

impl TokenStore for MemoryStore {
    fn load(&self, key: &CacheKey) -> Option<Token> {
        self.loads.fetch_add(1, Ordering::SeqCst);
        self.tokens.lock().unwrap().get(key).cloned()
    }

    fn save(&self, key: &CacheKey, token: &Token) {
        self.tokens.lock().unwrap().insert(key.clone(), token.clone());
    }

    fn remove(&self, key: &CacheKey) {
        self.tokens.lock().unwrap().remove(key);
    }

    fn lock(&self, key: &CacheKey) -> Option<Box<dyn Send>> {
        let pair = self.locks.lock().unwrap().entry(key.clone()).or_default().clone();
        let mut taken = pair.0.lock().unwrap();
        while *taken {
            taken = pair.1.wait(taken).unwrap();
        }
        *taken = true;
        drop(taken);
        Some(Box::new(Turn(pair)))
    }
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)))
}

async fn sim_on(clock: &Arc<FixedClock>) -> Sim {
    let c = clock.clone();
    simulator_with(move |config| config.clock = c).await
}

/// A fixed clock, a simulator on it, an empty store, and a request for the payment scope.
struct Kept {
    clock: Arc<FixedClock>,
    sim: Sim,
    store: Arc<MemoryStore>,
    req: TokenRequest,
}

async fn kept() -> Kept {
    let clock = clock();
    let sim = sim_on(&clock).await;
    let req = secret_request(&sim.token_url(), "client_paymentrequest");
    Kept { clock, sim, store: Arc::new(MemoryStore::default()), req }
}

/// A new engine on the same store: what a restarted app or another process is.
fn engine_on(store: &Arc<MemoryStore>, clock: &Arc<FixedClock>) -> Engine {
    engine_with_clock(clock.clone()).with_token_store(store.clone())
}

#[tokio::test]
async fn a_token_kept_in_the_store_is_served_by_a_new_engine_without_a_request() {
    let Kept { clock, sim, store, req } = kept().await;

    let first = engine_on(&store, &clock).token(&req, false).await.unwrap();
    assert!(!first.from_cache);
    let second = engine_on(&store, &clock).token(&req, false).await.unwrap();
    assert!(second.from_cache);
    assert_eq!(second.token, first.token);
    assert_eq!(sim.token_requests(), 1);
}

#[tokio::test]
async fn engines_started_together_make_one_request() {
    let Kept { clock, sim, store, req } = kept().await;
    sim.inject([Fault::Stall(Duration::from_millis(200))]);
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let (engine, req) = (engine_on(&store, &clock), req.clone());
            tokio::spawn(async move { engine.token(&req, false).await.unwrap() })
        })
        .collect();
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap());
    }
    assert_eq!(sim.token_requests(), 1);
    assert_eq!(outcomes.iter().filter(|o| !o.from_cache).count(), 1);
    assert!(outcomes.windows(2).all(|w| w[0].token == w[1].token));
}

#[tokio::test]
async fn a_memory_hit_does_not_touch_the_store() {
    let Kept { clock, sim: _sim, store, req } = kept().await;
    let engine = engine_on(&store, &clock);
    engine.token(&req, false).await.unwrap();
    let loads = store.loads.load(Ordering::SeqCst);
    for _ in 0..10 {
        assert!(engine.token(&req, false).await.unwrap().from_cache);
    }
    assert_eq!(store.loads.load(Ordering::SeqCst), loads);
}

#[tokio::test]
async fn a_kept_token_inside_the_margin_is_renewed_and_the_new_one_kept() {
    let Kept { clock, sim, store, req } = kept().await;
    let first = engine_on(&store, &clock).token(&req, false).await.unwrap();

    clock.advance(Duration::from_secs(3600 - 30));
    let renewed = engine_on(&store, &clock).token(&req, false).await.unwrap();
    assert!(!renewed.from_cache);
    assert_ne!(renewed.token, first.token);
    assert_eq!(store.tokens.lock().unwrap().get(req.cache_key()), Some(&renewed.token));
    assert_eq!(sim.token_requests(), 2);
}

#[tokio::test]
async fn a_kept_token_still_valid_is_served_when_its_renewal_fails() {
    let Kept { clock, sim, store, req } = kept().await;
    let first = engine_on(&store, &clock).token(&req, false).await.unwrap();

    clock.advance(Duration::from_secs(3600 - 30));
    sim.inject((0..3).map(|_| Fault::status(503, "{}")));
    let served = engine_on(&store, &clock).token(&req, false).await.unwrap();
    assert!(served.from_cache);
    assert_eq!(served.token, first.token);
    assert!(served.refresh_failure.is_some());
}

#[tokio::test]
async fn an_expired_kept_token_is_not_served() {
    let Kept { clock, sim, store, req } = kept().await;
    engine_on(&store, &clock).token(&req, false).await.unwrap();

    clock.advance(Duration::from_secs(3601));
    assert!(!engine_on(&store, &clock).token(&req, false).await.unwrap().from_cache);
    assert_eq!(sim.token_requests(), 2);
}

#[tokio::test]
async fn a_forced_refresh_skips_the_kept_token_and_replaces_it() {
    let Kept { clock, sim: _sim, store, req } = kept().await;
    let first = engine_on(&store, &clock).token(&req, false).await.unwrap();
    let forced = engine_on(&store, &clock).token(&req, true).await.unwrap();
    assert!(!forced.from_cache);
    assert_ne!(forced.token, first.token);
    assert_eq!(store.tokens.lock().unwrap().get(req.cache_key()), Some(&forced.token));
}

#[tokio::test]
async fn forgetting_a_token_removes_it_from_the_store_too() {
    let Kept { clock, sim: _sim, store, req } = kept().await;
    let engine = engine_on(&store, &clock);
    engine.token(&req, false).await.unwrap();
    engine.forget(&req).await;
    assert!(store.tokens.lock().unwrap().is_empty());
    assert!(!engine_on(&store, &clock).token(&req, false).await.unwrap().from_cache);
}

#[tokio::test]
async fn a_different_scope_set_is_a_different_kept_token() {
    let Kept { clock, sim, store, .. } = kept().await;
    let a = secret_request(&sim.token_url(), "client_paymentrequest");
    let b = secret_request(&sim.token_url(), "client_paymentrequest client_refund");
    engine_on(&store, &clock).token(&a, false).await.unwrap();
    assert!(!engine_on(&store, &clock).token(&b, false).await.unwrap().from_cache);
    assert_eq!(store.tokens.lock().unwrap().len(), 2);
}

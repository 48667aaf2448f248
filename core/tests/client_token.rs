//! A saved profile's token through [`client_token`], the one path of the window and the
//! command line, against the simulator over real HTTP on loopback: the second token for the
//! same profile is its kept one, found by the key remembered in the kernel's key store without
//! reading the secret, and never when that would be wrong (forced, a credential given for this
//! request only, a token the store forgot, a Live profile not confirmed).
//!
//! The remembered keys live in a kernel session of each test's own; where the kernel refuses
//! keyutils keys, each test says it was skipped. Tokens are kept in an in-memory store that
//! outlives each engine, as the OS keyring does across processes.

mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use support::*;
use token_desk_core::client_request::{client_token, Asked, Client, ClientToken, Face, Session};
use token_desk_core::keyring::profile_secrets::SecretError;
use token_desk_core::profiles::{AuthMethod, Environment, Profile};
use token_desk_core::request::{Credential, Notice};
use token_desk_core::scope::Scopes;
use token_desk_core::secret::ClientSecret;
use token_desk_core::token::Token;
use token_desk_core::token_store::kernel_keys::KernelKeys;
use token_desk_core::token_store::profile_tokens::ProfileKeys;
use token_desk_core::token_store::{CacheKey, TokenStore};
use token_desk_core::{Engine, Failure, FailureKind};

/// Tokens kept in memory across engines (no cross-process lock).
#[derive(Default)]
struct MemoryStore {
    tokens: Mutex<HashMap<CacheKey, Token>>,
}

impl TokenStore for MemoryStore {
    fn load(&self, key: &CacheKey) -> Option<Token> {
        self.tokens.lock().unwrap().get(key).cloned()
    }
    fn save(&self, key: &CacheKey, token: &Token) {
        self.tokens.lock().unwrap().insert(key.clone(), token.clone());
    }
    fn remove(&self, key: &CacheKey) {
        self.tokens.lock().unwrap().remove(key);
    }
    fn lock(&self, _: &CacheKey) -> Option<Box<dyn Send>> {
        None
    }
}

/// A face's session held in memory: one saved profile with the demo secret, a count of the
/// times its secret was read, a credential given for this request only when `given`, and the
/// ways the token was about to be got, as told.
struct Desk {
    profile: Profile,
    given: bool,
    confirmed: bool,
    secret_reads: AtomicUsize,
    told: Mutex<Vec<&'static str>>,
}

impl Desk {
    fn new(profile: Profile) -> Self {
        Self { profile, given: false, confirmed: false, secret_reads: 0.into(), told: Mutex::default() }
    }

    fn secret_reads(&self) -> usize {
        self.secret_reads.load(Ordering::SeqCst)
    }
}

impl Session for Desk {
    fn face(&self) -> Face {
        Face::CommandLine
    }
    fn profile(&self, name: &str) -> Result<Profile, Failure> {
        (name == self.profile.name).then(|| self.profile.clone()).ok_or_else(|| Failure::bad_input("no such profile"))
    }
    fn live_confirmed(&self, _: &str) -> bool {
        self.confirmed
    }
    fn given_credential(&self) -> Result<Option<Credential>, Failure> {
        Ok(self.given.then(|| Credential::secret(ClientSecret::new(SECRET))))
    }
    fn saved_credential(&self, _: &Profile) -> Result<Option<Credential>, SecretError> {
        self.secret_reads.fetch_add(1, Ordering::SeqCst);
        Ok(Some(Credential::secret(ClientSecret::new(SECRET))))
    }
    fn entered_credential(&self, _: AuthMethod, _: &str, _: &str) -> Result<Credential, Failure> {
        Err(Failure::bad_input("nothing is entered"))
    }
    fn about_to_get(&self, _: Option<&Profile>, asked: &Asked, _: &[Notice]) {
        self.told.lock().unwrap().push(match asked {
            Asked::Request(_) => "request",
            Asked::Kept { .. } => "kept",
        });
    }
}

/// A simulator, the store tokens are kept in, remembered keys in a kernel session of the
/// test's own, and a profile of the demo secret client at the simulator.
struct World {
    sim: Sim,
    store: Arc<MemoryStore>,
    keys: ProfileKeys,
    profile: Profile,
}

/// The test's [`World`]; `None` (after the `skipped:` line) where the kernel refuses keys.
async fn world() -> Option<World> {
    let kernel = KernelKeys::named("token-desk-test", &uuid::Uuid::new_v4().to_string());
    kernel.put("probe", b"1", 60);
    if kernel.get("probe").is_none() {
        println!("skipped: this kernel or sandbox refuses keyutils keys");
        return None;
    }
    kernel.remove("probe");
    let sim = simulator().await;
    let mut profile = Profile::new("Shop test", SECRET_CLIENT_ID, AuthMethod::Secret);
    profile.token_url = sim.token_url();
    profile.scopes = Scopes::parse(["client_paymentrequest"]);
    Some(World { sim, store: Arc::default(), keys: ProfileKeys::new(kernel), profile })
}

impl World {
    /// A new engine on the kept tokens: what the next process (or a restarted window) is.
    fn engine(&self) -> Engine {
        engine().with_token_store(self.store.clone())
    }

    /// The profile's token through `engine`, for its own scopes.
    async fn token(&self, engine: &Engine, force: bool, desk: &Desk) -> Result<ClientToken, Failure> {
        let client = Client::Profile(&self.profile.name);
        client_token(engine, Some(&self.keys), client, Scopes::default(), force, desk).await
    }
}

#[tokio::test]
async fn the_second_token_for_a_profile_is_its_kept_one_found_without_reading_the_secret() {
    let Some(w) = world().await else { return };
    let desk = Desk::new(w.profile.clone());

    let first = w.token(&w.engine(), false, &desk).await.unwrap();
    assert!(!first.reused() && first.request().is_some());
    let first = first.outcome.unwrap();
    assert!(!first.from_cache);
    assert_eq!((desk.secret_reads(), w.sim.token_requests()), (1, 1));

    let second = w.token(&w.engine(), false, &desk).await.unwrap();
    assert!(second.reused(), "{:?}", second.asked);
    assert!(second.request().is_none(), "no request was made");
    assert_eq!(second.api_url, w.profile.api_url);
    let second = second.outcome.unwrap();
    assert!(second.from_cache && second.attempts.is_empty());
    assert_eq!(second.token.access_token, first.token.access_token);
    assert_eq!(desk.secret_reads(), 1, "the secret was not read again");
    assert_eq!(w.sim.token_requests(), 1, "no second request");
    assert_eq!(*desk.told.lock().unwrap(), ["request", "kept"]);
}

#[tokio::test]
async fn a_forced_token_reads_the_secret_and_asks_again() {
    let Some(w) = world().await else { return };
    let desk = Desk::new(w.profile.clone());
    let first = w.token(&w.engine(), false, &desk).await.unwrap().outcome.unwrap();

    let forced = w.token(&w.engine(), true, &desk).await.unwrap();
    assert!(!forced.reused());
    let forced = forced.outcome.unwrap();
    assert!(!forced.from_cache);
    assert_ne!(forced.token.access_token, first.token.access_token);
    assert_eq!((desk.secret_reads(), w.sim.token_requests()), (2, 2));

    // The new token is the one kept and found next.
    let next = w.token(&w.engine(), false, &desk).await.unwrap();
    assert!(next.reused());
    assert_eq!(next.outcome.unwrap().token.access_token, forced.token.access_token);
    assert_eq!(desk.secret_reads(), 2);
}

#[tokio::test]
async fn a_credential_given_for_one_request_neither_uses_nor_leaves_a_kept_token() {
    let Some(w) = world().await else { return };
    let given = Desk { given: true, ..Desk::new(w.profile.clone()) };
    let first = w.token(&w.engine(), false, &given).await.unwrap();
    assert!(!first.reused());
    assert_eq!(given.secret_reads(), 0, "the given credential is used, the saved one not read");
    assert!(w.keys.known_key(&w.profile, None).is_none(), "its token is not remembered as the profile's");

    // With the saved secret, the token kept for the same key is served by the engine's cache,
    // after reading the secret: no key was remembered to find it without.
    let saved = Desk::new(w.profile.clone());
    let second = w.token(&w.engine(), false, &saved).await.unwrap();
    assert!(!second.reused());
    assert!(second.outcome.unwrap().from_cache);
    assert_eq!((saved.secret_reads(), w.sim.token_requests()), (1, 1));

    // Given again: asked through the request even though a key is remembered now.
    let again = w.token(&w.engine(), false, &given).await.unwrap();
    assert!(!again.reused());
}

#[tokio::test]
async fn a_token_the_store_forgot_is_not_served_by_its_remembered_key_even_from_memory() {
    let Some(w) = world().await else { return };
    let desk = Desk::new(w.profile.clone());
    let engine = w.engine();
    let first = w.token(&engine, false, &desk).await.unwrap();
    let key = first.request().unwrap().cache_key().clone();

    // What replacing the profile's secret does to its kept tokens; this engine still holds
    // the token in memory, under the old secret's key.
    w.store.remove(&key);
    let after = w.token(&engine, false, &desk).await.unwrap();
    assert!(!after.reused(), "the remembered key found nothing kept");
    assert_eq!(desk.secret_reads(), 2, "the secret was read to work the key out");
}

#[tokio::test]
async fn a_live_profile_not_confirmed_gets_no_token_even_a_kept_one() {
    let Some(w) = world().await else { return };
    let desk = Desk::new(w.profile.clone());
    w.token(&w.engine(), false, &desk).await.unwrap().outcome.unwrap();

    let mut live = w.profile.clone();
    live.environment = Environment::Live;
    let unconfirmed = Desk::new(live.clone());
    let refused = w.token(&w.engine(), false, &unconfirmed).await.unwrap_err();
    assert_eq!(refused.kind, FailureKind::BadInput);
    assert!(refused.message.contains("LIVE"), "{}", refused.message);
    assert!(unconfirmed.told.lock().unwrap().is_empty());

    let confirmed = Desk { confirmed: true, ..Desk::new(live) };
    assert!(w.token(&w.engine(), false, &confirmed).await.unwrap().reused());
    assert_eq!(w.sim.token_requests(), 1);
}

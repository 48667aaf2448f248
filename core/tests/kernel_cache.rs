//! The kernel's per-login copy of kept tokens, in front of the **real** Secret Service
//! (gnome-keyring in the D-Bus session `scripts/test` starts). Each test keeps its tokens
//! under a keyring service of its own and names a kernel session of its own, so no token or
//! copy is shared with another test or run.
//!
//! These tests run only with `TOKEN_DESK_KEYRING_TESTS=1`; otherwise each says it was skipped.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use support::*;
use token_desk_core::clock::FixedClock;
use token_desk_core::keyring::Keyring;
use token_desk_core::request::TokenRequest;
use token_desk_core::token_store::kernel_keys::KernelKeys;
use token_desk_core::token_store::keyring_tokens::{self, KeyringTokens};
use token_desk_core::token_store::TokenStore;

/// A kernel session of the test's own for `service`.
fn kernel(service: &str) -> KernelKeys {
    KernelKeys::named(service, &uuid::Uuid::new_v4().to_string())
}

/// A test's keyring service of its own, a runtime, a fixed clock shared with a simulator, and
/// a secret request to it. (Not the command line's world, which runs the binary: these tests
/// drive the engine in this process, on a clock they move.)
struct World {
    service: String,
    rt: tokio::runtime::Runtime,
    clock: Arc<FixedClock>,
    sim: Sim,
    req: TokenRequest,
}

/// The test's [`World`]; None (after the `skipped:` line) without a keyring.
fn world() -> Option<World> {
    if !keyring_tests() {
        return None;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let clock = Arc::new(FixedClock::at(SystemTime::now()));
    let sim_clock = clock.clone();
    let sim = rt.block_on(simulator_with(move |c| c.clock = sim_clock));
    let req = secret_request(&sim.token_url(), "client_paymentrequest");
    Some(World { service: keyring::service(&keyring::namespace()), rt, clock, sim, req })
}

#[test]
fn a_kept_token_is_served_from_the_kernel_copy_without_the_secret_service_entry() {
    let Some(World { service, rt, clock, sim, req }) = world() else { return };
    let kernel = kernel(&service);
    let store =
        || KeyringTokens::new(Arc::new(Keyring::new(&service)), clock.clone(), None).with_kernel_keys(kernel.clone());

    let first = rt.block_on(engine_with_clock(clock.clone()).with_token_store(Arc::new(store())).token(&req, false));
    let first = first.unwrap();
    let account = keyring_tokens::account(req.cache_key());
    assert!(kernel.get(&account).is_some(), "saving a token puts a copy in the kernel");

    // Take the Secret Service's entry away behind the store's back: the copy still serves.
    Keyring::new(&service).delete_keyring(&account).unwrap();
    let plain = KeyringTokens::new(Arc::new(Keyring::new(&service)), clock.clone(), None);
    assert!(plain.load(req.cache_key()).is_none(), "the Secret Service no longer has it");
    let served = store().load(req.cache_key()).expect("the kernel copy is read first");
    assert_eq!(served.access_token, first.token.access_token);
    let second = rt.block_on(engine_with_clock(clock.clone()).with_token_store(Arc::new(store())).token(&req, false));
    assert!(second.unwrap().from_cache);
    assert_eq!(sim.token_requests(), 1);

    store().remove(req.cache_key());
    assert!(kernel.get(&account).is_none(), "removing a token removes its copy");
    assert!(store().load(req.cache_key()).is_none());
}

#[test]
fn a_token_read_from_the_secret_service_is_copied_to_the_kernel_and_forgotten_with_its_client() {
    let Some(World { service, rt, clock, sim, req }) = world() else { return };
    let plain = Arc::new(KeyringTokens::new(Arc::new(Keyring::new(&service)), clock.clone(), None));
    rt.block_on(engine_with_clock(clock.clone()).with_token_store(plain).token(&req, false)).unwrap();
    let account = keyring_tokens::account(req.cache_key());

    let kernel = kernel(&service);
    assert!(kernel.get(&account).is_none());
    let store =
        KeyringTokens::new(Arc::new(Keyring::new(&service)), clock.clone(), None).with_kernel_keys(kernel.clone());
    assert!(store.load(req.cache_key()).is_some());
    assert!(kernel.get(&account).is_some(), "a Secret Service hit leaves a copy for the next process");

    assert_eq!(store.forget_client(SECRET_CLIENT_ID, &sim.token_url()).unwrap(), 1);
    assert!(kernel.get(&account).is_none(), "a removed profile's copies go with its tokens");
}

#[test]
fn an_expired_token_is_not_served_from_its_copy() {
    let Some(World { service, rt, clock, sim: _sim, req }) = world() else { return };
    let kernel = kernel(&service);
    let store = Arc::new(
        KeyringTokens::new(Arc::new(Keyring::new(&service)), clock.clone(), None).with_kernel_keys(kernel.clone()),
    );
    rt.block_on(engine_with_clock(clock.clone()).with_token_store(store.clone()).token(&req, false)).unwrap();
    let account = keyring_tokens::account(req.cache_key());
    assert!(kernel.get(&account).is_some());

    clock.advance(Duration::from_secs(3601));
    assert!(store.load(req.cache_key()).is_none(), "past its expiry the token is of no use");
    assert!(kernel.get(&account).is_none(), "and its copy was pruned with it");
}

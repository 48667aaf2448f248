//! When no keyring service can be reached (here: a session bus address that leads nowhere),
//! Token Desk says so plainly, keeps secrets in memory for the session only, never writes
//! them anywhere else, and still caches tokens in memory.
//!
//! One test function: the bus address is process-wide and read when the first connection is
//! made, so it is set once, before anything touches the keyring.

mod support;

use std::sync::Arc;

use support::*;
use token_desk_core::clock::SystemClock;
use token_desk_core::keyring::profile_secrets::{ProfileSecrets, SecretState};
use token_desk_core::keyring::{Keyring, KeyringError, Saved, SESSION_ONLY_NOTICE};
use token_desk_core::profiles::settings::SettingsFile;
use token_desk_core::profiles::{AuthMethod, Profile};
use token_desk_core::request::Credential;
use token_desk_core::token_store::keyring_tokens::KeyringTokens;

#[test]
fn without_a_keyring_secrets_are_kept_for_the_session_only_and_tokens_in_memory() {
    // SAFETY (edition 2021: safe): set before any thread of this process uses D-Bus.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/token-desk-test-bus");
    let home = tempfile::tempdir().unwrap();

    let keyring = Keyring::app();
    let e = keyring.check().unwrap_err();
    assert!(matches!(e, KeyringError::Unavailable { .. }), "{e:?}");
    assert!(e.to_string().starts_with("No keyring service is available"), "{e}");
    assert!(SESSION_ONLY_NOTICE.contains("kept in memory for this session only"));

    // A secret saved now lives in this process's memory, and says so.
    let settings = SettingsFile::at(home.path().join("token-desk/profiles.json"));
    let profile = Profile::new("offline", SECRET_CLIENT_ID, AuthMethod::Secret);
    let saved = add_with_secret(&settings, &keyring, &profile, SECRET);
    assert!(matches!(saved, Saved::ForThisSessionOnly(KeyringError::Unavailable { .. })), "{saved:?}");
    assert_eq!(ProfileSecrets::new(&keyring).state(&profile).unwrap(), SecretState::ThisSessionOnly);
    let Some(Credential::Secret(read)) = ProfileSecrets::new(&keyring).credential(&profile).unwrap() else {
        panic!("the session keeps the secret");
    };
    assert_eq!(read.expose(), SECRET);

    // Another process (a new Keyring) has nothing and is told why.
    let other = Keyring::app();
    assert!(matches!(ProfileSecrets::new(&other).state(&profile), Err(KeyringError::Unavailable { .. })));

    // No file anywhere holds the secret.
    for entry in support::files::files_under(home.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(SECRET), "{} holds the secret", entry.display());
    }

    // Tokens: the keyring store keeps nothing, the engine's memory still serves.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = rt.block_on(simulator());
    let tokens = KeyringTokens::new(Arc::new(Keyring::app()), Arc::new(SystemClock), Some(home.path().join("locks")));
    let engine = engine().with_token_store(Arc::new(tokens));
    let req = secret_request(&sim.token_url(), "client_paymentrequest");
    assert!(!rt.block_on(engine.token(&req, false)).unwrap().from_cache);
    assert!(rt.block_on(engine.token(&req, false)).unwrap().from_cache);
    assert_eq!(sim.token_requests(), 1);

    // Deleting forgets the session's secret, and says the keyring itself could not be reached.
    let deleted = ProfileSecrets::new(&keyring).delete(&profile);
    assert!(matches!(deleted, Err(KeyringError::Unavailable { .. })), "{deleted:?}");
    assert!(matches!(ProfileSecrets::new(&keyring).state(&profile), Err(KeyringError::Unavailable { .. })));
}

//! Secrets and kept tokens in the **real** OS keyring (the Secret Service, through a D-Bus
//! session and gnome-keyring, as `scripts/test` starts them). Every read goes through a new
//! `Keyring` (so new keyring entry objects: nothing is served from a handle's memory), and
//! `secret-tool`, a separate client, confirms what the Secret Service holds.
//!
//! These tests run only with `TOKEN_DESK_KEYRING_TESTS=1`; otherwise each says it was skipped.

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use support::*;
use token_desk_core::clock::FixedClock;
use token_desk_core::keyring::profile_secrets::{self as secrets, ProfileSecrets, SecretState};
use token_desk_core::keyring::{Keyring, Saved, APP_ID};
use token_desk_core::profiles::changes::{self, NewSecret};
use token_desk_core::profiles::settings::SettingsFile;
use token_desk_core::profiles::{AuthMethod, Profile};
use token_desk_core::request::{Credential, TokenRequest};
use token_desk_core::secret::{CertificatePem, ClientSecret};
use token_desk_core::simulator::demo::KeyForm;
use token_desk_core::simulator::{ClientAuth, ClientConfig};
use token_desk_core::token::{AccessToken, Token};
use token_desk_core::token_store::keyring_tokens::{self, KeyringTokens};
use token_desk_core::token_store::TokenStore;

// What travels to and from the keyring cannot be shown, serialized or casually copied.
static_assertions::assert_not_impl_any!(CertificatePem: std::fmt::Display, serde::Serialize, Clone);
static_assertions::assert_not_impl_any!(token_desk_core::secret::SecretBytes: std::fmt::Display, serde::Serialize, Clone);
static_assertions::assert_not_impl_any!(token_desk_core::keyring::Found: std::fmt::Display, serde::Serialize);

/// A kept-token test's start: a keyring service of its own (so its token index, and the
/// tokens in it, are no other test's), a runtime and a scratch folder. None (after the
/// `skipped:` line) without a keyring.
fn token_test() -> Option<(String, tokio::runtime::Runtime, tempfile::TempDir)> {
    if !keyring_tests() {
        return None;
    }
    let service = keyring::service(&keyring::namespace());
    Some((service, tokio::runtime::Runtime::new().unwrap(), tempfile::tempdir().unwrap()))
}

/// A profile name no other test uses.
fn unique(prefix: &str) -> String {
    format!("{prefix} {}", uuid::Uuid::new_v4().simple())
}

/// What `secret-tool` (libsecret's own client) finds under Token Desk's service: attributes
/// (on stderr) and secrets (on stdout) together.
fn secret_tool_search() -> String {
    secret_tool_search_in(APP_ID)
}

/// [`secret_tool_search`] under `service`.
fn secret_tool_search_in(service: &str) -> String {
    let out =
        Command::new("secret-tool").args(["search", "--all", "service", service]).output().expect("secret-tool runs");
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn secret_tool_lookup(account: &str) -> Option<String> {
    secret_tool_lookup_in(APP_ID, account)
}

fn secret_tool_lookup_in(service: &str, account: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", account])
        .output()
        .expect("secret-tool runs");
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn saved_secret(keyring: &Keyring, profile: &Profile) -> Option<String> {
    match ProfileSecrets::new(keyring).credential(profile).unwrap()? {
        Credential::Secret(s) => Some(s.expose().to_owned()),
        Credential::Certificate(_) => panic!("expected a client secret"),
    }
}

#[test]
fn the_keyring_service_answers() {
    if !keyring_tests() {
        return;
    }
    Keyring::app().check().expect("the Secret Service is reachable");
}

#[test]
fn a_client_secret_is_stored_read_back_through_a_new_entry_replaced_and_deleted() {
    if !keyring_tests() {
        return;
    }
    let profile = Profile::new(unique("secret"), "test-keyring", AuthMethod::Secret);
    let account = secrets::account(&profile, "client-secret");

    let writer = Keyring::app();
    let saved = ProfileSecrets::new(&writer).save_client_secret(&profile, &ClientSecret::new("first-Kq82")).unwrap();
    assert_eq!(saved, Saved::InKeyring);

    assert_eq!(saved_secret(&Keyring::app(), &profile).as_deref(), Some("first-Kq82"));
    assert_eq!(ProfileSecrets::new(&Keyring::app()).state(&profile).unwrap(), SecretState::Saved);
    let found = secret_tool_search();
    assert!(found.contains(&format!("attribute.username = {account}")), "{found}");
    assert!(found.contains(&format!("attribute.service = {APP_ID}")), "{found}");
    assert_eq!(secret_tool_lookup(&account).as_deref(), Some("first-Kq82"));

    ProfileSecrets::new(&Keyring::app()).save_client_secret(&profile, &ClientSecret::new("second-Zt41")).unwrap();
    assert_eq!(saved_secret(&Keyring::app(), &profile).as_deref(), Some("second-Zt41"));
    assert_eq!(secret_tool_lookup(&account).as_deref(), Some("second-Zt41"), "replaced, not added beside");

    ProfileSecrets::new(&Keyring::app()).delete(&profile).unwrap();
    assert_eq!(saved_secret(&Keyring::app(), &profile), None);
    assert_eq!(ProfileSecrets::new(&Keyring::app()).state(&profile).unwrap(), SecretState::Missing);
    assert_eq!(secret_tool_lookup(&account), None);
    assert!(!secret_tool_search().contains(&account));
    ProfileSecrets::new(&Keyring::app()).delete(&profile).expect("deleting what is not there succeeds");
}

#[test]
fn a_certificate_is_kept_as_key_and_certificate_and_gets_a_token_after_reading_back() {
    if !keyring_tests() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    // A PKCS#1 key and the certificate after it, as some Stitch files have them.
    let pem = stitch_pem("test-keyring-cert", KeyForm::Pkcs1, true);
    let cert = token_desk_core::certificate::ClientCertificate::from_pem(pem.as_bytes()).unwrap();
    let sim = rt.block_on(simulator_with(|c| {
        c.clients.push(ClientConfig {
            client_id: "test-keyring-cert".into(),
            auth: ClientAuth::certificate(&cert),
            allowed_scopes: vec!["client_paymentrequest".into()],
            withheld_scopes: vec![],
        })
    }));
    let mut profile = Profile::new(unique("cert"), "test-keyring-cert", AuthMethod::Certificate);
    profile.token_url = sim.token_url();

    let (saved, facts) =
        ProfileSecrets::new(&Keyring::app()).save_certificate(&profile, &CertificatePem::new(pem.clone())).unwrap();
    assert_eq!(saved, Saved::InKeyring);
    assert_eq!(facts.thumbprint, cert.thumbprint());

    let found = secret_tool_search();
    assert!(found.contains(&secrets::account(&profile, "private-key")), "{found}");
    assert!(found.contains(&secrets::account(&profile, "certificate")), "{found}");

    let Some(Credential::Certificate(read_back)) = ProfileSecrets::new(&Keyring::app()).credential(&profile).unwrap()
    else {
        panic!("the certificate reads back");
    };
    assert_eq!(read_back.thumbprint(), cert.thumbprint());
    let input = profile.request_input(Credential::Certificate(read_back), Some("client_paymentrequest".parse_scopes()));
    let (req, _) = token_desk_core::request::TokenRequest::check(input, SystemTime::now()).unwrap();
    let outcome =
        rt.block_on(engine().token(&req, false)).expect("the key read back signs an assertion Stitch accepts");
    assert!(!outcome.from_cache);

    ProfileSecrets::new(&Keyring::app()).delete(&profile).unwrap();
    assert!(ProfileSecrets::new(&Keyring::app()).credential(&profile).unwrap().is_none());
    assert!(!secret_tool_search().contains(&profile.name));
}

#[test]
fn tokens_kept_in_the_keyring_serve_a_new_engine_and_expired_ones_are_pruned() {
    let Some((service, rt, locks)) = token_test() else { return };
    let clock = Arc::new(FixedClock::at(SystemTime::now()));
    let sim_clock = clock.clone();
    let sim = rt.block_on(simulator_with(move |c| c.clock = sim_clock));
    let req = secret_request(&sim.token_url(), "client_paymentrequest");
    let store = || {
        Arc::new(KeyringTokens::new(Arc::new(Keyring::new(&service)), clock.clone(), Some(locks.path().to_path_buf())))
    };
    let engine = || engine_with_clock(clock.clone()).with_token_store(store());

    let first = rt.block_on(engine().token(&req, false)).unwrap();
    let account = keyring_tokens::account(req.cache_key());
    let found = secret_tool_search_in(&service);
    assert!(found.contains(&format!("attribute.username = {account}")), "{found}");
    assert!(found.contains("attribute.username = tokens:index"), "{found}");
    let kept = secret_tool_lookup_in(&service, &account).unwrap();
    assert!(kept.contains(first.token.access_token.as_str()));
    assert!(!kept.contains(SECRET), "the kept token's key names the secret by a hash only");

    let second = rt.block_on(engine().token(&req, false)).unwrap();
    assert!(second.from_cache, "a new engine (a restart) reuses the kept token");
    assert_eq!(second.token.access_token, first.token.access_token);
    assert_eq!(sim.token_requests(), 1);

    // A replacement (forced) overwrites the same entry.
    let forced = rt.block_on(engine().token(&req, true)).unwrap();
    assert!(secret_tool_lookup_in(&service, &account).unwrap().contains(forced.token.access_token.as_str()));

    clock.advance(Duration::from_secs(3601));
    assert!(store().prune().unwrap() >= 1);
    assert_eq!(secret_tool_lookup_in(&service, &account), None, "the expired token was deleted");
    assert!(!rt.block_on(engine().token(&req, false)).unwrap().from_cache);
    assert_eq!(store().forget_client(SECRET_CLIENT_ID, &sim.token_url()).unwrap(), 1);
    assert_eq!(secret_tool_lookup_in(&service, &account), None);
}

#[test]
fn engines_started_together_on_the_keyring_make_one_request() {
    let Some((service, rt, locks)) = token_test() else { return };
    let sim = rt.block_on(simulator());
    sim.inject([token_desk_core::simulator::Fault::Stall(Duration::from_millis(300))]);
    let req = secret_request(&sim.token_url(), "client_paymentrequest");
    let tasks: Vec<_> = (0..3)
        .map(|_| {
            let store = KeyringTokens::new(
                Arc::new(Keyring::new(&service)),
                Arc::new(token_desk_core::clock::SystemClock),
                Some(locks.path().into()),
            );
            let (engine, req) = (engine().with_token_store(Arc::new(store)), req.clone());
            rt.spawn(async move { engine.token(&req, false).await.unwrap() })
        })
        .collect();
    let outcomes: Vec<_> = tasks.into_iter().map(|t| rt.block_on(t).unwrap()).collect();
    assert_eq!(sim.token_requests(), 1);
    assert_eq!(outcomes.iter().filter(|o| o.from_cache).count(), 2);
    let store =
        KeyringTokens::new(Arc::new(Keyring::new(&service)), Arc::new(token_desk_core::clock::SystemClock), None);
    assert_eq!(store.forget_client(SECRET_CLIENT_ID, &sim.token_url()).unwrap(), 1);
}

#[test]
fn removing_a_profile_deletes_its_secret_and_its_kept_tokens() {
    let Some((service, rt, dir)) = token_test() else { return };
    let settings = SettingsFile::at(dir.path().join("profiles.json"));
    let sim = rt.block_on(simulator());
    let keyring = Arc::new(Keyring::new(&service));
    let mut profile = Profile::new(unique("removed"), SECRET_CLIENT_ID, AuthMethod::Secret);
    profile.token_url = sim.token_url();
    profile.scopes = "client_paymentrequest".parse_scopes();
    let saved = add_with_secret(&settings, &keyring, &profile, SECRET);
    assert_eq!(saved, Saved::InKeyring);

    let tokens = Arc::new(KeyringTokens::new(
        keyring.clone(),
        Arc::new(token_desk_core::clock::SystemClock),
        Some(dir.path().into()),
    ));
    let credential = ProfileSecrets::new(&Keyring::new(&service)).credential(&profile).unwrap().unwrap();
    let (req, _) =
        token_desk_core::request::TokenRequest::check(profile.request_input(credential, None), SystemTime::now())
            .unwrap();
    rt.block_on(engine().with_token_store(tokens.clone()).token(&req, false)).unwrap();
    let token_account = keyring_tokens::account(req.cache_key());
    assert!(secret_tool_lookup_in(&service, &token_account).is_some());

    let removed = changes::remove(&settings, ProfileSecrets::new(&keyring), Some(&tokens), &profile.name).unwrap();
    assert_eq!(removed.secrets, Ok(()));
    assert_eq!(removed.tokens, Ok(1));
    assert!(settings.load().unwrap().is_empty());
    assert_eq!(secret_tool_lookup_in(&service, &secrets::account(&profile, "client-secret")), None);
    assert_eq!(secret_tool_lookup_in(&service, &token_account), None);
}

#[test]
fn replacing_a_profiles_secret_forgets_the_tokens_kept_with_the_old_one() {
    if !keyring_tests() {
        return;
    }
    let now = SystemTime::now();
    let dir = tempfile::tempdir().unwrap();
    let settings = SettingsFile::at(dir.path().join("profiles.json"));
    // A service of its own: this test's kept-token index is no other test's.
    let keyring = Arc::new(Keyring::new(format!("token-desk-test-{}", uuid::Uuid::new_v4().simple())));
    let tokens = KeyringTokens::new(keyring.clone(), Arc::new(FixedClock::at(now)), None);
    let mut profile = Profile::new("Shop", "test-shop", AuthMethod::Secret);
    profile.scopes = "client_paymentrequest".parse_scopes();
    profile.token_url = "http://127.0.0.1:9/connect/token".into();
    let old = || ClientSecret::new("the-old-secret");
    changes::add(&settings, ProfileSecrets::new(&keyring), profile.clone(), &NewSecret::ClientSecret(old())).unwrap();
    let (request, _) = TokenRequest::check(profile.request_input(Credential::secret(old()), None), now).unwrap();
    let token = Token {
        access_token: AccessToken::new("kept-with-the-old-secret"),
        token_type: "Bearer".into(),
        expires_in: 3600,
        lifetime_assumed: false,
        issued_at: now,
        expires_at: now + Duration::from_secs(3600),
        granted: profile.scopes.clone(),
        requested: profile.scopes.clone(),
    };
    tokens.save(request.cache_key(), &token);
    assert!(tokens.load(request.cache_key()).is_some(), "the token was kept");

    let new = NewSecret::ClientSecret(ClientSecret::new("the-new-secret"));
    changes::replace_secret(&settings, ProfileSecrets::new(&keyring), Some(&tokens), "Shop", &new).unwrap();
    assert!(tokens.load(request.cache_key()).is_none(), "a token of the old secret is not served");
    assert_eq!(tokens.count().unwrap(), 0);

    let removed = changes::remove(&settings, ProfileSecrets::new(&keyring), Some(&tokens), "Shop").unwrap();
    assert_eq!(removed.secrets, Ok(()));
}

#[test]
fn renaming_and_duplicating_a_profile_move_and_copy_its_secret() {
    if !keyring_tests() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let settings = SettingsFile::at(dir.path().join("profiles.json"));
    let keyring = Keyring::app();
    let name = unique("before");
    let profile = Profile::new(&name, "test-rename", AuthMethod::Secret);
    add_with_secret(&settings, &keyring, &profile, "moving-Hq3");

    let renamed = changes::rename(&settings, ProfileSecrets::new(&keyring), &name, &unique("after")).unwrap();
    assert_eq!(secret_tool_lookup(&secrets::account(&profile, "client-secret")), None);
    assert_eq!(saved_secret(&Keyring::app(), &renamed).as_deref(), Some("moving-Hq3"));

    let copy = changes::duplicate(&settings, ProfileSecrets::new(&keyring), &renamed.name, &unique("copy")).unwrap();
    assert_eq!(saved_secret(&Keyring::app(), &copy).as_deref(), Some("moving-Hq3"));
    assert_eq!(saved_secret(&Keyring::app(), &renamed).as_deref(), Some("moving-Hq3"));

    for p in [&renamed, &copy] {
        ProfileSecrets::new(&keyring).delete(p).unwrap();
    }
}

#[test]
fn a_secret_saved_under_an_unencoded_account_name_is_found_and_moved_to_its_encoded_name_on_first_read() {
    if !keyring_tests() {
        return;
    }
    let base = unique("Shop 100%@home");
    let at_stitch = |name: String, client: &str| {
        let mut p = Profile::new(name, client, AuthMethod::Secret);
        p.token_url = "https://secure.stitch.money/connect/token".into();
        p
    };
    // Two profiles whose parts ran together into one old account name.
    let profile = at_stitch(format!("{base}:client-secret:test-a"), "test-b");
    let other = at_stitch(base.clone(), "test-a:client-secret:test-b");
    // The name an earlier Token Desk gave this profile's entry, written the way it wrote it.
    let old = format!("profile:{base}:client-secret:test-a:client-secret:test-b@https://secure.stitch.money:443");
    let new = secrets::account(&profile, "client-secret");
    assert_ne!(new, secrets::account(&other, "client-secret"));
    assert!(new.starts_with("profile:Shop 100%25%40home "), "{new}");
    assert_eq!(Keyring::app().save(&old, b"kept-from-before-Rw7").unwrap(), Saved::InKeyring);

    assert_eq!(ProfileSecrets::new(&Keyring::app()).state(&profile).unwrap(), SecretState::Saved);
    assert_eq!(secret_tool_lookup(&new).as_deref(), Some("kept-from-before-Rw7"), "moved on the first read");
    assert_eq!(secret_tool_lookup(&old), None, "and no longer under the old name");
    assert_eq!(saved_secret(&Keyring::app(), &profile).as_deref(), Some("kept-from-before-Rw7"));
    assert_eq!(saved_secret(&Keyring::app(), &other), None, "the other profile no longer reaches it");
    assert_eq!(ProfileSecrets::new(&Keyring::app()).state(&other).unwrap(), SecretState::Missing);

    ProfileSecrets::new(&Keyring::app()).delete(&profile).unwrap();
    assert_eq!(secret_tool_lookup(&new), None);
    assert_eq!(saved_secret(&Keyring::app(), &profile), None);
}

#[test]
fn deleting_a_profile_also_deletes_an_entry_still_under_its_unencoded_name() {
    if !keyring_tests() {
        return;
    }
    let mut profile = Profile::new(unique("Till@front"), "test-legacy-2", AuthMethod::Secret);
    profile.token_url = "https://secure.stitch.money/connect/token".into();
    let old = format!("profile:{}:client-secret:test-legacy-2@https://secure.stitch.money:443", profile.name);
    Keyring::app().save(&old, b"never-read-Lp2").unwrap();
    ProfileSecrets::new(&Keyring::app()).delete(&profile).unwrap();
    assert_eq!(secret_tool_lookup(&old), None);
}

/// `"a b".parse_scopes()`, for brevity.
trait ParseScopes {
    fn parse_scopes(&self) -> token_desk_core::scope::Scopes;
}

impl ParseScopes for str {
    fn parse_scopes(&self) -> token_desk_core::scope::Scopes {
        token_desk_core::scope::Scopes::parse([self])
    }
}

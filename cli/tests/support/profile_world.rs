//! The world of the profile tests (`profiles.rs`, `profile_settings.rs`): the simulator's
//! secret and certificate clients, a traced home, profiles added with the secret piped in, and
//! export documents.

use std::process::Output;

use super::skip::keyring_tests;
use super::stitch::{Clients, World};
use super::{text, Home};

/// A secret distinctive enough that finding it anywhere is a leak.
pub const SECRET: &str = "Pr7-v2Xq9Lw4Nc8Jt1Bz6Km3Ha5Gd0Ys";
pub const SECRET_CLIENT: &str = "test-profiles-secret-client";
pub const CERT_CLIENT: &str = "test-profiles-cert-client";
/// The simulator's secret and certificate clients, and a home of folders (settings, cache and
/// locks) whose binary logs at trace level.
pub struct ProfileWorld(pub World);

impl std::ops::Deref for ProfileWorld {
    type Target = World;
    fn deref(&self) -> &World {
        &self.0
    }
}

impl ProfileWorld {
    pub fn new(with_keyring: bool) -> Self {
        let home = Home::traced(with_keyring);
        ProfileWorld(World::start(home, &Clients::new(SECRET_CLIENT, SECRET, CERT_CLIENT)))
    }

    /// A world on the real keyring, or None (after the `skipped:` line) without one.
    pub fn on_keyring() -> Option<Self> {
        keyring_tests().then(|| ProfileWorld::new(true))
    }

    /// A world on the real keyring with a secret-client profile named after `base`, or None
    /// (after the `skipped:` line) without a keyring.
    pub fn with_secret_profile(base: &str) -> Option<(Self, String)> {
        let w = ProfileWorld::on_keyring()?;
        let name = w.home.name(base);
        ok(&w.add_secret_profile(&name));
        Some((w, name))
    }

    /// `token --profile NAME --json`, which must succeed: its JSON.
    pub fn token_json(&self, name: &str) -> serde_json::Value {
        json(&self.home.run(&["token", "--profile", name, "--json"], None))
    }

    /// `profile add NAME` for the secret client, the secret piped in.
    pub fn add_secret_profile(&self, name: &str) -> Output {
        let url = self.stitch.sim.token_url();
        self.home.run(&add_secret_args(name, &url), Some(SECRET))
    }
}

/// `profile add NAME` for the secret client at `url`, the secret to be piped in.
pub fn add_secret_args<'a>(name: &'a str, url: &'a str) -> Vec<&'a str> {
    let mut args = vec!["profile", "add", name, "--client-id", SECRET_CLIENT, "--secret-stdin"];
    args.extend(["--scope", "client_paymentrequest", "--token-url", url]);
    args
}

pub fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stdout:\n{}\nstderr:\n{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).unwrap()
}

/// A profiles document with these profiles, as an export file holds it.
pub fn document(profiles: &[&str]) -> String {
    format!(r#"{{"version": 1, "profiles": [{}]}}"#, profiles.join(", "))
}

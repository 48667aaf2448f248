//! What the profile commands send to the window: plain data made from a profile, never its
//! secret.

use std::time::SystemTime;

use serde::Serialize;
use token_desk_core::os_keyring::KeyringError;
use token_desk_core::profiles::reminders::reminders;
use token_desk_core::profiles::secrets::SecretState;
use token_desk_core::profiles::transfer::{Conflict, ImportPlan, Review};
use token_desk_core::profiles::{AuthMethod, Environment, Profile};

/// Whether a profile's secret is kept, as the window labels it. Never the secret.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretShown {
    Saved,
    ThisSessionOnly,
    Missing,
    /// The keyring could not be asked.
    Unknown,
}

/// A profile as the window shows it: nothing secret.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub name: String,
    pub environment: Environment,
    pub client_id: String,
    pub auth: AuthMethod,
    pub scopes: Vec<String>,
    pub token_url: String,
    /// The audience used (the token URL unless the profile sets one).
    pub audience: String,
    pub api_url: String,
    pub secret: SecretShown,
    pub secret_issued_on: Option<String>,
    /// The certificate kept in the keyring, described: subject, thumbprint, expiry date.
    pub certificate: Option<CertificateShown>,
    /// Sentences about a certificate or secret expiring within 30 days (or expired).
    pub reminders: Vec<String>,
    /// Whether a Live profile's first token of this session has been confirmed.
    pub live_confirmed: bool,
}

#[derive(Debug, Serialize)]
pub struct CertificateShown {
    pub subject: String,
    pub thumbprint: String,
    pub expires_on: String,
}

impl ProfileView {
    /// `profile` with what the keyring said about its secret, whether this session confirmed
    /// it (Live profiles), and its reminders at `now`.
    pub fn new(
        profile: &Profile,
        secret: Result<SecretState, KeyringError>,
        live_confirmed: bool,
        now: SystemTime,
    ) -> Self {
        let secret = match secret {
            Ok(SecretState::Saved) => SecretShown::Saved,
            Ok(SecretState::ThisSessionOnly) => SecretShown::ThisSessionOnly,
            Ok(SecretState::Missing) => SecretShown::Missing,
            Err(_) => SecretShown::Unknown,
        };
        Self {
            name: profile.name.clone(),
            environment: profile.environment,
            client_id: profile.client_id.clone(),
            auth: profile.auth,
            scopes: profile.scopes.iter().map(str::to_owned).collect(),
            token_url: profile.token_url.clone(),
            audience: profile.audience.clone().unwrap_or_else(|| profile.token_url.clone()),
            api_url: profile.api_url.clone(),
            secret,
            secret_issued_on: profile.secret_issued_on.map(|d| d.to_string()),
            certificate: profile.certificate.as_ref().map(|c| CertificateShown {
                subject: c.subject.clone(),
                thumbprint: c.thumbprint.clone(),
                expires_on: token_desk_core::clock::rfc3339(c.not_after).chars().take(10).collect(),
            }),
            reminders: reminders(profile, now).into_iter().map(|r| r.message).collect(),
            live_confirmed,
        }
    }
}

/// Every profile, and the keyring's situation.
#[derive(Debug, Serialize)]
pub struct ProfilesView {
    pub profiles: Vec<ProfileView>,
    /// Said plainly when no keyring service answers: secrets are then kept for this session only.
    pub keyring_notice: Option<String>,
}

/// What a change did, and anything worth saying about it.
#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub profile: Option<ProfileView>,
    pub message: String,
    /// Set when the secret could only be kept for this session.
    pub keyring_notice: Option<String>,
}

/// Where an export went.
#[derive(Debug, Serialize)]
pub struct ExportView {
    pub path: String,
    pub count: usize,
}

/// What importing a file would do, for the user to confirm.
#[derive(Debug, Serialize)]
pub struct ImportPlanView {
    pub path: String,
    /// Each new profile: its client id, Test or Live (from the client id) and the hosts it
    /// would talk to, flagged in words when they need the user's trust.
    pub reviews: Vec<Review>,
    pub unchanged: Vec<String>,
    /// Names already used here by another profile: left alone.
    pub conflicts: Vec<Conflict>,
}

impl ImportPlanView {
    pub fn new(path: &std::path::Path, plan: &ImportPlan) -> Self {
        Self {
            path: path.display().to_string(),
            reviews: plan.reviews.clone(),
            unchanged: plan.unchanged.clone(),
            conflicts: plan.conflicts.clone(),
        }
    }
}

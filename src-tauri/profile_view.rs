//! What the profile commands send to the window: plain data made from a profile, never its
//! secret.

use std::time::SystemTime;

use serde::Serialize;
use token_desk_core::keyring::profile_secrets::SecretState;
use token_desk_core::keyring::KeyringError;
use token_desk_core::profiles::reminders::reminders;
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
    /// For a Live profile: the one short line of the red banner, naming the host its tokens
    /// come from ([`live_words`]).
    pub live_banner: Option<String>,
    /// For a Live profile: the question asked before its first token of the session.
    pub live_confirm: Option<String>,
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
            live_banner: live_words(profile).map(|(banner, _)| banner),
            live_confirm: live_words(profile).map(|(_, confirm)| confirm),
        }
    }
}

/// The host (and port, unless the scheme's usual one) tokens of `token_url` come from: what
/// the Live warnings name, so a Live client on a colleague's server is never said to be
/// Stitch's live environment.
pub fn token_host(token_url: &str) -> String {
    match token_desk_core::destination::Origin::parse(token_url) {
        Some(o) if matches!((o.scheme(), o.port()), ("https", 443) | ("http", 80)) => o.host().to_owned(),
        Some(o) => format!("{}:{}", o.host(), o.port()),
        None => "its token URL".to_owned(),
    }
}

/// The Live banner's one short line and the confirmation's question for a Live `profile`
/// (Live by its client id: not `test-`); `None` for a Test one.
pub fn live_words(profile: &Profile) -> Option<(String, String)> {
    if profile.environment != Environment::Live {
        return None;
    }
    let host = token_host(&profile.token_url);
    let banner = format!("LIVE client — real money — tokens from {host}");
    let confirm = format!(
        "\"{}\" is a LIVE client ({}). Its tokens come from {host} and can move real money. Get a live token for this session?",
        profile.name, profile.client_id
    );
    Some((banner, confirm))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_live_warnings_name_the_host_tokens_really_come_from() {
        let mut profile = Profile::new("Shop", "shop-live-1", AuthMethod::Secret);
        profile.environment = Environment::Live;
        profile.token_url = "http://127.0.0.1:56253/connect/token".into();
        let (banner, confirm) = live_words(&profile).expect("a Live profile is warned about");
        assert_eq!(banner, "LIVE client — real money — tokens from 127.0.0.1:56253");
        assert!(confirm.contains("come from 127.0.0.1:56253") && !confirm.contains("Stitch"), "{confirm}");
        profile.token_url = token_desk_core::STITCH_TOKEN_URL.into();
        assert!(live_words(&profile).unwrap().0.ends_with(&token_host(token_desk_core::STITCH_TOKEN_URL)));
        assert!(!token_host(token_desk_core::STITCH_TOKEN_URL).contains(':'));
        profile.environment = Environment::Test;
        assert_eq!(live_words(&profile), None);
    }
}

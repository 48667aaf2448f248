//! Handing a colleague a ready-made setup: profiles exported to a JSON file and imported from
//! one, never with a secret (a [`Profile`] cannot hold one; the colleague adds their own).
//!
//! Import is two steps so nothing happens by surprise: [`plan_import`] says what would be
//! added and which names clash with existing profiles, then [`SettingsFile::import`] adds only
//! the new ones. An existing profile is never overwritten. A malformed or hostile file is
//! refused whole before anything changes (see [`super::document`]).
//!
//! A file can name any server, and a profile's servers receive its secret (token URL), its
//! signed assertion (audience) and its tokens (API URL). So the plan reviews every profile
//! ([`Review`]): its client id, Test or Live (from the client id: without `test-` it is Live,
//! whatever the file says), and each host, flagged in words when it is not Stitch's own or
//! not the usual API for its token URL. A profile with a flag is imported only when the user
//! trusts the hosts listed ([`HostTrust::TrustListedHosts`]).

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::document::{self, DocumentError};
use super::settings::{SettingsError, SettingsFile};
use super::{Environment, Profile};
use crate::destination::Origin;
use crate::files;
use crate::loopback;

/// Why an export or import did not happen. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    #[error("Cannot import {path}: {problem}. Nothing was changed.")]
    Unreadable { path: PathBuf, problem: DocumentError },
    #[error("Cannot read {path} ({cause}). Nothing was changed.")]
    Read { path: PathBuf, cause: String },
    #[error("Cannot write {path} ({cause}).")]
    Write { path: PathBuf, cause: String },
}

/// A profile in the file whose name is already used here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub name: String,
    /// The fields that differ between the profile here and the one in the file.
    pub differences: Vec<&'static str>,
}

/// What importing a file would do.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImportPlan {
    /// Profiles with new names: these will be added (those needing trust only if it is given).
    /// Their environment is the one their client id implies.
    pub add: Vec<Profile>,
    /// What to check about each profile of `add`, in the same order.
    pub reviews: Vec<Review>,
    /// Names already here with the same content: nothing to do.
    pub unchanged: Vec<String>,
    /// Names already here with other content (or one that looks the same): left alone
    /// (rename or remove one first).
    pub conflicts: Vec<Conflict>,
}

/// What a person should check about one imported profile before trusting it.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub name: String,
    pub client_id: String,
    /// From the client id: Live unless it starts with `test-`.
    pub environment: Environment,
    /// Set when the file said another environment than the client id implies.
    pub environment_note: Option<String>,
    /// The token URL's, the audience's and the API URL's hosts, in that order, then the proxy
    /// and the company CA file when the file sets them (always flagged).
    pub hosts: Vec<HostCheck>,
    /// True when any host is flagged: the profile is imported only if the user trusts them.
    pub needs_trust: bool,
}

/// One server an imported profile would talk to, or a network setting that decides which.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostCheck {
    /// `token URL`, `audience`, `API URL`, `proxy` or `company CA file`.
    pub role: &'static str,
    pub url: String,
    /// The host (and port, when it is not the usual one), as people read it.
    pub host: String,
    /// Why this host needs the user's trust, in words; `None` for Stitch's own.
    pub flag: Option<String>,
}

impl Review {
    /// The flagged hosts, e.g. `evil.example (token URL)`.
    pub fn flagged_hosts(&self) -> Vec<String> {
        self.hosts.iter().filter(|h| h.flag.is_some()).map(|h| format!("{} ({})", h.host, h.role)).collect()
    }
}

impl ImportPlan {
    /// The reviews of the profiles that need the user's trust.
    pub fn needing_trust(&self) -> impl Iterator<Item = &Review> {
        self.reviews.iter().filter(|r| r.needs_trust)
    }
}

/// Whether the user trusts the hosts an import plan flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostTrust {
    /// Import only profiles whose hosts are all Stitch's own.
    StitchOnly,
    /// The user read the flagged hosts and trusts them (`--trust-hosts`, the window's
    /// confirmation).
    TrustListedHosts,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Imported {
    /// The names added.
    pub added: Vec<String>,
    /// Profiles left out because their hosts were not trusted, with why.
    pub not_trusted: Vec<NotTrusted>,
}

/// A profile an import left out because the user did not trust its hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotTrusted {
    pub name: String,
    /// The flagged hosts, e.g. `evil.example (token URL)`.
    pub hosts: Vec<String>,
    /// One sentence saying why and what to do.
    pub reason: String,
}

/// Stitch's own hosts: the only ones an import may name without the user's say-so.
pub const STITCH_HOSTS: [&str; 2] = ["secure.stitch.money", "api.stitch.money"];

fn is_stitch(origin: &Origin) -> bool {
    origin.scheme() == "https" && origin.port() == 443 && STITCH_HOSTS.contains(&origin.host())
}

/// Reviews one imported profile; `profile.environment` is set from its client id.
pub fn review(profile: &mut Profile) -> Review {
    let implied = Environment::suggested_for(&profile.client_id);
    let environment_note = (implied == Environment::Live && profile.environment != Environment::Live).then(|| {
        format!(
            "The file says {}, but the client ID {} does not start with test-, so it is a LIVE client (real money).",
            profile.environment.as_str(),
            profile.client_id
        )
    });
    if implied == Environment::Live {
        profile.environment = Environment::Live;
    }
    let token_origin = Origin::parse(&profile.token_url);
    let audience = profile.audience.clone().unwrap_or_else(|| profile.token_url.clone());
    let usual_api = Origin::parse(&crate::usage::api_url_for(&profile.token_url));
    let mut hosts = Vec::new();
    for (role, url) in [("token URL", &profile.token_url), ("audience", &audience), ("API URL", &profile.api_url)] {
        let origin = Origin::parse(url);
        let host = origin.as_ref().map_or_else(|| url.clone(), shown_host);
        let foreign = |what: &str| match &origin {
            Some(o) if loopback::strict_text(o.host()) => Some(format!(
                "{host} is this computer (a simulator?), not Stitch: {what} would go to whatever program listens there."
            )),
            _ => Some(format!("{host} is not Stitch's server: {what} would be sent there.")),
        };
        let flag = match role {
            "token URL" if !origin.as_ref().is_some_and(is_stitch) => foreign("the client's secret or signed assertion"),
            "audience" if origin != token_origin => Some(format!(
                "The audience {host} is not the token URL's server: Token Desk refuses to send an assertion addressed to one server to another."
            )),
            "audience" if !origin.as_ref().is_some_and(is_stitch) => foreign("an assertion valid for it"),
            "API URL" if !origin.as_ref().is_some_and(is_stitch) => foreign("every token of this client"),
            "API URL" if origin != usual_api => Some(format!(
                "{host} is not the usual API for this token URL ({}): every token of this client would be sent there.",
                usual_api.as_ref().map_or_else(String::new, shown_host)
            )),
            _ => None,
        };
        hosts.push(HostCheck { role, url: url.clone(), host, flag });
    }
    // A file's network settings can hand every request to another computer (a proxy), or make
    // Token Desk believe that computer is Stitch (a CA): together they read every secret.
    if let Some(proxy) = profile.proxy.as_deref() {
        let host = Origin::parse(proxy).as_ref().map_or_else(|| proxy.to_owned(), shown_host);
        let flag = format!("Every request of this client, its secret included, would go through the proxy {host}.");
        hosts.push(HostCheck { role: "proxy", url: proxy.to_owned(), host, flag: Some(flag) });
    }
    if let Some(ca) = profile.ca_file.as_deref() {
        let flag = "Token Desk would trust every server this certificate authority vouches for, as if it were Stitch: \
                    trust only a CA file from your own IT."
            .to_owned();
        hosts.push(HostCheck { role: "company CA file", url: ca.to_owned(), host: ca.to_owned(), flag: Some(flag) });
    }
    let needs_trust = hosts.iter().any(|h| h.flag.is_some());
    Review {
        name: profile.name.clone(),
        client_id: profile.client_id.clone(),
        environment: profile.environment,
        environment_note,
        hosts,
        needs_trust,
    }
}

fn shown_host(origin: &Origin) -> String {
    let default = matches!((origin.scheme(), origin.port()), ("https", 443) | ("http", 80));
    if default {
        origin.host().to_owned()
    } else {
        format!("{}:{}", origin.host(), origin.port())
    }
}

/// Writes `profiles` to `path` in the versioned document form, atomically.
pub fn export(profiles: &[Profile], path: &Path) -> Result<(), TransferError> {
    files::write_atomically(path, &document::render(profiles))
        .map_err(|e| TransferError::Write { path: path.to_owned(), cause: e.kind().to_string() })
}

/// Reads and checks an export file (a regular file only, size-capped, see
/// [`files::read_capped`]).
pub fn read(path: &Path) -> Result<Vec<Profile>, TransferError> {
    let unreadable = |problem| TransferError::Unreadable { path: path.to_owned(), problem };
    let bytes = match files::read_capped(path, document::MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(files::FileError::TooLarge { size, .. }) => return Err(unreadable(DocumentError::TooLarge(size))),
        Err(e) => return Err(TransferError::Read { path: path.to_owned(), cause: e.to_string() }),
    };
    document::parse(&bytes).map_err(unreadable)
}

/// What importing `incoming` next to `existing` would do. A name that folds like an existing
/// one ([`super::folded_name`]) is a conflict, however it is spelt.
pub fn plan_import(existing: &[Profile], incoming: Vec<Profile>) -> ImportPlan {
    let mut plan = ImportPlan::default();
    for mut p in incoming {
        let here = super::similar_name(&p.name, existing.iter().map(|e| e.name.as_str()))
            .and_then(|n| existing.iter().find(|e| e.name == n));
        match here {
            None => {
                plan.reviews.push(review(&mut p));
                plan.add.push(p);
            }
            Some(e) if *e == p => plan.unchanged.push(p.name),
            Some(e) if e.name != p.name => {
                plan.conflicts.push(Conflict { name: p.name.clone(), differences: vec!["name"] })
            }
            Some(e) => plan.conflicts.push(Conflict { name: p.name.clone(), differences: differences(e, &p) }),
        }
    }
    plan
}

fn differences(a: &Profile, b: &Profile) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |differs: bool, field| {
        if differs {
            out.push(field);
        }
    };
    check(a.environment != b.environment, "environment");
    check(a.client_id != b.client_id, "client_id");
    check(a.auth != b.auth, "auth");
    check(a.scopes != b.scopes, "scopes");
    check(a.token_url != b.token_url, "token_url");
    check(a.audience != b.audience, "audience");
    check(a.api_url != b.api_url, "api_url");
    check(a.secret_issued_on != b.secret_issued_on, "secret_issued_on");
    check(a.certificate != b.certificate, "certificate");
    out
}

impl SettingsFile {
    /// Adds the plan's new profiles, all at once: those whose hosts need trust only with
    /// [`HostTrust::TrustListedHosts`]. A name taken since the plan was made is skipped, not
    /// overwritten.
    pub fn import(&self, plan: &ImportPlan, trust: HostTrust) -> Result<Imported, SettingsError> {
        let mut not_trusted = Vec::new();
        let mut allowed = Vec::new();
        for (p, r) in plan.add.iter().zip(&plan.reviews) {
            if r.needs_trust && trust == HostTrust::StitchOnly {
                let hosts = r.flagged_hosts();
                not_trusted.push(NotTrusted {
                    name: p.name.clone(),
                    reason: format!(
                        "Not imported: it names servers that are not Stitch's own ({}). Check them with whoever sent the file; import again trusting them to add it.",
                        hosts.join(", ")
                    ),
                    hosts,
                });
            } else {
                allowed.push(p);
            }
        }
        if allowed.is_empty() {
            return Ok(Imported { added: Vec::new(), not_trusted });
        }
        let added = self.update(|profiles| {
            let mut added = Vec::new();
            for p in allowed {
                if super::similar_name(&p.name, profiles.iter().map(|e| e.name.as_str())).is_none() {
                    profiles.push(p.clone());
                    added.push(p.name.clone());
                }
            }
            Ok(added)
        })?;
        Ok(Imported { added, not_trusted })
    }
}

#[cfg(test)]
mod tests;

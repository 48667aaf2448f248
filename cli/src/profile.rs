//! `token-desk profile …`: saved clients. The profile itself goes into the settings file; its
//! secret or certificate goes into the OS keyring and nowhere else. Nothing here ever prints
//! a secret.

use std::process::ExitCode;
use std::sync::Arc;

use serde_json::json;
use token_desk_core::clock::{Clock, SystemClock};
use token_desk_core::keyring::profile_secrets::{ProfileSecrets, SecretState};
use token_desk_core::keyring::{Keyring, KeyringError, Saved};
use token_desk_core::profiles::changes::{self, NewSecret};
use token_desk_core::profiles::reminders::reminders;
use token_desk_core::profiles::settings::{SettingsError, SettingsFile};
use token_desk_core::profiles::transfer::{self, HostTrust};
use token_desk_core::profiles::{AuthMethod, Environment, IssuedOn, Profile};
use token_desk_core::scope::Scopes;
use token_desk_core::token_store::keyring_tokens::KeyringTokens;
use token_desk_core::Failure;

use crate::args::{AddArgs, CredentialArgs, NetworkArgs, ProfileCommand};
use crate::exit::Failed;
use crate::shown::{say, tell};

pub fn run(command: ProfileCommand) -> ExitCode {
    let done = SettingsFile::default_location().map_err(Failed::from).and_then(|settings| match command {
        ProfileCommand::Add(args) => add(&settings, args),
        ProfileCommand::SetSecret { name, credential, secret_issued_on } => {
            set_secret(&settings, &name, &credential, secret_issued_on.as_deref())
        }
        ProfileCommand::List { json } => list(&settings, json),
        ProfileCommand::Remove { name } => remove(&settings, &name),
        ProfileCommand::Export { file } => export(&settings, &file),
        ProfileCommand::Import { file, dry_run, trust_hosts } => import(&settings, &file, dry_run, trust_hosts),
    });
    crate::exit::end(done)
}

fn add(settings: &SettingsFile, args: AddArgs) -> Result<(), Failed> {
    let mut profile = Profile::new(&args.name, &args.client_id, AuthMethod::Secret);
    profile.scopes = Scopes::parse(&args.scopes);
    profile.token_url = args.token_url.trim().to_owned();
    profile.audience = args.audience.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty());
    profile.api_url = args.api_url.trim().to_owned();
    profile.secret_issued_on = issued_on(args.secret_issued_on.as_deref())?;
    network_into_profile(&args.network, &mut profile).map_err(|f| Failed::input(f.message))?;
    // A live client moves real money: it is never saved as a test profile by accident.
    match (args.live, profile.environment) {
        (true, Environment::Test) => tell!(
            "warning: the client ID starts with test-, like Stitch's test clients; saving it as a LIVE profile as asked."
        ),
        (false, Environment::Live) => {
            return Err(Failed::input(format!(
                "The client ID {:?} does not start with test-, so it looks like a live client. \
                 Add --live to save it as a live profile.",
                profile.client_id
            )))
        }
        _ => {}
    }
    profile.environment = if args.live { Environment::Live } else { Environment::Test };
    profile.validate().map_err(|e| Failed::input(e.to_string()))?;
    // A profile whose requests would all be refused is not saved (nor its secret).
    token_desk_core::request::check_profile_audience(profile.audience.as_deref(), &profile.token_url)?;
    if settings.load()?.iter().any(|p| p.name == profile.name) {
        return Err(SettingsError::NameTaken(profile.name).into());
    }

    let secret = new_secret(&args.credential)?;
    let keyring = Keyring::app();
    require_keyring(&keyring, &format!("profile \"{}\" was not added", profile.name))?;
    let name = profile.name.clone();
    let environment = profile.environment;
    let saved = changes::add(settings, ProfileSecrets::new(&keyring), profile, &secret)?;
    if let Saved::ForThisSessionOnly(e) = saved {
        // The keyring went away since it was checked: a command's session ends now, so the
        // secret would be lost. Undo, and say so.
        let _ = changes::remove(settings, ProfileSecrets::new(&keyring), None, &name);
        return Err(no_keyring(&e, &format!("profile \"{name}\" was not added")));
    }
    let what = match secret {
        NewSecret::ClientSecret(_) => "client secret",
        NewSecret::Certificate(_) => "certificate and its key",
    };
    say!("Saved profile \"{name}\" ({}); its {what} is in the OS keyring.", env_label(environment));
    if matches!(secret, NewSecret::Certificate(_)) {
        say!("The certificate file is no longer needed by Token Desk.");
    }
    Ok(())
}

fn set_secret(
    settings: &SettingsFile,
    name: &str,
    credential: &CredentialArgs,
    secret_issued_on: Option<&str>,
) -> Result<(), Failed> {
    let issued = issued_on(secret_issued_on)?;
    settings.find(name)?;
    let secret = new_secret(credential)?;
    let keyring = Arc::new(Keyring::app());
    require_keyring(&keyring, "nothing was changed")?;
    let tokens = KeyringTokens::app(keyring.clone(), Arc::new(SystemClock));
    let saved = changes::replace_secret(settings, ProfileSecrets::new(&keyring), Some(&tokens), name, &secret)?;
    if let Saved::ForThisSessionOnly(e) = saved {
        return Err(no_keyring(&e, "nothing was changed"));
    }
    if issued.is_some() {
        let mut profile = settings.find(name)?;
        profile.secret_issued_on = issued;
        settings.replace(name, profile)?;
    }
    say!("Saved the secret of profile \"{name}\" in the OS keyring.");
    Ok(())
}

fn list(settings: &SettingsFile, json: bool) -> Result<(), Failed> {
    let profiles = settings.load()?;
    let now = SystemClock.now();
    let keyring = Keyring::app();
    let secrets = ProfileSecrets::new(&keyring);
    let mut keyring_problem = None;
    let states: Vec<Option<SecretState>> = profiles
        .iter()
        .map(|p| match secrets.state(p) {
            Ok(state) => Some(state),
            Err(e) => {
                keyring_problem.get_or_insert(e);
                None
            }
        })
        .collect();
    let due: Vec<_> = profiles.iter().flat_map(|p| reminders(p, now)).collect();

    if json {
        let list: Vec<_> = profiles
            .iter()
            .zip(&states)
            .map(|(p, state)| {
                let mut v = serde_json::to_value(p).expect("profiles serialize");
                v["secret"] = json!(state.map_or("unknown", |s| match s {
                    SecretState::Saved => "saved",
                    SecretState::ThisSessionOnly => "this_session_only",
                    SecretState::Missing => "missing",
                }));
                v["reminders"] = json!(reminders(p, now));
                v
            })
            .collect();
        say!("{}", serde_json::to_string_pretty(&list).expect("JSON values serialize"));
    } else if profiles.is_empty() {
        say!("No profiles yet. Add one: token-desk profile add NAME --client-id ID --secret-stdin");
    } else {
        let rows: Vec<[String; 6]> = profiles
            .iter()
            .zip(&states)
            .map(|(p, state)| {
                [
                    p.name.clone(),
                    env_label(p.environment).to_owned(),
                    p.auth.as_str().to_owned(),
                    state.map_or("unknown", SecretState::as_str).to_owned(),
                    p.client_id.clone(),
                    p.scopes.to_field(),
                ]
            })
            .collect();
        let header = ["NAME", "ENV", "AUTH", "SECRET", "CLIENT ID", "SCOPES"].map(str::to_owned);
        let widths: Vec<usize> =
            (0..6).map(|i| rows.iter().chain([&header]).map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
        for row in [&header].into_iter().chain(&rows) {
            let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:w$}")).collect();
            say!("{}", cells.join("  ").trim_end());
        }
        for r in &due {
            say!("reminder: {}", r.message);
        }
    }
    if let Some(e) = keyring_problem {
        tell!("note: whether secrets are saved is unknown: {e}");
    }
    Ok(())
}

fn remove(settings: &SettingsFile, name: &str) -> Result<(), Failed> {
    let keyring = Arc::new(Keyring::app());
    let tokens = KeyringTokens::app(keyring.clone(), Arc::new(SystemClock));
    let removed = changes::remove(settings, ProfileSecrets::new(&keyring), Some(&tokens), name)?;
    match (removed.secrets, removed.tokens) {
        (Ok(()), Ok(n)) => {
            let tokens = match n {
                0 => "no cached tokens".to_owned(),
                1 => "1 cached token".to_owned(),
                n => format!("{n} cached tokens"),
            };
            say!("Removed profile \"{name}\", its keyring entries and {tokens}.");
            Ok(())
        }
        (Err(e), _) | (_, Err(e)) => Err(Failed::keyring(
            &e,
            format!(
                "Removed profile \"{name}\" from the settings, but its keyring entries and cached tokens could not be deleted: {e}"
            ),
        )),
    }
}

fn export(settings: &SettingsFile, file: &std::path::Path) -> Result<(), Failed> {
    let profiles = settings.load()?;
    transfer::export(&profiles, file)?;
    let n = profiles.len();
    say!("Exported {n} profile{} to {} (no secrets).", if n == 1 { "" } else { "s" }, file.display());
    Ok(())
}

fn import(settings: &SettingsFile, file: &std::path::Path, dry_run: bool, trust_hosts: bool) -> Result<(), Failed> {
    let incoming = transfer::read(file)?;
    let plan = transfer::plan_import(&settings.load()?, incoming);
    let verb = if dry_run { "would add" } else { "adding" };
    for (p, r) in plan.add.iter().zip(&plan.reviews) {
        let held = r.needs_trust && !trust_hosts;
        let verb = if held { "needs --trust-hosts" } else { verb };
        say!("{verb}: \"{}\" ({}, {}, client {})", p.name, env_label(r.environment), p.auth.as_str(), r.client_id);
        if let Some(note) = &r.environment_note {
            say!("  note: {note}");
        }
        for h in &r.hosts {
            match &h.flag {
                Some(flag) => say!("  {:9}  {}  CHECK: {flag}", h.role, h.host),
                None => say!("  {:9}  {}  (Stitch)", h.role, h.host),
            }
        }
    }
    for name in &plan.unchanged {
        say!("already here, identical: \"{name}\"");
    }
    for c in &plan.conflicts {
        say!(
            "skipped: \"{}\" exists here with a different {}; rename or remove it first to import this one",
            c.name,
            c.differences.join(", ")
        );
    }
    if dry_run {
        return Ok(());
    }
    let trust = if trust_hosts { HostTrust::TrustListedHosts } else { HostTrust::StitchOnly };
    let done = settings.import(&plan, trust)?;
    let added = &done.added;
    say!(
        "Added {} profile{}. Secrets are never imported: save each one's with token-desk profile set-secret NAME --secret-stdin (or --certificate FILE.pem).",
        added.len(),
        if added.len() == 1 { "" } else { "s" }
    );
    if done.not_trusted.is_empty() {
        return Ok(());
    }
    for n in &done.not_trusted {
        tell!("not imported: \"{}\": {}", n.name, n.reason);
    }
    Err(Failed::input(format!(
        "{} profile{} not imported because {} servers that are not Stitch's own. If you trust them, run again with --trust-hosts.",
        done.not_trusted.len(),
        if done.not_trusted.len() == 1 { " was" } else { "s were" },
        if done.not_trusted.len() == 1 { "it names" } else { "they name" },
    )))
}

/// The secret named by the arguments: read from stdin or the environment, or the certificate
/// file's text.
fn new_secret(args: &CredentialArgs) -> Result<NewSecret, Failed> {
    if let Some(path) = &args.certificate {
        // Read whole here, so a bad file is refused before the keyring is touched.
        let (pem, _) = token_desk_core::certificate::read_file(path).map_err(|e| Failed::input(e.to_string()))?;
        return Ok(NewSecret::Certificate(pem));
    }
    let secret = args.client_secret()?;
    // From now on this secret is removed from every output, as `token`'s is.
    crate::shown::remember_secret(&secret);
    Ok(NewSecret::ClientSecret(secret))
}

/// Puts the network options into a profile being saved: the CA file checked now and kept as
/// an absolute path (the profile is used from any folder); the proxy and timeout as given,
/// checked by [`token_desk_core::profiles::Profile::validate`] (which refuses a proxy with
/// credentials).
fn network_into_profile(given: &NetworkArgs, profile: &mut Profile) -> Result<(), Failure> {
    if let Some(path) = &given.ca_file {
        token_desk_core::network::CompanyCa::from_file(path)?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        profile.ca_file = Some(absolute.display().to_string());
    }
    profile.proxy = given.proxy.as_ref().map(|p| p.trim().to_owned()).filter(|p| !p.is_empty());
    profile.timeout_secs = given.timeout;
    Ok(())
}

fn issued_on(text: Option<&str>) -> Result<Option<IssuedOn>, Failed> {
    text.map(|t| {
        IssuedOn::parse(t).ok_or_else(|| Failed::input(format!("{t:?} is not a date; write it as YYYY-MM-DD.")))
    })
    .transpose()
}

/// Refuses to go on without a keyring: a command ends with its session, so a secret kept
/// "for this session only" would simply be lost.
fn require_keyring(keyring: &Keyring, consequence: &str) -> Result<(), Failed> {
    match keyring.check() {
        Err(e) if e.is_unreachable() => Err(no_keyring(&e, consequence)),
        _ => Ok(()),
    }
}

fn no_keyring(e: &KeyringError, consequence: &str) -> Failed {
    let message = format!(
        "{e}\nThe secret was not saved, and {consequence}: Token Desk keeps secrets only in the OS keyring, \
         never in a file. Without a keyring, pass the secret each time: token-desk token --client-id ID --secret-stdin …"
    );
    Failed::Engine(Failure::new(token_desk_core::FailureKind::NoKeyring, message))
}

fn env_label(environment: Environment) -> &'static str {
    match environment {
        Environment::Test => "test",
        Environment::Live => "LIVE",
    }
}

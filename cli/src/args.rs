//! The command line's arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::exit::{CHECK_EXIT_CODES, EXIT_CODES};
pub use crate::integrator_args::{CollectionArgs, IntegratorClientArgs, SnippetArgs};

/// Get and test Stitch client tokens. Run without a command to open the window.
#[derive(Debug, Parser)]
#[command(name = "token-desk", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// With no command: open the window in presenter mode (for a shared screen).
    #[arg(long)]
    pub presenter: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Get a client token (OAuth 2.0 client credentials) and print it.
    #[command(after_help = EXIT_CODES)]
    Token(TokenArgs),
    /// List Stitch's client scopes with what each allows.
    Scopes {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Test a token against the Stitch API with safe, read-only queries.
    #[command(
        after_help = CHECK_EXIT_CODES,
        mut_arg("client_id", |a| a.required_unless_present_any(["profile", "token_stdin"])),
        mut_arg("scopes", |a| a.required_unless_present_any(["profile", "token_stdin"]).help(
            "A scope to request and to check; repeat it, or separate several with spaces or commas \
             [with --token-stdin: scopes to check]"
        ))
    )]
    Check(CheckArgs),
    /// Print code that gets a token and calls the API (cURL, JavaScript, Python or C#).
    Snippet(SnippetArgs),
    /// Save a Postman, Bruno or .http collection that gets a token and calls the API.
    Collection(CollectionArgs),
    /// Save, list, remove, export and import client profiles (secrets stay in the OS keyring).
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Run the built-in Stitch simulator and print its URLs and demo credentials.
    Simulate {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Lifetime of the tokens it issues, in seconds.
        #[arg(long, default_value_t = 3600, value_name = "SECONDS")]
        lifetime: u64,
    },
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Use a saved profile: its client, URLs, default scopes and the secret in the OS keyring.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The client ID Stitch gave you (test clients look like test-…).
    #[arg(long, value_name = "ID", required_unless_present = "profile", conflicts_with = "profile")]
    pub client_id: Option<String>,
    /// A scope to request; repeat it, or separate several with spaces or commas [with --profile:
    /// replaces the profile's scopes]
    #[arg(long = "scope", value_name = "SCOPE", required_unless_present = "profile")]
    pub scopes: Vec<String>,
    #[command(flatten)]
    pub credential: CredentialArgs,
    /// The token endpoint.
    #[arg(long, value_name = "URL", default_value = token_desk_core::STITCH_TOKEN_URL, conflicts_with = "profile")]
    pub token_url: String,
    /// The audience (the assertion's `aud` and the `audience` field) [default: the token URL]
    #[arg(long, value_name = "URL", conflicts_with = "profile")]
    pub audience: Option<String>,
    /// Print one JSON object instead of the bare token.
    #[arg(long)]
    pub json: bool,
    /// Always ask for a new token, even if a cached one is still valid.
    #[arg(long)]
    pub fresh: bool,
    /// Tell on stderr what is sent (secret masked) and how long each attempt took.
    #[arg(short, long)]
    pub verbose: bool,
    /// When the server refuses the scopes without naming one, ask for each scope on its own
    /// (one request per scope) and name the ones refused.
    #[arg(long)]
    pub find_refused_scope: bool,
    #[command(flatten)]
    pub network: NetworkArgs,
    #[command(flatten)]
    pub proxy_password: ProxyPasswordArgs,
}

/// Company networks: a CA to trust, a proxy, a deadline. With `--profile`, each one given
/// replaces the profile's.
#[derive(Debug, Args, Default)]
pub struct NetworkArgs {
    /// Also trust the certificates in this PEM file (your company's CA, from IT), besides the
    /// computer's own and Token Desk's built-in roots.
    #[arg(long, value_name = "FILE.pem")]
    pub ca_file: Option<PathBuf>,
    /// Send every request through this proxy, loopback included (http://[user@]host:port, never
    /// with a password: it would show in the process list). Without it, HTTPS_PROXY /
    /// HTTP_PROXY / ALL_PROXY apply, except to this computer.
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Give up after this many seconds, retries included [default: 30]
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
}

/// The password of the proxy given with `--proxy http://user@host:port`, which never holds
/// it: an address with a password is refused, because arguments show in the process list
/// (`/proc/PID/cmdline`, `ps`) and the shell history. Without either option, an address with a
/// user name gets its password typed at the terminal, when standard input is one.
#[derive(Debug, Args, Default)]
#[group(required = false, multiple = false)]
pub struct ProxyPasswordArgs {
    /// Read the proxy's password from this environment variable (the user name goes in
    /// --proxy, http://user@host:port).
    #[arg(long, value_name = "VAR")]
    pub proxy_password_env: Option<String>,
    /// Ask for the proxy's password at the terminal (typed without echo) before sending: what
    /// happens anyway for an address with a user name when standard input is a terminal.
    #[arg(long)]
    pub proxy_password_prompt: bool,
}

/// Exactly one credential (with `token --profile`, none: the profile's is used unless one is
/// given). Secrets are never taken as arguments: they would show in the shell history and in
/// the process list. That one is given is checked when the arguments are used, not by clap,
/// because whether one is needed depends on `--profile`.
#[derive(Debug, Args)]
#[group(required = false, multiple = false)]
pub struct CredentialArgs {
    /// Read the client secret from standard input (typed without echo at a terminal).
    #[arg(long)]
    pub secret_stdin: bool,
    /// Read the client secret from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
    /// Use the certificate file (PEM with key and certificate) Stitch issued.
    #[arg(long, value_name = "FILE.pem")]
    pub certificate: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Read the access token to test from standard input instead of getting one.
    #[arg(long, conflicts_with_all = ["client_id", "profile", "secret_stdin"])]
    pub token_stdin: bool,
    /// Also create one test payment request (R1.00, never paid), to prove the token can
    /// create; test clients only (a live client is refused before anything is sent).
    #[arg(long, conflicts_with = "token_stdin")]
    pub create: bool,
    /// The Stitch GraphQL API [default: the profile's, the simulator's for a loopback token URL,
    /// else https://api.stitch.money/graphql]
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    #[command(flatten)]
    pub token: TokenArgs,
}

/// Saved client profiles.
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Save a client as a profile; its secret or certificate goes into the OS keyring only.
    #[command(after_help = EXIT_CODES)]
    Add(AddArgs),
    /// Save or replace the secret (or certificate) of an existing profile, e.g. an imported one.
    #[command(after_help = EXIT_CODES)]
    SetSecret {
        /// The profile's name.
        name: String,
        #[command(flatten)]
        credential: CredentialArgs,
        /// When Stitch issued the client secret (YYYY-MM-DD); secrets expire two years later.
        #[arg(long, value_name = "YYYY-MM-DD")]
        secret_issued_on: Option<String>,
    },
    /// List the profiles, whether their secrets are saved, and reminders of expiring ones.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Remove a profile, its keyring entries and its cached tokens.
    #[command(after_help = EXIT_CODES)]
    Remove {
        /// The profile's name.
        name: String,
    },
    /// Write every profile to a JSON file, without secrets, to hand to a colleague.
    Export {
        /// Where to write (replaced if it exists).
        file: PathBuf,
    },
    /// Add the profiles of an exported file; a profile that exists here is never overwritten.
    /// A profile naming servers that are not Stitch's own is added only with --trust-hosts.
    #[command(after_help = EXIT_CODES)]
    Import {
        /// The exported JSON file.
        file: PathBuf,
        /// Only show what would be added.
        #[arg(long)]
        dry_run: bool,
        /// Also add the profiles whose servers are not Stitch's own (listed by the import):
        /// their secrets and tokens will be sent to those servers.
        #[arg(long)]
        trust_hosts: bool,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The profile's name (at most 64 characters).
    pub name: String,
    /// The client ID Stitch gave you (test clients look like test-…).
    #[arg(long, value_name = "ID")]
    pub client_id: String,
    #[command(flatten)]
    pub credential: CredentialArgs,
    /// A default scope; repeat it, or separate several with spaces or commas.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// The token endpoint.
    #[arg(long, value_name = "URL", default_value = token_desk_core::STITCH_TOKEN_URL)]
    pub token_url: String,
    /// The audience [default: the token URL]
    #[arg(long, value_name = "URL")]
    pub audience: Option<String>,
    /// Stitch's API, where the tokens are used.
    #[arg(long, value_name = "URL", default_value = token_desk_core::STITCH_API_URL)]
    pub api_url: String,
    /// This is a live client (real money). Required for a client ID that does not start with test-.
    #[arg(long)]
    pub live: bool,
    /// When Stitch issued the client secret (YYYY-MM-DD); secrets expire two years later.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub secret_issued_on: Option<String>,
    /// The profile's company CA file, proxy (without credentials) and timeout.
    #[command(flatten)]
    pub network: NetworkArgs,
}

#[cfg(test)]
mod tests {
    use clap::{Parser, ValueEnum};
    use token_desk_core::collection::Format;
    use token_desk_core::snippet::Lang;

    use super::*;
    use crate::integrator_args::{FormatName, LangName};

    fn parsed(args: &[&str]) -> Command {
        Cli::try_parse_from(["token-desk"].iter().chain(args)).expect("the arguments parse").command.expect("a command")
    }

    /// For each name clap takes for `E`'s values, in the order they are declared: the command
    /// that `line` makes of it, as `read` reads it.
    fn each_name<E: ValueEnum, T>(line: impl Fn(&str) -> Vec<&str>, read: impl Fn(Command) -> Option<T>) -> Vec<T> {
        E::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .map(|v| {
                read(parsed(&line(v.get_name())))
                    .unwrap_or_else(|| panic!("{} parsed as another command", v.get_name()))
            })
            .collect()
    }

    #[test]
    fn every_language_the_engine_writes_has_a_lang_name() {
        let reached = each_name::<LangName, _>(
            |name| vec!["snippet", "--lang", name],
            |c| if let Command::Snippet(s) = c { Some(s.lang()) } else { None },
        );
        assert_eq!(reached, Lang::ALL);
    }

    #[test]
    fn every_format_the_engine_makes_has_a_format_name() {
        let reached = each_name::<FormatName, _>(
            |name| vec!["collection", "--format", name, "--out", "x", "--client-id", "test-1"],
            |c| if let Command::Collection(c) = c { Some(c.format()) } else { None },
        );
        assert_eq!(reached, Format::ALL);
    }

    #[test]
    fn a_language_outside_the_four_is_refused_with_the_four_named() {
        let refused = Cli::try_parse_from(["token-desk", "snippet", "--lang", "ruby"]).unwrap_err().to_string();
        assert!(refused.contains("curl, javascript, python, csharp"), "{refused}");
    }
}

//! The arguments of the commands for integrators, `snippet` and `collection`: the client
//! their code is for (never its credential), and the names of their languages and formats.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use token_desk_core::collection::Format;
use token_desk_core::snippet::{Flow, Lang};

/// The token endpoint and audience of a client given by its ID (not by `--profile`).
#[derive(Debug, Args)]
pub struct EndpointArgs {
    /// The token endpoint.
    #[arg(long, value_name = "URL", default_value = token_desk_core::STITCH_TOKEN_URL, conflicts_with = "profile")]
    pub token_url: String,
    /// The audience [default: the token URL]
    #[arg(long, value_name = "URL", conflicts_with = "profile")]
    pub audience: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    mut_arg("flow", |a| a.help("Which client authentication the code uses")),
    mut_arg("client_id", |a| a.help("The client ID to put in the code [default: a placeholder]")),
    mut_arg("scopes", |a| a.help("Scopes to request [default: client_paymentrequest]")),
    mut_arg("api_url", |a| a.help("The API the code calls [default: Stitch's, or the simulator's for a loopback token URL]")),
)]
pub struct SnippetArgs {
    /// The language of the code.
    #[arg(long, value_name = "LANG", value_enum)]
    pub lang: LangName,
    #[command(flatten)]
    pub client: IntegratorClientArgs,
}

#[derive(Debug, Args)]
#[command(
    mut_arg("flow", |a| a.help("Which client authentication the collection uses")),
    mut_arg("client_id", |a| a.help("The client ID the collection is for").required_unless_present("profile")),
    mut_arg("scopes", |a| a.help(
        "A scope to request; repeat it, or separate several with spaces or commas [default: \
         client_paymentrequest; with --profile: replaces the profile's scopes]",
    )),
    mut_arg("api_url", |a| a.help(
        "The API the collection calls [default: the profile's; Stitch's, or the simulator's for a \
         loopback token URL]",
    )),
)]
pub struct CollectionArgs {
    /// postman (one Collection v2.1 file), bruno (a collection folder) or http (one .http file
    /// for httpyac).
    #[arg(long, value_name = "FORMAT", value_enum)]
    pub format: FormatName,
    /// Where to write it: a file, or for bruno a folder (neither may exist yet, unless --force).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Replace what is at --out: only a file, or a folder holding a Bruno collection.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub client: IntegratorClientArgs,
}

/// The client that code or a collection for integrators is made for: a saved profile or one
/// given here, never its credential. `snippet` and `collection` share these options; each
/// words their help (and says its defaults) for what it makes.
#[derive(Debug, Args)]
pub struct IntegratorClientArgs {
    #[arg(long, value_name = "FLOW", value_enum, default_value_t = FlowName::Secret)]
    pub flow: FlowName,
    /// Take the client, scopes and URLs from a saved profile.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    #[arg(long, value_name = "ID", conflicts_with = "profile")]
    pub client_id: Option<String>,
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    #[command(flatten)]
    pub endpoint: EndpointArgs,
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
}

/// `--flow`'s two names. The engine's `Flow` stays free of clap, so the command line names
/// its values here and the compiler checks that each maps to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FlowName {
    Secret,
    Certificate,
}

/// `snippet --lang`'s names, mapped to the engine's `Lang` as `FlowName` is to `Flow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangName {
    Curl,
    #[value(name = "javascript")]
    JavaScript,
    Python,
    #[value(name = "csharp")]
    CSharp,
}

impl SnippetArgs {
    /// `--lang` as the engine names it.
    pub fn lang(&self) -> Lang {
        match self.lang {
            LangName::Curl => Lang::Curl,
            LangName::JavaScript => Lang::JavaScript,
            LangName::Python => Lang::Python,
            LangName::CSharp => Lang::CSharp,
        }
    }
}

/// `collection --format`'s names, mapped to the engine's `Format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatName {
    Postman,
    Bruno,
    Http,
}

impl CollectionArgs {
    /// `--format` as the engine names it.
    pub fn format(&self) -> Format {
        match self.format {
            FormatName::Postman => Format::Postman,
            FormatName::Bruno => Format::Bruno,
            FormatName::Http => Format::Http,
        }
    }
}

impl IntegratorClientArgs {
    /// `--flow` as the engine names it.
    pub fn flow(&self) -> Flow {
        match self.flow {
            FlowName::Secret => Flow::Secret,
            FlowName::Certificate => Flow::Certificate,
        }
    }
}

//! `token-desk try …`: the first API calls after the token, on a test client (issue 25):
//! create a payment request (its link as a QR code with `--qr`), read its state, simulate the
//! payment, refund it, read the refund, verify a bank account. The engine checks every input
//! and refuses any client that is not a test client before anything is sent, the token
//! request included ([`token_desk_core::try_it`]); this module reads the options, gets the
//! token, calls one engine function and prints its answer. `try` is added to the command line
//! by `main.rs` ([`add_to`]), so the argument definitions and this module do not import each
//! other.

use std::process::ExitCode;

use clap::{ArgMatches, Args, FromArgMatches, Subcommand};
use token_desk_core::try_it::bank_account::{self, VerificationForm};
use token_desk_core::try_it::inputs;
use token_desk_core::try_it::payment_request::{self as payment, PaymentRequestForm};
use token_desk_core::try_it::refund::{self, RefundForm};
use token_desk_core::Failure;

use crate::args::TokenArgs;
use crate::shown::{say, tell};

mod qr;
mod session;
mod words;

use session::Client;

/// The exit codes of `token-desk try`.
pub const TRY_EXIT_CODES: &str = "\
Exit codes:
  0  done: the API answered, and the words say what it answered
  2  bad input, or a client that is not a test client: fix the command; nothing was sent
  3  rejected: the token server or the API said no (a missing scope, an expired token, a refused value)
  4  unavailable: network, timeout, server error or an answer that is not GraphQL
  5  no keyring: the OS keyring cannot be reached, so a saved secret could not be read";

/// Try the token on the API: a test payment request, its state, a refund, a bank account check.
///
/// With a test client only (its client ID starts with test-): any other client is refused
/// before anything is sent. Each command asks for a token with the scopes it needs.
#[derive(Debug, Subcommand)]
pub enum TryCommand {
    /// Create a test Pay By Bank payment request; print its id and payment link.
    #[command(after_help = TRY_EXIT_CODES)]
    PaymentRequest(PaymentRequestArgs),
    /// Read a payment request's state (pending, completed, cancelled, expired).
    #[command(after_help = TRY_EXIT_CODES)]
    Status(IdArgs),
    /// Complete a pending test payment request as if the payer paid by EFT (no bank needed).
    #[command(after_help = TRY_EXIT_CODES)]
    Complete(IdArgs),
    /// Refund a completed test payment (a fresh random nonce each time, printed).
    #[command(after_help = TRY_EXIT_CODES)]
    Refund(RefundArgs),
    /// Read a refund's status.
    #[command(after_help = TRY_EXIT_CODES)]
    RefundStatus(IdArgs),
    /// Verify a bank account and its holder (a person's ID number or a company's registration).
    #[command(after_help = TRY_EXIT_CODES)]
    VerifyAccount(VerifyArgs),
}

/// The client (as for `token`: its options or `--profile`) and the API.
#[derive(Debug, Args)]
#[command(
    mut_arg("scopes", |a| a.required_unless_present_any(["client_id"]).help(
        "Another scope to request [default: only the scopes the command needs; with --profile they \
         replace the profile's]")),
    mut_arg("json", |a| a.help("Print one JSON object instead of words.")),
    mut_arg("verbose", |a| a.help("Tell on stderr what is sent (token shortened) and what came back.")),
    mut_arg("find_refused_scope", |a| a.hide(true)),
)]
pub struct ClientArgs {
    /// The Stitch GraphQL API [default: the profile's, the simulator's for a loopback token URL,
    /// else https://api.stitch.money/graphql]
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    #[command(flatten)]
    pub token: TokenArgs,
}

#[derive(Debug, Args)]
pub struct PaymentRequestArgs {
    /// The amount in rand, such as 1.00 (at most two decimals).
    #[arg(long, value_name = "RAND")]
    pub amount: String,
    /// The reference the payer sees (at most 12 characters).
    #[arg(long, value_name = "R", default_value = payment::DEMO_PAYER_REFERENCE)]
    pub payer_reference: String,
    /// The reference the beneficiary sees (at most 20 characters).
    #[arg(long, value_name = "R", default_value = payment::DEMO_BENEFICIARY_REFERENCE)]
    pub beneficiary_reference: String,
    /// The beneficiary account's holder (at most 20 characters).
    #[arg(long, value_name = "NAME", default_value = payment::DEMO_BENEFICIARY_NAME)]
    pub beneficiary_name: String,
    /// The beneficiary's bank (absa, capitec, discovery_bank, fnb, investec, nedbank, standard_bank, tymebank).
    #[arg(long, value_name = "BANK", default_value = payment::DEMO_BENEFICIARY_BANK)]
    pub beneficiary_bank: String,
    /// The beneficiary's account number.
    #[arg(long, value_name = "N", default_value = payment::DEMO_BENEFICIARY_ACCOUNT)]
    pub beneficiary_account_number: String,
    /// Also draw the payment link as a QR code (to stderr with --json), to open it on a phone.
    #[arg(long)]
    pub qr: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// The ID the API gave when it was created.
    pub id: String,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, Args)]
pub struct RefundArgs {
    /// The payment request's ID.
    pub id: String,
    /// How much to refund in rand, at most what was paid.
    #[arg(long, value_name = "RAND")]
    pub amount: String,
    /// duplicate, fraudulent or requested_by_user.
    #[arg(long, value_name = "REASON", default_value = "requested_by_user")]
    pub reason: String,
    /// The reference the payer sees on the refund (1 to 30 characters).
    #[arg(long, value_name = "R", default_value = refund::DEMO_BENEFICIARY_REFERENCE)]
    pub beneficiary_reference: String,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, Args)]
#[group(id = "holder", required = true, multiple = false, args = ["id_number", "registration"])]
pub struct VerifyArgs {
    /// The bank (absa, capitec, discovery_bank, fnb, investec, nedbank, standard_bank, tymebank).
    #[arg(long, value_name = "BANK")]
    pub bank: String,
    #[arg(long, value_name = "N")]
    pub account_number: String,
    /// A person's South African ID number (13 digits).
    #[arg(long, value_name = "N")]
    pub id_number: Option<String>,
    /// A company's registration number (YYYY/NNNNNN/NN).
    #[arg(long, value_name = "N")]
    pub registration: Option<String>,
    /// The person's family name, sent when given.
    #[arg(long, value_name = "NAME", requires = "id_number")]
    pub family_name: Option<String>,
    /// The person's initials, sent when given.
    #[arg(long, value_name = "I", requires = "id_number")]
    pub initials: Option<String>,
    /// The company's name, sent when given.
    #[arg(long, value_name = "NAME", requires = "registration")]
    pub business_name: Option<String>,
    #[command(flatten)]
    pub client: ClientArgs,
}

/// `cli` with the `try` command and its subcommands.
pub fn add_to(cli: clap::Command) -> clap::Command {
    // The about text is `TryCommand`'s doc comment.
    let try_command = clap::Command::new("try").subcommand_required(true).after_help(TRY_EXIT_CODES);
    cli.subcommand(TryCommand::augment_subcommands(try_command))
}

/// Runs the `try` subcommand `matches` chose.
pub fn run_matches(matches: &ArgMatches) -> ExitCode {
    let command = TryCommand::from_arg_matches(matches).unwrap_or_else(|e| e.exit());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime starts");
    runtime.block_on(run(command))
}

impl TryCommand {
    /// The scopes the command needs, asked for with any --scope given (only those, as Stitch
    /// advises); a refund also reads the payment request, to check what was paid.
    fn needs(&self) -> &'static [&'static str] {
        match self {
            TryCommand::PaymentRequest(_) | TryCommand::Status(_) | TryCommand::Complete(_) => {
                &["client_paymentrequest"]
            }
            TryCommand::Refund(_) | TryCommand::RefundStatus(_) => &["client_refund", "client_paymentrequest"],
            TryCommand::VerifyAccount(_) => &["client_bankaccountverification"],
        }
    }

    fn client_mut(&mut self) -> &mut ClientArgs {
        match self {
            TryCommand::PaymentRequest(a) => &mut a.client,
            TryCommand::Status(a) | TryCommand::Complete(a) | TryCommand::RefundStatus(a) => &mut a.client,
            TryCommand::Refund(a) => &mut a.client,
            TryCommand::VerifyAccount(a) => &mut a.client,
        }
    }
}

async fn run(mut command: TryCommand) -> ExitCode {
    let needed = command.needs();
    command.client_mut().token.scopes.extend(needed.iter().map(|s| s.to_string()));
    match act(&command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            crate::exit::report(&f);
            // The API named the scopes the token lacks: the command line's one-click fix.
            if f.kind == token_desk_core::FailureKind::ScopeNotAllowed && !f.detail.scopes.is_empty() {
                tell!("Fix: run again with --scope {} --fresh", f.detail.scopes.join(" --scope "));
            }
            crate::exit::code(&f)
        }
    }
}

/// The command's one engine call. Each command asks for the test client first, then checks
/// its inputs, and only then asks for a token: a refusal of either sends nothing.
async fn act(command: &TryCommand) -> Result<(), Failure> {
    match command {
        TryCommand::PaymentRequest(a) => payment_request(a).await,
        TryCommand::Status(a) => status(a).await,
        TryCommand::Complete(a) => complete(a).await,
        TryCommand::Refund(a) => refund(a).await,
        TryCommand::RefundStatus(a) => refund_status(a).await,
        TryCommand::VerifyAccount(a) => verify_account(a).await,
    }
}

fn client(args: &ClientArgs) -> Result<Client<'_>, Failure> {
    Client::new(&args.token, args.api_url.as_deref())
}

async fn payment_request(a: &PaymentRequestArgs) -> Result<(), Failure> {
    let client = client(&a.client)?;
    let test_client = client.test_client()?;
    let request = PaymentRequestForm {
        amount: a.amount.clone(),
        payer_reference: a.payer_reference.clone(),
        beneficiary_reference: a.beneficiary_reference.clone(),
        beneficiary_name: a.beneficiary_name.clone(),
        beneficiary_bank: a.beneficiary_bank.clone(),
        beneficiary_account_number: a.beneficiary_account_number.clone(),
    }
    .check()?;
    let session = client.session().await?;
    let api = session.api()?;
    let made = session.told(&api, payment::create(&api, &test_client, &request).await)?;
    words::created(&made, a.client.token.json, a.qr);
    Ok(())
}

/// Reading a state changes nothing and costs nothing, so it is allowed for any client.
async fn status(a: &IdArgs) -> Result<(), Failure> {
    let client = client(&a.client)?;
    inputs::object_id("payment request ID", &a.id)?;
    let session = client.session().await?;
    let api = session.api()?;
    let status = session.told(&api, payment::status(&api, &a.id).await)?;
    words::show(&status, a.client.token.json, || words::status(&status));
    Ok(())
}

async fn complete(a: &IdArgs) -> Result<(), Failure> {
    let client = client(&a.client)?;
    let test_client = client.test_client()?;
    inputs::object_id("payment request ID", &a.id)?;
    let session = client.session().await?;
    let api = session.api()?;
    let done = session.told(&api, payment::simulate_complete(&api, &test_client, &a.id).await)?;
    words::show(&done, a.client.token.json, || {
        say!("{}", done.summary);
        let id = done.payment_request_id.for_terminal();
        say!("  payment request  {id}");
        say!("Next: token-desk try status {id}");
    });
    Ok(())
}

async fn refund(a: &RefundArgs) -> Result<(), Failure> {
    let client = client(&a.client)?;
    let test_client = client.test_client()?;
    let checked = RefundForm {
        payment_request_id: a.id.clone(),
        amount: a.amount.clone(),
        reason: Some(a.reason.clone()),
        beneficiary_reference: Some(a.beneficiary_reference.clone()),
    }
    .check()?;
    let session = client.session().await?;
    let api = session.api()?;
    let started = session.told(&api, refund::initiate(&api, &test_client, &checked).await)?;
    words::show(&started, a.client.token.json, || words::refund(&started));
    Ok(())
}

async fn refund_status(a: &IdArgs) -> Result<(), Failure> {
    let client = client(&a.client)?;
    inputs::object_id("refund ID", &a.id)?;
    let session = client.session().await?;
    let api = session.api()?;
    let status = session.told(&api, refund::status(&api, &a.id).await)?;
    words::show(&status, a.client.token.json, || {
        say!("{}", status.summary);
        say!("  refund id  {}", status.id.for_terminal());
        words::other_name(&status.status);
    });
    Ok(())
}

async fn verify_account(a: &VerifyArgs) -> Result<(), Failure> {
    let client = client(&a.client)?;
    let test_client = client.test_client()?;
    let verification = VerificationForm {
        bank: a.bank.clone(),
        account_number: a.account_number.clone(),
        id_number: a.id_number.clone(),
        registration: a.registration.clone(),
        family_name: a.family_name.clone(),
        initials: a.initials.clone(),
        business_name: a.business_name.clone(),
    }
    .check()?;
    let session = client.session().await?;
    let api = session.api()?;
    let verified = session.told(&api, bank_account::verify(&api, &test_client, &verification).await)?;
    words::show(&verified, a.client.token.json, || words::verified(&verified));
    Ok(())
}

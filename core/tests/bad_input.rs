//! Bad local input is refused before anything is sent. A refusal from `TokenRequest::check`
//! leaves no request to send, and a refusal from `Credential::certificate_file` leaves no
//! credential to build one with; where a request does exist, the simulator counts none.
//! Every refusal is a `BadInput` failure whose one-line message says what to do.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rand::{RngCore, SeedableRng};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use support::{assert_plain_message, SECRET, SECRET_CLIENT_ID};
use token_desk_core::certificate::{CertificateError, ClientCertificate, MAX_FILE_BYTES};
use token_desk_core::request::{Credential, Notice, RequestInput, TokenRequest};
use token_desk_core::scope::Scopes;
use token_desk_core::secret::ClientSecret;
use token_desk_core::simulator::demo::{self, KeyForm};
use token_desk_core::{Failure, FailureKind};

const DAY: Duration = Duration::from_secs(86_400);

fn input(client_id: &str, scopes: Scopes, token_url: &str, credential: Credential) -> RequestInput {
    RequestInput { client_id: client_id.into(), scopes, token_url: Some(token_url.into()), audience: None, credential }
}

fn secret() -> Credential {
    Credential::secret(ClientSecret::new(SECRET))
}

fn with_url(token_url: &str) -> RequestInput {
    input(SECRET_CLIENT_ID, Scopes::parse(["client_paymentrequest"]), token_url, secret())
}

/// Checks `input`, which must be refused as bad input whose message contains `advice`.
fn refused(input: RequestInput, advice: &str) -> Failure {
    let failure = TokenRequest::check(input, SystemTime::now()).expect_err("the input should be refused");
    assert_eq!(failure.kind, FailureKind::BadInput, "{failure:?}");
    assert_plain_message(&failure);
    assert!(failure.message.contains(advice), "{:?} does not say {advice:?}", failure.message);
    assert_eq!(failure.detail.attempts, 0, "nothing was sent: {failure:?}");
    failure
}

/// Checks `input`, which must be accepted; returns its notices.
fn accepted(input: RequestInput) -> (TokenRequest, Vec<Notice>) {
    TokenRequest::check(input, SystemTime::now()).expect("the input should be accepted")
}

/// Reads the certificate file at `path`, which must be refused with `expected`; the
/// engine's way in (`Credential::certificate_file`) must refuse it with the same words.
fn refused_file(path: &Path, expected: CertificateError, advice: &str) -> Failure {
    let error = ClientCertificate::from_file(path).expect_err("the file should be refused");
    assert_eq!(error, expected);
    let failure = Credential::certificate_file(path).expect_err("the file should be refused");
    assert_eq!(failure.kind, FailureKind::BadInput, "{failure:?}");
    assert_eq!(failure.message, error.to_string());
    assert_plain_message(&failure);
    assert!(failure.message.contains(advice), "{:?} does not say {advice:?}", failure.message);
    failure
}

/// A file named `name` holding `contents` is refused with `expected`, its message saying `advice`.
fn refused_contents(name: &str, contents: impl AsRef<[u8]>, expected: CertificateError, advice: &str) -> Failure {
    let dir = tempfile::tempdir().unwrap();
    refused_file(&support::write(&dir, name, contents), expected, advice)
}

fn certificate_der(not_before: SystemTime, not_after: SystemTime) -> Vec<u8> {
    demo::self_signed_der(support::key(), "test-client", not_before, not_after)
}

fn valid_certificate_der() -> Vec<u8> {
    let now = SystemTime::now();
    certificate_der(now - DAY, now + 365 * DAY)
}

fn certificate_pem(der: &[u8]) -> String {
    pem::encode(&pem::Pem::new("CERTIFICATE", der.to_vec())).replace("\r\n", "\n")
}

fn key_pem() -> String {
    support::key().to_pkcs8_pem(LineEnding::LF).unwrap().to_string()
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(path).unwrap()
}

// ---- The request ----

#[test]
fn an_empty_client_id_is_refused() {
    refused(
        input("", Scopes::parse(["client_paymentrequest"]), "https://secure.stitch.money/connect/token", secret()),
        "Enter the client ID",
    );
}

#[test]
fn a_whitespace_only_client_id_is_refused() {
    refused(
        input(
            " \t\n ",
            Scopes::parse(["client_paymentrequest"]),
            "https://secure.stitch.money/connect/token",
            secret(),
        ),
        "Enter the client ID",
    );
}

#[test]
fn no_scope_is_refused() {
    let scopes = Scopes::parse([" , "]);
    assert!(scopes.is_empty());
    refused(
        input(SECRET_CLIENT_ID, scopes, "https://secure.stitch.money/connect/token", secret()),
        "Choose at least one scope",
    );
}

#[tokio::test]
async fn an_unknown_scope_is_allowed_with_a_notice() {
    let sim = support::simulator().await;
    let (req, notices) =
        accepted(input(SECRET_CLIENT_ID, Scopes::parse(["client_paymentrequest openid"]), &sim.token_url(), secret()));

    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].message.contains("\"openid\" is not one of Stitch's client scopes"), "{notices:?}");
    assert!(!notices[0].message.contains("Did you mean"), "nothing is close to openid: {notices:?}");
    assert_eq!(req.scopes().to_field(), "client_paymentrequest openid", "the unknown scope is kept");

    // Allowed means sent: the server, not Token Desk, decides (the simulator refuses it).
    let failure = support::engine().token(&req, false).await.unwrap_err();
    assert_eq!(failure.kind, FailureKind::ScopeNotAllowed, "{failure:?}");
    assert_eq!(sim.token_requests(), 1);
    assert!(sim.recorded()[0].body.contains("scope=client_paymentrequest+openid"), "{}", sim.recorded()[0].body);
}

#[test]
fn a_near_miss_scope_gets_a_did_you_mean_notice() {
    let (_, notices) = accepted(input(
        SECRET_CLIENT_ID,
        Scopes::parse(["client_paymentrequests"]),
        "https://secure.stitch.money/connect/token",
        secret(),
    ));

    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].message.contains("Did you mean \"client_paymentrequest\""), "{notices:?}");
}

#[test]
fn a_plain_http_token_url_that_is_not_this_computer_is_refused() {
    for url in [
        "http://example.com/connect/token",
        "http://localhost.example.com/connect/token",
        "http://10.0.0.1/connect/token",
    ] {
        let failure = refused(with_url(url), "https://");
        assert!(failure.message.contains("only allowed for this computer"), "{url}: {}", failure.message);
    }
}

#[test]
fn a_plain_http_token_url_on_this_computer_is_accepted() {
    for url in [
        "http://127.0.0.1:5000/connect/token",
        "http://localhost:5000/connect/token",
        "http://[::1]:5000/connect/token",
    ] {
        let (req, notices) = accepted(with_url(url));
        assert_eq!(req.token_url().as_str(), url);
        assert_eq!(req.audience(), url, "the audience defaults to the token URL");
        assert!(notices.is_empty(), "{url}: {notices:?}");
    }
}

#[test]
fn a_token_url_that_is_not_a_web_address_is_refused() {
    for url in ["not a url", "secure.stitch.money/connect/token", "https://", "ftp://secure.stitch.money/connect/token"]
    {
        let failure = refused(with_url(url), "https://");
        assert!(!failure.message.contains("reqwest"), "{}", failure.message);
    }
}

#[test]
fn a_token_url_with_a_user_name_and_password_is_refused_without_repeating_them() {
    let failure = refused(
        with_url("https://me:hunter2@secure.stitch.money/connect/token"),
        "must not contain a user name or password",
    );
    assert!(!failure.message.contains("hunter2"), "{}", failure.message);
}

#[test]
fn a_blank_secret_is_refused() {
    for blank in ["", "   ", "\n"] {
        refused(
            input(
                SECRET_CLIENT_ID,
                Scopes::parse(["client_paymentrequest"]),
                "https://secure.stitch.money/connect/token",
                Credential::secret(ClientSecret::new(blank)),
            ),
            "Enter the client secret",
        );
    }
}

// ---- The certificate file ----

#[test]
fn a_missing_certificate_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-file.pem");
    let failure = refused_file(&path, CertificateError::Unreadable("entity not found".into()), "Check the path");
    assert!(failure.message.contains("could not be read"), "{}", failure.message);
}

#[test]
fn a_folder_given_as_the_certificate_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused_file(dir.path(), CertificateError::Unreadable("it is a folder".into()), "Check the path");
}

#[test]
fn an_empty_certificate_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = support::write(&dir, "empty.pem", "");
    refused_file(&path, CertificateError::Empty, "Choose the .pem file");
    let blank = support::write(&dir, "blank.pem", "\n  \n");
    refused_file(&blank, CertificateError::Empty, "Choose the .pem file");
}

#[test]
fn a_huge_certificate_file_is_refused() {
    let size = MAX_FILE_BYTES + 1;
    let mut text = key_pem();
    text.push_str(&"A".repeat(size as usize - text.len()));
    refused_contents("huge.pem", &text, CertificateError::TooLarge(size), "Choose the .pem file");
}

#[test]
fn random_bytes_are_not_a_pem_file() {
    let mut bytes = vec![0u8; 4096];
    rand::rngs::StdRng::seed_from_u64(7).fill_bytes(&mut bytes);
    refused_contents("random.pem", &bytes, CertificateError::NotPem, "Choose the .pem file");
}

#[test]
fn a_der_certificate_is_not_a_pem_file() {
    refused_contents("client.der", valid_certificate_der(), CertificateError::NotPem, "not a .p12 or .pfx");
}

#[test]
fn a_pem_with_a_certificate_but_no_key_is_refused() {
    let text = format!(
        "Bag Attributes\n    friendlyName: test-client\nsubject=CN = test-client\n{}",
        certificate_pem(&valid_certificate_der())
    );
    refused_contents("certificate-only.pem", text, CertificateError::NoKey, "Use the .pem file that holds both");
}

#[test]
fn a_pem_with_a_key_but_no_certificate_is_refused() {
    refused_contents("key-only.pem", key_pem(), CertificateError::NoCertificate, "Use the .pem file that holds both");
}

#[test]
fn a_key_that_does_not_match_the_certificate_is_refused() {
    let text =
        demo::stitch_shaped_pem(support::other_key(), &valid_certificate_der(), "test-client", KeyForm::Pkcs8, false);
    refused_contents("mismatch.pem", text, CertificateError::KeyMismatch, "Use the file exactly as Stitch issued it");
}

/// `openssl <args>`, run in a folder holding the test key as key.pem, writes `out`: a key in a
/// `marker` block. The valid certificate followed by that key is refused with `expected`.
fn refused_openssl_key(args: &str, out: &str, marker: &str, expected: CertificateError, advice: &str) {
    let dir = tempfile::tempdir().unwrap();
    support::write(&dir, "key.pem", key_pem());
    support::openssl(dir.path(), args);
    let key = read(dir.path().join(out));
    assert!(key.contains(marker), "{key}");
    refused_contents("client.pem", format!("{}{key}", certificate_pem(&valid_certificate_der())), expected, advice);
}

#[test]
fn an_encrypted_key_is_refused() {
    refused_openssl_key(
        "pkcs8 -topk8 -v2 aes-256-cbc -passout pass:x -in key.pem -out encrypted.pem",
        "encrypted.pem",
        "BEGIN ENCRYPTED PRIVATE KEY",
        CertificateError::EncryptedKey,
        "Convert it without a passphrase",
    );
}

#[test]
fn an_elliptic_curve_key_is_refused_as_not_rsa() {
    refused_openssl_key(
        "ecparam -name prime256v1 -genkey -noout -out ec.pem",
        "ec.pem",
        "BEGIN EC PRIVATE KEY",
        CertificateError::NotRsa("an elliptic-curve key".into()),
        "Stitch certificates use RSA keys",
    );
}

#[test]
fn a_pkcs8_elliptic_curve_key_is_refused_as_not_rsa() {
    refused_openssl_key(
        "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec8.pem",
        "ec8.pem",
        "BEGIN PRIVATE KEY",
        CertificateError::NotRsa("an elliptic-curve key".into()),
        "Stitch certificates use RSA keys",
    );
}

/// A certificate client whose certificate is valid from `from` days to `until` days from now
/// (negative: days ago), checked and accepted.
fn accepted_certificate(from: i32, until: i32) -> (TokenRequest, Vec<Notice>) {
    let now = SystemTime::now();
    let at = |days: i32| if days < 0 { now - days.unsigned_abs() * DAY } else { now + days.unsigned_abs() * DAY };
    let dir = tempfile::tempdir().unwrap();
    let der = certificate_der(at(from), at(until));
    let path = support::write(
        &dir,
        "client.pem",
        demo::stitch_shaped_pem(support::key(), &der, "test-client", KeyForm::Pkcs8, false),
    );
    let credential = Credential::certificate_file(&path).expect("a dated certificate is still read");
    accepted(input(
        "test-client",
        Scopes::parse(["client_paymentrequest"]),
        "https://secure.stitch.money/connect/token",
        credential,
    ))
}

#[test]
fn an_expired_certificate_is_sent_with_a_warning() {
    let (req, notices) = accepted_certificate(-400, -2);

    assert!(matches!(req.credential(), Credential::Certificate(_)));
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].message.contains("The certificate expired on"), "{notices:?}");
    assert!(notices[0].message.contains("ask Stitch for a new certificate"), "{notices:?}");
}

#[test]
fn a_certificate_that_is_not_yet_valid_is_sent_with_a_warning() {
    let (_, notices) = accepted_certificate(10, 400);

    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].message.contains("is not valid until"), "{notices:?}");
    assert!(notices[0].message.contains("Check this computer's clock"), "{notices:?}");
}

#[test]
fn a_valid_certificate_gives_no_warning() {
    let (req, notices) = accepted_certificate(-1, 365);
    assert!(notices.is_empty(), "{notices:?}");
    let Credential::Certificate(cert) = req.credential() else { panic!("a certificate credential") };
    assert_eq!(cert.facts().subject, "CN=test-client");
}

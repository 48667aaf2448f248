//! The simulator's demo clients, and certificate files in the exact shape Stitch issues
//! (`openssl pkcs12 -nodes` output). The demo key is generated on first use and kept on this
//! machine only: the project ships no private key.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::EncodePrivateKey;
use rsa::RsaPrivateKey;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::der::Encode;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};

use crate::certificate::{thumbprint, ClientCertificate};
use crate::known_scopes::CLIENT_SCOPES;

/// The demo client that authenticates with a secret.
pub const SECRET_CLIENT_ID: &str = "test-5e1f6c0a-8d4b-4a3e-9c71-2b0d9f3e6a58";
/// Its secret: it opens nothing but this simulator.
pub const SECRET: &str = "simulator-demo-secret-not-for-stitch";
/// The demo client that authenticates with a certificate.
pub const CERTIFICATE_CLIENT_ID: &str = "test-9a2c7e41-3f5b-4d86-a0e9-c4b1d7f28e35";
/// The scope the demo clients may not have, to show a refusal.
pub const REFUSED_SCOPE: &str = "client_disbursement";
/// The scope the demo secret client may ask for but is not granted, to show the difference.
pub const WITHHELD_SCOPE: &str = "client_recurringpaymentconsentrequest";

/// A demo bank account (FNB) that `verifyBankAccountDetails` answers `verified` for: it
/// exists, is open, takes credits and its holder matches whatever holder is given. Also a
/// good beneficiary for a demo payment request.
pub const VERIFIED_ACCOUNT_NUMBER: &str = "62000000001";
/// A demo bank account that exists and is open but whose holder matches nobody given:
/// `refuted`.
pub const REFUTED_ACCOUNT_NUMBER: &str = "62000000002";
/// A demo bank account whose bank gives no answer: `unknown` (as is any other number).
pub const UNKNOWN_ACCOUNT_NUMBER: &str = "62000000003";

/// The `redirect_uri`s Stitch's test clients have whitelisted (a third-party list: Stitch's
/// own is cut off in our copy); the simulator's payment page honours these and no others.
pub const TEST_REDIRECT_URIS: [&str; 6] = [
    "https://localhost:8080",
    "https://localhost:8080/return",
    "https://localhost:3000",
    "https://localhost:3000/return",
    "https://localhost:9000",
    "https://localhost:9000/return",
];

/// What a newcomer needs to try the simulator.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Demo {
    pub secret_client_id: String,
    /// A demo-only secret, accepted by this simulator and nowhere else.
    pub secret: String,
    pub certificate_client_id: String,
    pub certificate_path: PathBuf,
    /// Scopes that work for the demo clients.
    pub scopes: Vec<String>,
}

/// Scopes the demo clients may request.
pub fn allowed_scopes() -> Vec<String> {
    CLIENT_SCOPES.iter().map(|s| s.name.to_owned()).filter(|s| s != REFUSED_SCOPE).collect()
}

/// Which key encoding a generated file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyForm {
    /// `BEGIN PRIVATE KEY`, what `openssl pkcs12 -nodes` writes.
    Pkcs8,
    /// `BEGIN RSA PRIVATE KEY`.
    Pkcs1,
}

/// A new 2048-bit RSA key.
pub fn generate_key() -> RsaPrivateKey {
    RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("2048-bit RSA key generation does not fail")
}

/// A self-signed certificate for `key`, as DER.
pub fn self_signed_der(
    key: &RsaPrivateKey,
    common_name: &str,
    not_before: SystemTime,
    not_after: SystemTime,
) -> Vec<u8> {
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone());
    let spki = SubjectPublicKeyInfoOwned::from_key(rsa::RsaPublicKey::from(key)).expect("an RSA public key encodes");
    let subject = Name::from_str(&format!("CN={common_name}")).expect("a CN-only name parses");
    let validity = Validity {
        not_before: Time::try_from(not_before).expect("time in range"),
        not_after: Time::try_from(not_after).expect("time in range"),
    };
    let serial = SerialNumber::new(&rand::random::<[u8; 8]>().map(|b| b & 0x7f)).expect("serial encodes");
    let builder = CertificateBuilder::new(Profile::Root, serial, validity, subject, spki, &signer).expect("builder");
    let cert = builder.build::<rsa::pkcs1v15::Signature>().expect("self-signing with a valid key succeeds");
    cert.to_der().expect("a built certificate encodes")
}

/// A PEM file shaped like Stitch's: `Bag Attributes` lines before each block, the
/// certificate's SHA-1 as the spaced `localKeyID`, certificate first unless `key_first`.
pub fn stitch_shaped_pem(
    key: &RsaPrivateKey,
    cert_der: &[u8],
    common_name: &str,
    form: KeyForm,
    key_first: bool,
) -> String {
    let local_key_id = thumbprint(cert_der)
        .as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let cert_pem = pem::encode(&pem::Pem::new("CERTIFICATE", cert_der.to_vec())).replace("\r\n", "\n");
    let key_pem = match form {
        KeyForm::Pkcs8 => key.to_pkcs8_pem(rsa::pkcs8::LineEnding::LF).expect("key encodes").to_string(),
        KeyForm::Pkcs1 => key.to_pkcs1_pem(rsa::pkcs1::LineEnding::LF).expect("key encodes").to_string(),
    };
    let cert_part = format!(
        "Bag Attributes\n    localKeyID: {local_key_id}\n    friendlyName: {common_name}\nsubject=CN = {common_name}\nissuer=CN = {common_name}\n{cert_pem}"
    );
    let key_part = format!("Bag Attributes\n    localKeyID: {local_key_id}\n    friendlyName: {common_name}\nKey Attributes: <No Attributes>\n{key_pem}");
    if key_first {
        format!("{key_part}{cert_part}")
    } else {
        format!("{cert_part}{key_part}")
    }
}

/// The demo certificate client's file in `dir`, created (or renewed when unreadable or
/// expiring within a week) on first use, readable by this user only.
pub fn ensure_demo_certificate(dir: &Path, now: SystemTime) -> std::io::Result<(PathBuf, ClientCertificate)> {
    let path = dir.join("demo-certificate-client.pem");
    if let Ok(existing) = ClientCertificate::from_file(&path) {
        if existing.facts().not_after > now + Duration::from_secs(7 * 86_400) && existing.facts().not_before <= now {
            return Ok((path, existing));
        }
    }
    std::fs::create_dir_all(dir)?;
    let key = generate_key();
    let cert = self_signed_der(
        &key,
        CERTIFICATE_CLIENT_ID,
        now - Duration::from_secs(60),
        now + Duration::from_secs(365 * 86_400),
    );
    let text = stitch_shaped_pem(&key, &cert, CERTIFICATE_CLIENT_ID, KeyForm::Pkcs8, false);
    let tmp =
        dir.join(format!(".demo-certificate-client.pem.{}-{:08x}.tmp", std::process::id(), rand::random::<u32>()));
    write_private(&tmp, text.as_bytes())?;
    std::fs::rename(&tmp, &path)?;
    let parsed = ClientCertificate::from_pem(text.as_bytes()).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok((path, parsed))
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Where the simulator keeps its demo certificate: `$XDG_DATA_HOME/token-desk/simulator`.
pub fn default_data_dir() -> PathBuf {
    directories::BaseDirs::new()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(std::env::temp_dir)
        .join("token-desk")
        .join("simulator")
}

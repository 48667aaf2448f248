//! Reading certificate files in every shape Stitch's users will have, including files made
//! by OpenSSL itself exactly as Stitch makes them (`openssl pkcs12 -nodes`).

mod support;

use std::process::Command;

use support::*;
use token_desk_core::certificate::{ClientCertificate, Validity};
use token_desk_core::simulator::demo::KeyForm;

/// The recipe from the API reference: a self-signed certificate, packed into PKCS#12 and
/// unpacked with -nodes, which is the file Stitch hands out.
fn openssl_stitch_file(dir: &std::path::Path) -> std::path::PathBuf {
    openssl(dir, "req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 365 -subj /CN=test-client");
    openssl(dir, "pkcs12 -export -inkey key.pem -in cert.pem -out client.p12 -passout pass:x -name test-client");
    openssl(dir, "pkcs12 -in client.p12 -nodes -passin pass:x -out stitch-shaped.pem");
    dir.join("stitch-shaped.pem")
}

#[test]
fn a_file_made_by_openssl_pkcs12_nodes_is_read_and_its_kid_matches_local_key_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = openssl_stitch_file(dir.path());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("Bag Attributes"), "the fixture has OpenSSL's text lines");
    let cert = ClientCertificate::from_file(&path).unwrap();
    let local_key_id: String =
        text.lines().find_map(|l| l.trim().strip_prefix("localKeyID:")).unwrap().split_whitespace().collect();
    assert_eq!(cert.thumbprint(), local_key_id);
    assert_eq!(cert.facts().subject, "CN=test-client");
    assert_eq!(cert.facts().validity_at(std::time::SystemTime::now()), Validity::Valid);
}

#[test]
fn the_thumbprint_equals_openssls_sha1_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let path = openssl_stitch_file(dir.path());
    let out = Command::new("openssl")
        .args(["x509", "-in", "cert.pem", "-noout", "-fingerprint", "-sha1"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let fingerprint: String = String::from_utf8_lossy(&out.stdout).split('=').nth(1).unwrap().trim().replace(':', "");
    assert_eq!(ClientCertificate::from_file(&path).unwrap().thumbprint(), fingerprint);
}

#[test]
fn a_pkcs1_key_from_openssl_traditional_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    openssl_stitch_file(dir.path());
    openssl(dir.path(), "rsa -in key.pem -traditional -out key1.pem");
    let key = std::fs::read_to_string(dir.path().join("key1.pem")).unwrap();
    assert!(key.contains("BEGIN RSA PRIVATE KEY"));
    let cert = std::fs::read_to_string(dir.path().join("cert.pem")).unwrap();
    let joined = write(&dir, "joined.pem", format!("{key}{cert}"));
    let read = ClientCertificate::from_file(&joined);
    assert!(read.is_ok(), "{:?}", read.err());
}

#[test]
fn key_first_and_certificate_first_files_read_the_same() {
    let a = ClientCertificate::from_pem(stitch_pem("test-a", KeyForm::Pkcs8, false).as_bytes()).unwrap();
    let b = ClientCertificate::from_pem(stitch_pem("test-a", KeyForm::Pkcs8, true).as_bytes()).unwrap();
    assert_eq!(a.facts().subject, b.facts().subject);
    assert_eq!(a.public_key_pkcs1_der(), b.public_key_pkcs1_der());
}

#[test]
fn pkcs1_and_pkcs8_keys_are_both_accepted() {
    let text = stitch_pem("test-a", KeyForm::Pkcs1, false);
    assert!(text.contains("BEGIN RSA PRIVATE KEY"));
    assert!(ClientCertificate::from_pem(text.as_bytes()).is_ok());
}

#[test]
fn windows_line_endings_are_accepted() {
    let text = stitch_pem("test-a", KeyForm::Pkcs8, false).replace('\n', "\r\n");
    assert!(ClientCertificate::from_pem(text.as_bytes()).is_ok());
}

#[test]
fn a_certificate_expiring_within_thirty_days_warns_and_an_expired_one_says_so() {
    use std::time::{Duration, SystemTime};
    let cert = ClientCertificate::from_pem(stitch_pem("test-a", KeyForm::Pkcs8, false).as_bytes()).unwrap();
    let facts = cert.facts();
    let soon = facts.not_after - Duration::from_secs(10 * 86_400);
    assert_eq!(facts.validity_at(soon), Validity::ExpiresSoon);
    assert!(facts.warning_at(soon).unwrap().contains("expires on"));
    assert_eq!(facts.validity_at(facts.not_after), Validity::Expired);
    assert!(facts.warning_at(facts.not_after).unwrap().contains("expired on"));
    let early = facts.not_before - Duration::from_secs(1);
    assert_eq!(facts.validity_at(early), Validity::NotYetValid);
    assert_eq!(facts.warning_at(SystemTime::now()), None);
}

#[test]
fn the_demo_certificate_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (path, _) =
        token_desk_core::simulator::demo::ensure_demo_certificate(dir.path(), std::time::SystemTime::now()).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn the_demo_certificate_is_kept_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    let now = std::time::SystemTime::now();
    let (_, a) = token_desk_core::simulator::demo::ensure_demo_certificate(dir.path(), now).unwrap();
    let (_, b) = token_desk_core::simulator::demo::ensure_demo_certificate(dir.path(), now).unwrap();
    assert_eq!(a.thumbprint(), b.thumbprint());
}

/// One reading for every face (`certificate::read_file`): bytes outside UTF-8 in an attribute
/// line are read as U+FFFD, and the key and certificate are read unchanged.
#[test]
fn a_certificate_file_with_a_latin_1_attribute_line_is_read_with_its_key_intact() {
    let dir = tempfile::tempdir().unwrap();
    let pem = stitch_pem("test-client", KeyForm::Pkcs8, false);
    let mut bytes = b"Bag Attributes\n    friendlyName: caf\xe9\n".to_vec();
    bytes.extend(pem.as_bytes());
    let latin = dir.path().join("latin.pem");
    std::fs::write(&latin, bytes).unwrap();

    let (text, read) = token_desk_core::certificate::read_file(&latin).unwrap();
    assert_eq!(read.facts(), ClientCertificate::from_pem(pem.as_bytes()).unwrap().facts());
    assert!(text.expose().starts_with("Bag Attributes\n    friendlyName: caf\u{fffd}\n"));
}

//! Unit tests of the network settings: the CA file, proxy addresses and routes, the deadline.

use url::Url;

use super::*;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn env(pairs: &[(&str, &str)]) -> ProxyEnvironment {
    ProxyEnvironment::from_vars(pairs.iter().copied())
}

#[test]
fn proxy_variables_never_apply_to_loopback_addresses() {
    let choice = ProxyChoice {
        explicit: None,
        environment: env(&[("HTTP_PROXY", "http://proxy.corp:3128"), ("HTTPS_PROXY", "http://proxy.corp:3128")]),
    };
    for target in [
        "http://127.0.0.1:8555/connect/token",
        "http://127.8.9.10/x",
        "https://[::1]:8443/connect/token",
        "http://localhost:1/",
        "http://LocalHost./",
        "http://sim.localhost:9/",
        "http://[::ffff:127.0.0.1]:9/",
    ] {
        assert_eq!(choice.route(&url(target)), Route::Direct, "{target}");
    }
    assert!(matches!(choice.route(&url("https://secure.stitch.money/connect/token")), Route::Proxy { .. }));
}

#[test]
fn an_explicit_proxy_applies_to_every_request_loopback_included() {
    let proxy = ProxyUrl::parse("http://127.0.0.1:3128").unwrap();
    let choice = ProxyChoice { explicit: Some(proxy.clone()), environment: ProxyEnvironment::default() };
    for target in ["http://127.0.0.1:8555/connect/token", "https://secure.stitch.money/connect/token"] {
        assert_eq!(choice.route(&url(target)), Route::Proxy { proxy: proxy.clone(), source: ProxySource::Setting });
    }
}

#[test]
fn the_variable_for_the_targets_scheme_is_used_lower_case_first_then_all_proxy() {
    let choice = ProxyChoice {
        explicit: None,
        environment: env(&[
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:1"),
            ("ALL_PROXY", "http://all:1"),
        ]),
    };
    let shown = |t: &str| choice.route(&url(t)).proxy().map(ProxyUrl::shown);
    assert_eq!(shown("https://a.example/"), Some("http://lower:1".into()));
    assert_eq!(shown("http://a.example/"), Some("http://all:1".into()));
    let none = ProxyChoice::default();
    assert_eq!(none.route(&url("https://a.example/")), Route::Direct);
}

#[test]
fn no_proxy_exempts_listed_hosts_domains_and_blocks_from_any_proxy() {
    let choice = ProxyChoice {
        explicit: Some(ProxyUrl::parse("proxy.corp:8080").unwrap()),
        environment: env(&[("NO_PROXY", "internal.example, .corp.example,10.0.0.0/8,[fd00::1],127.0.0.1")]),
    };
    for direct in [
        "https://internal.example/",
        "https://auth.internal.example/",
        "https://corp.example/",
        "https://a.b.corp.example/",
        "http://10.20.30.40/",
        "http://[fd00::1]/",
        "http://127.0.0.1:8555/",
    ] {
        assert_eq!(choice.route(&url(direct)), Route::Direct, "{direct}");
    }
    for proxied in ["https://notinternal.example/", "http://11.0.0.1/", "http://localhost:8555/"] {
        assert!(matches!(choice.route(&url(proxied)), Route::Proxy { .. }), "{proxied}");
    }
    let all = ProxyChoice { environment: env(&[("no_proxy", "*"), ("HTTPS_PROXY", "p:1")]), ..choice };
    assert_eq!(all.route(&url("https://secure.stitch.money/")), Route::Direct);
}

#[test]
fn proxy_credentials_are_never_shown() {
    let p = ProxyUrl::parse("http://alice:s%3Acret-pw@proxy.corp:3128").unwrap();
    assert!(p.has_credentials());
    assert_eq!(p.password().as_deref(), Some("s:cret-pw"));
    assert_eq!(p.shown(), "http://proxy.corp:3128");
    assert!(!format!("{p:?}").contains("cret"));
    let route = Route::Proxy { proxy: p, source: ProxySource::Variable("HTTPS_PROXY") };
    assert_eq!(route.describe(), "http://proxy.corp:3128 (from HTTPS_PROXY, with credentials (not shown))");
    let err = ProxyUrl::parse("http://alice:s3cret-pw@exa mple:99").unwrap_err().to_string();
    assert!(!err.contains("s3cret"), "{err}");
}

#[test]
fn a_proxy_address_is_checked() {
    assert_eq!(ProxyUrl::parse("proxy.corp:8080").unwrap().shown(), "http://proxy.corp:8080");
    assert_eq!(ProxyUrl::parse("https://[::1]:3129").unwrap().shown(), "https://[::1]:3129");
    assert_eq!(ProxyUrl::parse("socks5://p:1").unwrap_err(), NetworkError::ProxyScheme("socks5".into()));
    for bad in ["", "http://", "http://p:1/path", "http://p:1/?q", "http://p\n:1"] {
        assert!(ProxyUrl::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_timeout_is_one_second_to_ten_minutes() {
    assert_eq!(timeout_from_secs(5), Ok(Duration::from_secs(5)));
    assert!(timeout_from_secs(0).is_err());
    assert!(timeout_from_secs(601).is_err());
    assert_eq!(NetworkSettings::default().timeout(), DEFAULT_TIMEOUT);
}

#[test]
fn a_ca_file_without_pem_without_a_certificate_or_with_a_key_is_refused() {
    let p = Path::new("ca.pem");
    assert!(matches!(CompanyCa::from_pem(p, b"hello"), Err(NetworkError::CaNotPem(_))));
    assert!(matches!(CompanyCa::from_pem(p, b""), Err(NetworkError::CaNotPem(_))));
    let other = pem::encode(&pem::Pem::new("PUBLIC KEY", vec![1, 2, 3]));
    assert!(matches!(CompanyCa::from_pem(p, other.as_bytes()), Err(NetworkError::CaNoCertificate(_))));
    let key = pem::encode(&pem::Pem::new("PRIVATE KEY", vec![1, 2, 3]));
    assert!(matches!(CompanyCa::from_pem(p, key.as_bytes()), Err(NetworkError::CaHoldsPrivateKey(_))));
    let junk = pem::encode(&pem::Pem::new("CERTIFICATE", vec![1, 2, 3]));
    assert!(matches!(CompanyCa::from_pem(p, junk.as_bytes()), Err(NetworkError::CaBadCertificate(..))));
}

#[test]
fn a_ca_path_that_is_a_folder_a_fifo_or_missing_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(CompanyCa::from_file(dir.path()), Err(NetworkError::CaNotAFile(_))));
    assert!(matches!(CompanyCa::from_file(&dir.path().join("none.pem")), Err(NetworkError::CaUnreadable(..))));
    #[cfg(unix)]
    {
        let fifo = dir.path().join("fifo.pem");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        assert!(matches!(CompanyCa::from_file(&fifo), Err(NetworkError::CaNotAFile(_))));
        assert!(matches!(CompanyCa::from_file(Path::new("/dev/zero")), Err(NetworkError::CaNotAFile(_))));
    }
    let big = dir.path().join("big.pem");
    std::fs::write(&big, vec![b'x'; MAX_CA_FILE_BYTES as usize + 1]).unwrap();
    assert!(matches!(CompanyCa::from_file(&big), Err(NetworkError::CaTooLarge(_))));
}

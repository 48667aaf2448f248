//! Transport failures in plain words: a passed deadline, a proxy that failed, a TLS problem
//! a person can act on, a connection refused or a name not found.

use std::error::Error as _;
use std::time::Duration;

use crate::failure::{Detail, Failure, FailureKind};
use crate::network::{ProxySource, Route};

/// The failure for a request `deadline` did not let finish.
pub fn deadline_passed(url: &str, what: &str, deadline: Duration) -> Failure {
    let host = host_of(url);
    let seconds = deadline.as_secs_f64();
    Failure::new(
        FailureKind::Timeout,
        format!(
            "{host} did not answer in time ({seconds:.0} s). Check the {what} and your connection and try again; \
             under Advanced (or with --timeout) you can allow more time."
        ),
    )
    .with_detail(Detail {
        url: Some(url.to_owned()),
        cause: Some(format!("the deadline of {seconds:.1} s for the whole request, retries included, passed")),
        ..Detail::default()
    })
}

fn host_of(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default()
}

/// What a proxy did wrong.
pub(super) enum ProxyProblem {
    /// It could not be reached at all.
    Unreachable,
    /// It asked for credentials (HTTP 407), or did not accept the ones given.
    Credentials,
    /// It refused to open a connection to the server.
    Refused,
}

/// A failure that names the proxy (never its credentials) and the setting it came from.
pub(super) fn proxy_failure(route: &Route, problem: ProxyProblem, url: &str) -> Failure {
    let Route::Proxy { proxy, source } = route else {
        return Failure::new(FailureKind::CannotConnect, "The connection broke off. Try again.");
    };
    let shown = proxy.shown();
    let setting = match source {
        ProxySource::Setting => "the proxy setting (Advanced, --proxy or the profile)".to_owned(),
        ProxySource::Variable(name) => format!("the {name} environment variable"),
    };
    let host = host_of(url);
    let (kind, message) = match problem {
        ProxyProblem::Unreachable => (
            FailureKind::CannotConnect,
            format!("Could not connect to the proxy {shown}. Check {setting}, or ask IT for the right proxy address."),
        ),
        ProxyProblem::Credentials if proxy.has_credentials() => (
            FailureKind::Proxy,
            format!(
                "The proxy {shown} did not accept the user name and password in its address. \
                 Check them in {setting}, or ask IT."
            ),
        ),
        ProxyProblem::Credentials => (
            FailureKind::Proxy,
            format!(
                "The proxy {shown} asks for a user name and password (HTTP 407). Give the user name in the \
                 proxy address (http://user@host:port, in {setting}) and the password apart from it: \
                 --proxy-password-env VAR or --proxy-password-prompt, or the window's proxy password field."
            ),
        ),
        // Some proxies (tinyproxy) answer a CONNECT with wrong credentials with 401, which
        // the tunnel reports only as unsuccessful: both causes are named.
        ProxyProblem::Refused if proxy.has_credentials() => (
            FailureKind::Proxy,
            format!(
                "The proxy {shown} refused to connect to {host}: it did not accept the user name and password \
                 in its address, or may not reach {host}. Check them in {setting}, or ask IT."
            ),
        ),
        ProxyProblem::Refused => (
            FailureKind::Proxy,
            format!(
                "The proxy {shown} refused to connect to {host}. Ask IT whether {host} may be reached \
                 through it, or check {setting}."
            ),
        ),
    };
    Failure::new(kind, message).with_detail(Detail { url: Some(url.to_owned()), ..Detail::default() })
}

/// Names a transport failure in plain words: timeout, TLS, name lookup or connection; `what`
/// names the address to check ("token URL", "API URL"). For a request that went through a
/// proxy, use [`Http::transport_failure`], which names the proxy when it is to blame.
pub fn transport_failure(e: &reqwest::Error, url: &str, what: &str) -> Failure {
    transport_failure_via(e, url, what, &Route::Direct)
}

pub(super) fn transport_failure_via(e: &reqwest::Error, url: &str, what: &str, route: &Route) -> Failure {
    let host = host_of(url);
    let chain = cause_chain(e);
    let detail = Detail { url: Some(url.to_owned()), cause: Some(chain.clone()), ..Detail::default() };
    let lower = chain.to_ascii_lowercase();
    if let Route::Proxy { proxy, .. } = route {
        // hyper-util's CONNECT tunnel names these; over plain HTTP the only connection made
        // is to the proxy, so failing to connect is failing to reach the proxy.
        let problem = if lower.contains("proxy authorization required") {
            Some(ProxyProblem::Credentials)
        } else if lower.contains("tunnel error: unsuccessful") || lower.contains("tunnel error: unexpected end") {
            Some(ProxyProblem::Refused)
        } else if lower.contains("tunnel error: failed to create underlying connection")
            || (e.is_connect() && !lower.contains("tunnel") && rustls_error(e).is_none() && !e.is_timeout())
        {
            Some(ProxyProblem::Unreachable)
        } else {
            None
        };
        if let Some(problem) = problem {
            let mut f = proxy_failure(route, problem, url);
            let scrubbed = proxy.password().map_or(chain.clone(), |p| crate::redact::redact(&chain, &[&p]));
            f.detail.cause = Some(scrubbed);
            return f;
        }
    }
    let (kind, message) = if e.is_timeout() || lower.contains("timed out") {
        (FailureKind::Timeout, format!("{host} did not answer in time. Check your connection and try again."))
    } else if let Some(tls) = rustls_error(e) {
        (FailureKind::Tls, tls_message(tls, &host, what))
    } else if lower.contains("tls") || lower.contains("certificate") || lower.contains("handshake") {
        (FailureKind::Tls, tls_message(&rustls::Error::General(String::new()), &host, what))
    } else if lower.contains("dns error")
        || lower.contains("failed to lookup")
        || lower.contains("name or service not known")
    {
        (
            FailureKind::CannotConnect,
            format!("The server name {host} could not be found. Check the {what} and your internet connection."),
        )
    } else if e.is_connect() {
        (
            FailureKind::CannotConnect,
            format!("Could not connect to {host}. Check the {what} and your internet connection."),
        )
    } else {
        (FailureKind::CannotConnect, format!("The connection to {host} broke off. Try again."))
    };
    Failure::new(kind, message).with_detail(detail)
}

/// One sentence per certificate problem a person can act on (RFC 5280 §6 path validation,
/// RFC 6125 name matching); anything else is a secure connection that could not be made.
fn tls_message(e: &rustls::Error, host: &str, what: &str) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(C::UnknownIssuer) => format!(
            "The certificate of {host} is not from an authority this computer trusts. Your network may be \
             inspecting secure connections: ask IT for the company CA file and add it under Advanced \
             (Company CA) or with --ca-file."
        ),
        rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => format!(
            "The certificate of {host} has expired (or this computer's clock is wrong). Check the date and time \
             on this computer; if they are right, the server at the {what} must renew its certificate."
        ),
        rustls::Error::InvalidCertificate(C::NotValidYet | C::NotValidYetContext { .. }) => {
            format!("The certificate of {host} is not valid yet: check the date and time on this computer.")
        }
        rustls::Error::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. }) => format!(
            "The certificate presented for {host} belongs to another name. Check the {what}: it may be \
             mistyped, or something on the network is answering in its place."
        ),
        _ => format!(
            "A secure connection to {host} could not be made. Check the {what}; a proxy or the wrong port may \
             be in the way."
        ),
    }
}

/// The rustls error in reqwest's error chain, if a TLS failure caused it.
fn rustls_error(e: &reqwest::Error) -> Option<&rustls::Error> {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        if let Some(r) = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(r);
        }
        // An io::Error's `source()` skips the error it wraps, so step into it: tokio-rustls
        // nests the rustls::Error in an io::Error inside another io::Error.
        source = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|i| i as &(dyn std::error::Error + 'static))
            .or_else(|| s.source());
    }
    None
}

pub(super) fn cause_chain(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::CertificateError as C;

    fn sentence(e: C) -> String {
        tls_message(&rustls::Error::InvalidCertificate(e), "secure.stitch.money", "token URL")
    }

    #[test]
    fn each_certificate_problem_a_person_can_act_on_has_its_own_sentence() {
        assert!(sentence(C::UnknownIssuer).contains("Your network may be inspecting secure connections"));
        assert!(sentence(C::UnknownIssuer).contains("--ca-file"));
        assert!(sentence(C::Expired).contains("has expired"));
        assert!(sentence(C::NotValidYet).contains("not valid yet"));
        assert!(sentence(C::NotValidForName).contains("belongs to another name"));
        assert!(sentence(C::BadSignature).contains("A secure connection to secure.stitch.money could not be made"));
    }

    #[test]
    fn a_deadline_failure_is_a_timeout_that_says_how_long_and_how_to_allow_more() {
        let f = deadline_passed("https://secure.stitch.money/connect/token", "token URL", Duration::from_secs(30));
        assert_eq!(f.kind, FailureKind::Timeout);
        assert!(f.message.starts_with("secure.stitch.money did not answer in time (30 s)."), "{}", f.message);
        assert!(f.message.contains("--timeout"));
    }
}

//! Whether a host is this computer: the one place that decides it, in two strengths.
//!
//! - **Strict** ([`strict`], [`strict_url`], [`strict_text`]): `localhost` itself,
//!   127.0.0.0/8 and `::1`. For decisions that let something through because it stays on
//!   this computer: plain `http://` to a token endpoint (the simulator), a profile's URL
//!   named "this computer" on import, the simulator answering a `Host` header. A name
//!   *under* `localhost` is refused here, because a resolver may still look it up in DNS
//!   (RFC 6761 §6.3 asks it not to, but not every one obeys), and an IPv4-mapped address is
//!   refused because nothing listening on this computer is reached through one.
//! - **Loose** ([`loose`]): also names under `localhost` (`api.localhost`), a trailing
//!   dot, and IPv4-mapped loopback (`::ffff:127.0.0.1`). Only for choosing *not* to use a
//!   proxy: sending such a request direct, as curl does, can only keep it off the network,
//!   never send a secret anywhere new.

use std::net::IpAddr;

use url::{Host, Url};

/// `localhost`, 127.0.0.0/8 or `::1`, from a parsed host.
pub fn strict(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// Whether `url`'s host is strictly this computer (see [`strict`]); `false` without a host.
pub fn strict_url(url: &Url) -> bool {
    url.host().is_some_and(|h| strict(&h))
}

/// The same as [`strict`], for a host as text without its port: `localhost`, `127.0.0.1`,
/// `::1` or `[::1]` (an origin's host, or what a `Host` header names).
pub fn strict_text(host: &str) -> bool {
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    host.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// 127.0.0.0/8, `::1` (and IPv4-mapped loopback), `localhost` and names under it, with or
/// without a trailing dot (RFC 6761 §6.3). Only for keeping a request off a proxy.
pub fn loose(host: &Host<&str>) -> bool {
    match host {
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(text: &str) -> Host<String> {
        Host::parse(text).unwrap()
    }

    fn both(text: &str) -> (bool, bool) {
        let h = host(text);
        let h = match &h {
            Host::Domain(d) => Host::Domain(d.as_str()),
            Host::Ipv4(ip) => Host::Ipv4(*ip),
            Host::Ipv6(ip) => Host::Ipv6(*ip),
        };
        (strict(&h), loose(&h))
    }

    #[test]
    fn localhost_and_loopback_addresses_are_this_computer_in_both_strengths() {
        for text in ["localhost", "LocalHost", "127.0.0.1", "127.9.9.9", "[::1]"] {
            assert_eq!(both(text), (true, true), "{text}");
        }
    }

    #[test]
    fn a_name_under_localhost_is_this_computer_only_when_choosing_a_proxy() {
        for text in ["api.localhost", "localhost.", "[::ffff:127.0.0.1]"] {
            assert_eq!(both(text), (false, true), "{text}");
        }
    }

    #[test]
    fn other_hosts_are_never_this_computer() {
        for text in ["evil.example", "localhost.evil.example", "127.0.0.1.evil.example", "10.0.0.1", "[::2]"] {
            assert_eq!(both(text), (false, false), "{text}");
        }
    }

    #[test]
    fn a_url_without_a_host_is_not_this_computer() {
        assert!(!strict_url(&Url::parse("file:///tmp/x").unwrap()));
        assert!(strict_url(&Url::parse("http://127.0.0.1:8555/connect/token").unwrap()));
    }

    #[test]
    fn host_text_is_read_with_or_without_brackets() {
        for ok in ["localhost", "LOCALHOST", "127.0.0.1", "::1", "[::1]"] {
            assert!(strict_text(ok), "{ok}");
        }
        for bad in ["", "evil.example", "127.1", "api.localhost", "::2", "localhost:80", "[::1", "::1]"] {
            assert!(!strict_text(bad), "{bad}");
        }
    }
}

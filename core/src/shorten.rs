//! Shortening for a shared screen (presenter mode): client ids and certificate thumbprints are
//! shown by their ends only, so a viewer can tell them apart without being able to copy them
//! off the screen. Tokens are never shown at all in presenter mode; [`longest_shared_run`] is
//! how the tests (and the window's own checks) prove that no 8 consecutive characters of one
//! appear anywhere.

use crate::inspect::{DecodedAssertion, Exchange};

/// How many characters of a value may be shown together, at most; fewer than 8, the length
/// the issue forbids from any token.
pub const VISIBLE_RUN: usize = 4;

/// A client id by its ends: `test-5e1f6c0a-…` becomes `test-5e1f…6a58`. The `test-` prefix
/// stays (it says which environment the client belongs to) and is not counted as secret.
pub fn client_id(id: &str) -> String {
    let id = id.trim();
    let (prefix, rest) = match id.strip_prefix("test-") {
        Some(rest) => ("test-", rest),
        None => ("", id),
    };
    format!("{prefix}{}", ends(rest))
}

/// A certificate thumbprint (40 hex characters) by its ends: `F39A…12CD`.
pub fn thumbprint(hex: &str) -> String {
    ends(hex.trim())
}

/// `text` by its first and last [`VISIBLE_RUN`] characters; a short value becomes dots only.
fn ends(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    // Below 12 characters the ends would be most of the value.
    if chars.len() < 3 * VISIBLE_RUN {
        return "•".repeat(chars.len().min(VISIBLE_RUN));
    }
    let head: String = chars[..VISIBLE_RUN].iter().collect();
    let tail: String = chars[chars.len() - VISIBLE_RUN..].iter().collect();
    format!("{head}…{tail}")
}

/// `text` with every occurrence of each client id and thumbprint in `values` replaced by its
/// shortened form (`kid` headers, `iss`/`sub` claims, form fields, code snippets).
pub fn in_text(text: &str, client_ids: &[&str], thumbprints: &[&str]) -> String {
    let mut out = text.to_owned();
    let mut pairs: Vec<(&str, String)> = client_ids
        .iter()
        .filter(|v| v.trim().len() > 2 * VISIBLE_RUN)
        .map(|v| (v.trim(), client_id(v)))
        .chain(thumbprints.iter().filter(|v| v.trim().len() > 2 * VISIBLE_RUN).map(|v| (v.trim(), thumbprint(v))))
        .collect();
    // Longest first, so a value that contains another is replaced whole.
    pairs.sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
    for (value, short) in pairs {
        out = out.replace(value, &short);
    }
    out
}

/// A file's path as a shared screen shows it: its name only (`/home/ana/certs/shop.pem` becomes
/// `shop.pem`), since the folders name the person, the company or the client.
pub fn file_name(path: &str) -> String {
    let trimmed = path.trim().trim_end_matches(['/', '\\']);
    trimmed.rsplit(['/', '\\']).next().unwrap_or(trimmed).to_owned()
}

/// `text` with every certificate thumbprint in it shortened: each run of exactly 40
/// hexadecimal digits (a SHA-1 thumbprint, as Token Desk and Stitch write it) that stands on its
/// own, not inside a longer word.
pub fn thumbprints_in(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let run = chars[i..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
        let ends_word = chars.get(i + run).is_none_or(|c| !c.is_ascii_alphanumeric());
        if starts_word && run == 40 && ends_word {
            out.push_str(&thumbprint(&chars[i..i + run].iter().collect::<String>()));
            i += run;
        } else {
            let step = run.max(1);
            out.extend(&chars[i..i + step]);
            i += step;
        }
    }
    out
}

/// A message (an error, a notice) as presenter mode shows it: each of `client_ids` shortened
/// ([`in_text`]), each of `paths` by its file name only ([`file_name`]), and every thumbprint
/// shortened ([`thumbprints_in`]).
pub fn message(text: &str, client_ids: &[&str], paths: &[&str]) -> String {
    let mut out = in_text(text, client_ids, &[]);
    let mut paths: Vec<&str> = paths.iter().map(|p| p.trim()).filter(|p| p.contains(['/', '\\'])).collect();
    paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for path in paths {
        out = out.replace(path, &file_name(path));
    }
    thumbprints_in(&out)
}

/// An inspector record as presenter mode shows it: the client id (form field, assertion
/// `iss`/`sub`, the API's `clientId`) and the certificate thumbprint (`kid`) shortened
/// wherever they appear, plus any `more_ids` the caller knows.
pub fn exchange(e: &Exchange, more_ids: &[&str]) -> Exchange {
    let mut ids: Vec<String> = more_ids.iter().map(|s| s.to_string()).collect();
    ids.extend(e.form.iter().filter(|(k, _)| k == "client_id").map(|(_, v)| v.clone()));
    let mut thumbs: Vec<String> = Vec::new();
    if let Some(a) = &e.assertion {
        for claim in ["iss", "sub"] {
            ids.extend(a.claims.get(claim).and_then(|v| v.as_str()).map(str::to_owned));
        }
        thumbs.extend(a.header.get("kid").and_then(|v| v.as_str()).map(str::to_owned));
    }
    if let Ok(body) = serde_json::from_str::<serde_json::Value>(&e.response_body) {
        ids.extend(body.pointer("/data/client/clientId").and_then(|v| v.as_str()).map(str::to_owned));
    }
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let thumbs: Vec<&str> = thumbs.iter().map(String::as_str).collect();
    let short = |t: &str| in_text(t, &ids, &thumbs);
    let pairs = |list: &[(String, String)]| list.iter().map(|(k, v)| (k.clone(), short(v))).collect();
    let json = |v: &serde_json::Value| serde_json::from_str(&short(&v.to_string())).unwrap_or_else(|_| v.clone());
    Exchange {
        url: short(&e.url),
        request_headers: pairs(&e.request_headers),
        form: pairs(&e.form),
        assertion: e.assertion.as_ref().map(|a| DecodedAssertion { header: json(&a.header), claims: json(&a.claims) }),
        request_body: e.request_body.as_deref().map(short),
        response_headers: pairs(&e.response_headers),
        response_body: short(&e.response_body),
        error: e.error.as_deref().map(short),
        ..e.clone()
    }
}

/// The length of the longest run of consecutive characters of `value` that appears in `text`.
/// Presenter mode promises this stays below 8 for every token.
pub fn longest_shared_run(text: &str, value: &str) -> usize {
    let chars: Vec<char> = value.chars().collect();
    let mut best = 0;
    for start in 0..chars.len() {
        // Runs only grow from `best + 1`, so each start is tried with the next length up.
        let mut len = best + 1;
        while start + len <= chars.len() {
            let run: String = chars[start..start + len].iter().collect();
            if !text.contains(&run) {
                break;
            }
            best = len;
            len += 1;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "test-5e1f6c0a-8d4b-4a3e-9c71-2b0d9f3e6a58";
    const THUMB: &str = "F39A0C4D2B7E8F1A9C3D5E7B2A4C6E8F0A1B12CD";

    #[test]
    fn a_test_client_id_keeps_its_prefix_and_its_ends() {
        assert_eq!(client_id(ID), "test-5e1f…6a58");
        assert_eq!(client_id("  live-client-0123456789  "), "live…6789");
    }

    #[test]
    fn a_thumbprint_keeps_four_characters_at_each_end() {
        assert_eq!(thumbprint(THUMB), "F39A…12CD");
    }

    #[test]
    fn a_short_value_is_shown_as_dots_only() {
        assert_eq!(client_id("abc"), "•••");
        assert_eq!(thumbprint("0123456789"), "••••");
    }

    #[test]
    fn no_shortened_value_shares_eight_characters_with_the_original() {
        assert!(longest_shared_run(&client_id(ID), &ID[5..]) < 8);
        assert!(longest_shared_run(&thumbprint(THUMB), THUMB) < 8);
    }

    #[test]
    fn every_occurrence_in_a_text_is_shortened_and_the_rest_is_kept() {
        let text = format!("client_id={ID}\n{{\"kid\":\"{THUMB}\",\"iss\":\"{ID}\"}}");
        let out = in_text(&text, &[ID], &[THUMB]);
        assert_eq!(out, "client_id=test-5e1f…6a58\n{\"kid\":\"F39A…12CD\",\"iss\":\"test-5e1f…6a58\"}");
    }

    #[test]
    fn an_empty_or_tiny_value_does_not_rewrite_the_text() {
        assert_eq!(in_text("a b c", &["", "a"], &["b"]), "a b c");
    }

    #[test]
    fn an_inspector_record_shows_the_client_and_thumbprint_shortened_everywhere() {
        let e = Exchange {
            form: vec![("client_id".into(), ID.into()), ("scope".into(), "client_refund".into())],
            assertion: Some(DecodedAssertion {
                header: serde_json::json!({ "alg": "RS256", "kid": THUMB }),
                claims: serde_json::json!({ "iss": ID, "sub": ID }),
            }),
            response_body: format!("{{\"data\":{{\"client\":{{\"clientId\":\"{ID}\"}}}}}}"),
            ..Exchange::default()
        };
        let shown = serde_json::to_string(&exchange(&e, &[])).unwrap();
        assert!(longest_shared_run(&shown, &ID[5..]) < 8, "{shown}");
        assert!(longest_shared_run(&shown, THUMB) < 8, "{shown}");
        assert!(shown.contains("client_refund") && shown.contains("RS256"), "{shown}");
    }

    #[test]
    fn a_path_is_shown_by_its_file_name_only() {
        assert_eq!(file_name("/home/ana/certs/shop.pem"), "shop.pem");
        assert_eq!(file_name(r"C:\Users\ana\ca.crt"), "ca.crt");
        assert_eq!(file_name("ca.pem"), "ca.pem");
    }

    #[test]
    fn a_thumbprint_in_a_text_is_shortened_but_a_longer_hex_word_is_not() {
        let text = format!("kid {THUMB}, sha256 {THUMB}AB, lower {}.", THUMB.to_lowercase());
        assert_eq!(thumbprints_in(&text), format!("kid F39A…12CD, sha256 {THUMB}AB, lower f39a…12cd."));
        assert_eq!(thumbprints_in("héllo – no hex"), "héllo – no hex");
    }

    #[test]
    fn a_message_shortens_client_ids_paths_and_thumbprints_together() {
        let text = format!("This secret was entered for {ID} at /home/ana/work/ca.pem; certificate {THUMB}.");
        let shown = message(&text, &[ID], &["/home/ana/work/ca.pem"]);
        assert_eq!(shown, "This secret was entered for test-5e1f…6a58 at ca.pem; certificate F39A…12CD.");
        assert!(longest_shared_run(&shown, &ID[5..]) < 8 && longest_shared_run(&shown, THUMB) < 8);
    }

    #[test]
    fn the_longest_shared_run_is_measured_exactly() {
        assert_eq!(longest_shared_run("xxabcdyy", "zabcdz"), 4);
        assert_eq!(longest_shared_run("nothing here", "QQQ"), 0);
        assert_eq!(longest_shared_run("the whole token", "whole"), 5);
    }
}

//! Names made of parts joined by `:` and `@`, as the keyring's accounts and the kernel's key
//! descriptions are. A part that held a separator could make two names one (profile
//! `a:client-secret:b` of client `c` and profile `a` of client `b:client-secret:c`), so each
//! part is written with its separators encoded.

/// `text` with `%`, `:`, `@` and control characters percent-encoded (RFC 3986 §2.1, upper-case
/// hex, each UTF-8 byte): the separators around it can then only be separators. A part
/// without them (most names) is written as it is, so names made before stay the same.
pub fn part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | ':' | '@') || c.is_control() {
            let mut utf8 = [0u8; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::part;

    #[test]
    fn separators_percent_signs_and_controls_are_encoded_and_nothing_else() {
        assert_eq!(part("Shop (test) ünïcode-1.2_x"), "Shop (test) ünïcode-1.2_x");
        assert_eq!(part("a:b@c%d"), "a%3Ab%40c%25d");
        assert_eq!(part("\u{1b}[2J\u{85}"), "%1B[2J%C2%85");
    }

    #[test]
    fn different_parts_stay_different() {
        let parts = ["a:b", "a%3Ab", "a%253Ab", "a@b", "a%40b", "a\nb", "a%0Ab"];
        let encoded: std::collections::BTreeSet<String> = parts.iter().map(|p| part(p)).collect();
        assert_eq!(encoded.len(), parts.len());
        assert!(encoded.iter().all(|e| !e.contains(':') && !e.contains('@')));
    }
}

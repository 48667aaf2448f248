//! The JavaScript that signs the client assertion inside a tool that runs Node's `crypto`
//! (Bruno's developer sandbox, httpyac). It is the assertion Token Desk signs itself
//! (RFC 7523 §2.2, as Stitch documents it): header `alg` RS256, `typ` JWT, `kid` = the
//! certificate's SHA-1 thumbprint of its DER in uppercase hex without separators;
//! `iss` = `sub` = client id, `aud` = the audience, a fresh random `jti`, `iat` = `nbf` = now
//! and `exp` one minute later. It reads the PEM file Stitch issued from a path the integrator
//! gives; the key never enters the collection.

/// How the script reads a variable and hands the signed assertion back, per tool.
pub struct Host {
    /// An expression that yields the variable named by `{}`.
    pub read: fn(&str) -> String,
    /// A statement that stores the expression `assertion`.
    pub store: &'static str,
}

/// The script's lines (no indentation; the caller indents them).
pub fn script(host: &Host) -> Vec<String> {
    let read = host.read;
    vec![
        "// The client assertion (RFC 7523 §2.2): an RS256 JWT signed with the certificate's key,".to_owned(),
        "// new for every token request. The key is read from the PEM file and never stored.".to_owned(),
        "const crypto = require(\"crypto\");".to_owned(),
        format!("const pem = require(\"fs\").readFileSync({}, \"utf8\");", read("certificate_path")),
        // Stitch's file is `openssl pkcs12 -nodes` output: text lines, then the blocks in
        // either order, the key as PKCS#8 or PKCS#1.
        "const certBlock = pem.match(/-----BEGIN CERTIFICATE-----[\\s\\S]+?-----END CERTIFICATE-----/)[0];"
            .to_owned(),
        "const keyBlock = pem.match(/-----BEGIN (RSA )?PRIVATE KEY-----[\\s\\S]+?-----END (RSA )?PRIVATE KEY-----/)[0];"
            .to_owned(),
        format!("const clientId = {};", read("client_id")),
        "const part = (value) => Buffer.from(JSON.stringify(value)).toString(\"base64url\");".to_owned(),
        "const now = Math.floor(Date.now() / 1000);".to_owned(),
        "// kid: the SHA-1 thumbprint of the certificate, uppercase hex without colons.".to_owned(),
        "const kid = new crypto.X509Certificate(certBlock).fingerprint.replace(/:/g, \"\");".to_owned(),
        "const signed = part({ alg: \"RS256\", typ: \"JWT\", kid }) + \".\" + part({".to_owned(),
        format!(
            "  iss: clientId, sub: clientId, aud: {}, jti: crypto.randomUUID(), iat: now, nbf: now, exp: now + 60,",
            read("audience")
        ),
        "});".to_owned(),
        "const signature = crypto.sign(\"sha256\", Buffer.from(signed), crypto.createPrivateKey(keyBlock));"
            .to_owned(),
        "const assertion = signed + \".\" + signature.toString(\"base64url\");".to_owned(),
        host.store.to_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::variables;

    fn host() -> Host {
        Host { read: |name| format!("vars.{name}"), store: "vars.client_assertion = assertion;" }
    }

    #[test]
    fn the_script_signs_rs256_with_the_thumbprint_as_kid_and_a_one_minute_lifetime() {
        let text = script(&host()).join("\n");
        assert!(text.contains("fingerprint.replace(/:/g, \"\")"), "X509Certificate.fingerprint is SHA-1, uppercase");
        variables::assert_holds(
            &text,
            &[
                "alg: \"RS256\", typ: \"JWT\", kid",
                "iss: clientId, sub: clientId, aud: vars.audience",
                "jti: crypto.randomUUID(), iat: now, nbf: now, exp: now + 60",
                "crypto.sign(\"sha256\"",
            ],
        );
        assert!(text.ends_with("vars.client_assertion = assertion;"));
    }

    #[test]
    fn the_script_reads_the_pem_from_the_certificate_path_variable_and_holds_no_key() {
        let text = script(&host()).join("\n");
        assert!(text.contains("readFileSync(vars.certificate_path"));
        // It names the markers in a pattern, never a whole marker line.
        assert!(!text.contains("-----BEGIN PRIVATE KEY-----"));
        assert!(!text.contains("-----BEGIN RSA PRIVATE KEY-----"));
    }
}

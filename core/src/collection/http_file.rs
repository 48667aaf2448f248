//! An `.http` file for httpyac (its command line, and its VS Code and JetBrains extensions)
//! that runs as `httpyac send FILE --all --bail --var client_secret=…`.
//!
//! File variables hold the settings; the credential is not declared in the file at all,
//! because a file variable would override the one given with `--var`. The first request
//! (named `token`) gets the token with the form Stitch documents (RFC 6749 §4.4), every value
//! URL-encoded; the second sends `{{token.access_token}}`, the first response's field. `??`
//! lines are httpyac's assertions: `--bail` stops at the first that fails.
//!
//! The certificate flow signs the RS256 client assertion in a script block with Node's
//! `crypto` (httpyac runs scripts in Node with `require`).
//!
//! httpyac runs the JavaScript inside `{{ }}` wherever it finds it, file variables included,
//! so every value written goes through [`http_file_value`], which refuses what httpyac would
//! act on.

use super::signing::{self, Host};
use super::variables::{self, ValueError, ASSERTION_TYPE, NEVER_IN_THE_FILE};
use crate::known_scopes::CLIENT_QUERY;
use crate::snippet::{Flow, Settings};

/// `value` (the setting `field`) as written after `@name = ` or in a comment line: itself,
/// when httpyac would neither interpolate nor run any of it ([`variables::check_inert`]); a
/// file variable's value has no escape for `{{`, so anything else is refused.
fn http_file_value(field: &'static str, value: &str) -> Result<String, ValueError> {
    variables::check_inert(field, "httpyac", value)?;
    Ok(value.to_owned())
}

/// The file's text, or which setting httpyac would act on.
pub fn file(s: &Settings) -> Result<String, ValueError> {
    let vars = variables::encoded(s, http_file_value)?;
    let mut out = String::new();
    for line in header(s.flow, &vars) {
        out.push_str(if line.is_empty() { "#".to_owned() } else { format!("# {line}") }.as_str());
        out.push('\n');
    }
    out.push('\n');
    for (key, value) in &vars {
        if *key != variables::credential(s.flow) {
            out.push_str(&format!("@{key} = {value}\n"));
        }
    }
    out.push_str("\n### Get a client token\n# @name token\n");
    if s.flow == Flow::Certificate {
        out.push_str("{{\n");
        out.push_str("  if (typeof certificate_path === \"undefined\") {\n");
        out.push_str(
            "    throw new Error(\"Set certificate_path to the .pem file Stitch issued: --var certificate_path=/path/to/client.pem\");\n",
        );
        out.push_str("  }\n");
        for line in
            signing::script(&Host { read: |name| name.to_owned(), store: "exports.client_assertion = assertion;" })
        {
            out.push_str(&format!("  {line}\n"));
        }
        out.push_str("}}\n");
    }
    out.push_str(
        "POST {{token_url}}\n\
         Content-Type: application/x-www-form-urlencoded\n\n\
         grant_type=client_credentials\n\
         &client_id={{encodeURIComponent(client_id)}}\n\
         &audience={{encodeURIComponent(audience)}}\n\
         &scope={{encodeURIComponent(scope)}}\n",
    );
    match s.flow {
        Flow::Secret => out.push_str("&client_secret={{encodeURIComponent(client_secret)}}\n"),
        Flow::Certificate => {
            let assertion_type: String = url::form_urlencoded::byte_serialize(ASSERTION_TYPE.as_bytes()).collect();
            out.push_str(&format!(
                "&client_assertion_type={assertion_type}\n&client_assertion={{{{client_assertion}}}}\n"
            ));
        }
    }
    out.push_str(
        "\n?? status == 200\n\
         ?? body error isFalse\n\
         ?? body access_token exists\n",
    );
    out.push_str(&format!(
        "\n### Call the API\n# @name api\n\
         POST {{{{api_url}}}}\n\
         Authorization: Bearer {{{{token.access_token}}}}\n\
         Content-Type: application/json\n\n\
         {body}\n\n\
         ?? status == 200\n\
         ?? body errors isFalse\n\
         ?? body data.client.clientId == {{{{client_id}}}}\n",
        body = serde_json::json!({ "query": CLIENT_QUERY }),
    ));
    Ok(out)
}

/// The comment at the top: what the file does, where the credential goes, how to run it;
/// `vars` are the encoded variables.
fn header(flow: Flow, vars: &[(&'static str, String)]) -> Vec<String> {
    let mut lines = vec![
        "Stitch client token, made by Token Desk: gets a client token and calls the API with it.".to_owned(),
        format!("Client {}, scopes \"{}\".", variables::value(vars, "client_id"), variables::value(vars, "scope")),
        String::new(),
    ];
    match flow {
        Flow::Secret => lines.extend([
            "Where the secret goes: in the variable client_secret, given when you run the file, never".to_owned(),
            "written here. With httpyac's command line:".to_owned(),
            "  httpyac send THIS_FILE --all --bail --var \"client_secret=$STITCH_CLIENT_SECRET\"".to_owned(),
            "In VS Code or JetBrains with httpyac, put client_secret in an httpyac environment.".to_owned(),
        ]),
        Flow::Certificate => lines.extend([
            "Where the certificate goes: the path of the .pem file Stitch issued, in the variable".to_owned(),
            "certificate_path, given when you run the file. The script below signs the client assertion".to_owned(),
            "(RS256) with the key in that file, with Node's crypto. With httpyac's command line:".to_owned(),
            "  httpyac send THIS_FILE --all --bail --var certificate_path=/path/to/client.pem".to_owned(),
        ]),
    }
    lines.extend([
        "httpyac prints every exchange whole, the secret and the token included: on a shared screen add".to_owned(),
        "  -o short --output-failed short".to_owned(),
    ]);
    lines.push(String::new());
    lines.push(
        "Each request's ?? assertions fail when it fails: the HTTP status, the OAuth error, GraphQL errors.".to_owned(),
    );
    lines.push(NEVER_IN_THE_FILE.to_owned());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(flow: Flow) -> Settings {
        variables::sample_settings(flow, "http://127.0.0.1:1/connect/token", "http://127.0.0.1:1/graphql")
    }

    #[test]
    fn a_value_httpyac_would_run_or_interpolate_is_refused_in_every_field() {
        variables::assert_every_field_refused("httpyac", &settings(Flow::Secret), file);
        variables::assert_every_field_refused("httpyac", &settings(Flow::Certificate), file);
    }

    #[test]
    fn the_settings_are_file_variables_and_the_secret_is_not_declared() {
        let text = file(&settings(Flow::Secret)).unwrap();
        variables::assert_holds(
            &text,
            &[
                "\n@token_url = http://127.0.0.1:1/connect/token\n",
                "\n@scope = client_paymentrequest client_refund\n",
                "\n@api_url = http://127.0.0.1:1/graphql\n",
            ],
        );
        assert!(!text.contains("@client_secret"), "a file variable would override --var");
    }

    #[test]
    fn the_token_request_is_named_and_the_api_call_uses_its_access_token() {
        let text = file(&settings(Flow::Secret)).unwrap();
        variables::assert_holds(
            &text,
            &[
                "# @name token\nPOST {{token_url}}\nContent-Type: application/x-www-form-urlencoded\n",
                "&client_secret={{encodeURIComponent(client_secret)}}\n",
                "Authorization: Bearer {{token.access_token}}\n",
                "?? body error isFalse\n",
                "?? body errors isFalse\n",
                "{\"query\":\"query { client { id clientId } }\"}",
            ],
        );
    }

    #[test]
    fn the_certificate_file_signs_the_assertion_in_a_script_before_the_request() {
        let text = file(&settings(Flow::Certificate)).unwrap();
        variables::assert_holds(&text, &[
            "# @name token\n{{\n  if (typeof certificate_path === \"undefined\")",
            "exports.client_assertion = assertion;\n}}\nPOST {{token_url}}\n",
            "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer\n&client_assertion={{client_assertion}}\n",
        ]);
        assert!(!text.contains("client_secret"));
    }
}

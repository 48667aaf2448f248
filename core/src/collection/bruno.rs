//! A Bruno collection folder that runs as `bru run -r --env-var client_secret=…` inside it.
//!
//! `bruno.json` marks the folder; `collection.bru` declares the collection variables (an
//! `--env-var` wins over a collection variable in Bruno's order of scopes) and holds the
//! docs; two `.bru` requests get the token (RFC 6749 §4.4, the form Stitch documents) and call
//! the API, each with assertions and tests that fail when the request fails.
//!
//! The certificate flow signs the RS256 client assertion in a pre-request script with Node's
//! `crypto`, which Bruno allows in its developer sandbox only (`--sandbox developer`, or
//! *Developer Mode* in the app); in the safe sandbox the script says so.

use super::signing::{self, Host};
use super::variables::{self, ValueError, ACCESS_TOKEN, ASSERTION_TYPE, CLIENT_ASSERTION, NEVER_IN_THE_FILE};
use crate::known_scopes::CLIENT_QUERY;
use crate::snippet::{Flow, Settings};

/// `value` (the setting `field`) as written after `name: ` in a `.bru` block, in the docs and
/// in `bruno.json`: itself, when Bruno would neither interpolate nor run any of it
/// ([`variables::check_inert`]: Bruno replaces `{{…}}` in variables, recursively) and it does
/// not hold `'''`, which starts a multi-line value in a `.bru` file. Bruno has no escape for
/// `{{`, so anything else is refused.
fn bru_value(field: &'static str, value: &str) -> Result<String, ValueError> {
    variables::check_inert(field, "Bruno", value)?;
    if value.contains("'''") {
        return Err(ValueError::Template { field, tool: "Bruno", what: "''' (the start of a multi-line value)" });
    }
    Ok(value.to_owned())
}

/// The folder's files: (path inside the folder, text), or which setting Bruno would act on.
pub fn files(s: &Settings) -> Result<Vec<(String, String)>, ValueError> {
    let vars = variables::encoded(s, bru_value)?;
    let guide = guide(s.flow, &vars);
    Ok(vec![
        ("bruno.json".to_owned(), bruno_json(&vars)),
        ("collection.bru".to_owned(), collection_bru(&vars, &guide)),
        ("get-token.bru".to_owned(), token_request(s.flow)),
        ("call-api.bru".to_owned(), api_request()),
        ("README.md".to_owned(), guide),
    ])
}

fn bruno_json(vars: &[(&'static str, String)]) -> String {
    let config = serde_json::json!({
        "version": "1",
        "name": format!("Stitch client token ({})", variables::value(vars, "client_id")),
        "type": "collection",
        "ignore": ["node_modules", ".git"],
    });
    let mut text = serde_json::to_string_pretty(&config).expect("JSON values serialize");
    text.push('\n');
    text
}

/// What the collection does and where the credential goes (the docs and the README), from
/// the encoded variables `vars`.
fn guide(flow: Flow, vars: &[(&'static str, String)]) -> String {
    let how = match flow {
        Flow::Secret => "**Where the secret goes:** in the `client_secret` variable, which is empty here. In the \
             Bruno app, add an environment with a variable `client_secret` and tick *Secret* (Bruno then keeps \
             its value out of the files). From the command line, inside this folder:\n\n\
             ```sh\nbru run -r --env-var \"client_secret=$STITCH_CLIENT_SECRET\"\n```\n"
            .to_owned(),
        Flow::Certificate => "**Where the certificate goes:** put the path of the .pem file Stitch issued in the \
             `certificate_path` variable (empty here). The token request signs an RS256 client assertion \
             with the certificate's key in a pre-request script, using Node's `crypto`, which Bruno allows \
             only in its developer sandbox: in the app, set the collection's JavaScript Sandbox to \
             *Developer Mode*. From the command line, inside this folder:\n\n\
             ```sh\nbru run -r --sandbox developer --env-var certificate_path=/path/to/client.pem\n```\n"
            .to_owned(),
    };
    format!(
        "# Stitch client token\n\n\
         Made by Token Desk: gets a Stitch client token and calls the API with it, for client `{id}`, \
         scopes `{scopes}`, token URL {token_url}, API {api_url} (the collection variables).\n\n\
         {how}\n\
         1. *Get a client token* sends the form Stitch documents and keeps `access_token` for the next request.\n\
         2. *Call the API* sends `{CLIENT_QUERY}` with it.\n\n\
         Each request's assertions and tests fail when it fails: the HTTP status, the OAuth `error` \
         of the token server, the GraphQL `errors` of the API.\n\n\
         {NEVER_IN_THE_FILE}\n",
        id = variables::value(vars, "client_id"),
        scopes = variables::value(vars, "scope"),
        token_url = variables::value(vars, "token_url"),
        api_url = variables::value(vars, "api_url"),
    )
}

fn collection_bru(vars: &[(&'static str, String)], guide: &str) -> String {
    let vars: Vec<String> = vars.iter().map(|(key, value)| format!("{key}: {value}").trim_end().to_owned()).collect();
    format!("{}\n{}", block("vars:pre-request", &vars), block("docs", &guide.lines().collect::<Vec<_>>()))
}

fn token_request(flow: Flow) -> String {
    let mut form = vec![
        "grant_type: client_credentials".to_owned(),
        "client_id: {{client_id}}".to_owned(),
        "audience: {{audience}}".to_owned(),
        "scope: {{scope}}".to_owned(),
    ];
    let mut out = meta("Get a client token", 1);
    out.push_str(&block("post", &["url: {{token_url}}", "body: formUrlEncoded", "auth: none"]));
    match flow {
        Flow::Secret => form.push("client_secret: {{client_secret}}".to_owned()),
        Flow::Certificate => {
            form.push(format!("client_assertion_type: {ASSERTION_TYPE}"));
            form.push(format!("client_assertion: {{{{{CLIENT_ASSERTION}}}}}"));
        }
    }
    out.push('\n');
    out.push_str(&block("body:form-urlencoded", &form));
    if flow == Flow::Certificate {
        let mut script = vec![
            "if (bru.isSafeMode()) {".to_owned(),
            "  throw new Error(\"Signing the client assertion needs Bruno's developer sandbox: run bru with --sandbox developer, or set the collection's JavaScript Sandbox to Developer Mode.\");".to_owned(),
            "}".to_owned(),
        ];
        script.extend(signing::script(&Host {
            read: |name| format!("bru.interpolate(\"{{{{{name}}}}}\")"),
            store: "bru.setVar(\"client_assertion\", assertion);",
        }));
        out.push('\n');
        out.push_str(&block("script:pre-request", &script));
    }
    out.push('\n');
    out.push_str(&block(
        "script:post-response",
        &[
            // A failed request must not leave an older token for the API call to use.
            format!("bru.setVar(\"{ACCESS_TOKEN}\", (res.getBody() || {{}}).access_token || \"\");").as_str(),
        ],
    ));
    out.push('\n');
    out.push_str(&block("assert", &["res.status: eq 200", "res.body.access_token: isString"]));
    out.push('\n');
    out.push_str(&block(
        "tests",
        &[
            "test(\"Stitch issued a token\", function () {",
            "  const body = res.getBody() || {};",
            "  if (body.error) throw new Error(body.error + \": \" + (body.error_description || \"the token server refused the request\"));",
            "  expect(res.getStatus()).to.equal(200);",
            "  expect(body.access_token, \"access_token in the answer\").to.be.a(\"string\").and.not.empty;",
            "});",
        ],
    ));
    out
}

fn api_request() -> String {
    let mut out = meta("Call the API", 2);
    out.push_str(&block("post", &["url: {{api_url}}", "body: json", "auth: none"]));
    out.push('\n');
    out.push_str(&block("headers", &[format!("Authorization: Bearer {{{{{ACCESS_TOKEN}}}}}").as_str()]));
    out.push('\n');
    let body = serde_json::to_string_pretty(&serde_json::json!({ "query": CLIENT_QUERY })).expect("JSON serializes");
    out.push_str(&block("body:json", &body.lines().collect::<Vec<_>>()));
    out.push('\n');
    out.push_str(&block("assert", &["res.status: eq 200", "res.body.errors: isUndefined"]));
    out.push('\n');
    out.push_str(&block(
        "tests",
        &[
            "test(\"the API answered without errors\", function () {",
            "  const body = res.getBody() || {};",
            "  if (body.errors) throw new Error(body.errors.map((e) => e.message).join(\"; \"));",
            "  expect(res.getStatus()).to.equal(200);",
            "  expect(body.data.client.clientId).to.equal(bru.interpolate(\"{{client_id}}\"));",
            "});",
        ],
    ));
    out
}

fn meta(name: &str, seq: u32) -> String {
    block("meta", &[format!("name: {name}"), "type: http".to_owned(), format!("seq: {seq}")])
}

/// A `.bru` block: its name, then each line indented by two spaces (blank lines stay blank).
fn block<S: AsRef<str>>(name: &str, lines: &[S]) -> String {
    let mut out = format!("{name} {{\n");
    for line in lines {
        let line = line.as_ref();
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(flow: Flow) -> Settings {
        variables::sample_settings(flow, "http://127.0.0.1:1/connect/token", "http://127.0.0.1:1/graphql")
    }

    fn file(files: &[(String, String)], name: &str) -> String {
        files.iter().find(|(n, _)| n == name).unwrap().1.clone()
    }

    #[test]
    fn a_value_bruno_would_interpolate_or_read_as_more_lines_is_refused_in_every_field() {
        variables::assert_every_field_refused("Bruno", &settings(Flow::Secret), files);
        variables::assert_every_field_refused("Bruno", &settings(Flow::Certificate), files);
        let mut s = settings(Flow::Secret);
        s.api_url = "'''".into();
        let message = files(&s).unwrap_err().to_string();
        assert!(message.starts_with("The API URL cannot go into a Bruno collection: it holds '''"), "{message}");
    }

    #[test]
    fn the_folder_holds_bruno_json_the_collection_variables_and_two_requests() {
        let files = files(&settings(Flow::Secret)).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["bruno.json", "collection.bru", "get-token.bru", "call-api.bru", "README.md"]);
        let config: serde_json::Value = serde_json::from_str(&file(&files, "bruno.json")).unwrap();
        assert_eq!(config["type"], "collection");
        let collection = file(&files, "collection.bru");
        assert!(collection.starts_with("vars:pre-request {\n  token_url: http://127.0.0.1:1/connect/token\n"));
        assert!(collection.contains("\n  scope: client_paymentrequest client_refund\n"));
        assert!(collection.contains("\n  client_secret:\n"), "declared, with no value");
        assert!(collection.contains("docs {\n  # Stitch client token\n"));
    }

    #[test]
    fn the_token_request_sends_the_documented_form_and_keeps_the_token() {
        let request = file(&files(&settings(Flow::Secret)).unwrap(), "get-token.bru");
        variables::assert_holds(
            &request,
            &[
                "body:form-urlencoded {\n  grant_type: client_credentials\n  client_id: {{client_id}}\n  \
             audience: {{audience}}\n  scope: {{scope}}\n  client_secret: {{client_secret}}\n}\n",
                "bru.setVar(\"access_token\"",
                "res.status: eq 200",
                "body.error",
            ],
        );
    }

    #[test]
    fn the_api_request_uses_the_kept_token_and_fails_on_graphql_errors() {
        let request = file(&files(&settings(Flow::Secret)).unwrap(), "call-api.bru");
        variables::assert_holds(
            &request,
            &[
                "Authorization: Bearer {{access_token}}",
                "res.body.errors: isUndefined",
                "\"query\": \"query { client { id clientId } }\"",
            ],
        );
    }

    #[test]
    fn the_certificate_request_signs_an_assertion_in_the_developer_sandbox() {
        let files = files(&settings(Flow::Certificate)).unwrap();
        let request = file(&files, "get-token.bru");
        variables::assert_holds(
            &request,
            &[
                "client_assertion_type: urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion: {{client_assertion}}",
                "script:pre-request {\n  if (bru.isSafeMode()) {",
                "readFileSync(bru.interpolate(\"{{certificate_path}}\")",
            ],
        );
        assert!(!request.contains("client_secret"));
        assert!(file(&files, "collection.bru").contains("\n  certificate_path:\n"));
        assert!(file(&files, "README.md").contains("--sandbox developer"));
    }
}

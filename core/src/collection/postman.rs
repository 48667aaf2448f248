//! A Postman Collection v2.1 file that runs as `newman run FILE --env-var client_secret=…`.
//!
//! Request 1 is the token request exactly as Stitch documents it (RFC 6749 §4.4: a form with
//! `grant_type`, `client_id`, `audience`, single-space `scope` and `client_secret`); its test
//! script stores `access_token` in a collection variable. Request 2 calls the API with it. An
//! environment variable (what `--env-var` sets) wins over a collection variable in Postman's
//! order of scopes, so the empty `client_secret` declared here is only a placeholder.
//!
//! Postman's script sandbox cannot sign with RSA, so for the certificate flow the collection
//! holds the API call only, takes a token made elsewhere in `access_token`, and says so.
//!
//! Postman and newman replace `{{…}}` in variable values, recursively, and JSON has no escape
//! that stops them: every value written goes through [`postman_value`], which refuses what
//! they would act on, and then through JSON's own escaping.

use serde_json::{json, Value};

use super::variables::{self, ValueError, ACCESS_TOKEN, NEVER_IN_THE_FILE};
use crate::known_scopes::CLIENT_QUERY;
use crate::snippet::{bash_literal, Flow, Settings};

/// Postman's identifier of the format (not fetched: Postman and newman match it as a string).
const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

/// `value` (the setting `field`) as it goes into a JSON string of the collection: itself,
/// when Postman would neither interpolate nor run any of it ([`variables::check_inert`]);
/// otherwise refused. (The JSON escaping is `serde_json`'s, when the whole is written.)
fn postman_value(field: &'static str, value: &str) -> Result<String, ValueError> {
    variables::check_inert(field, "Postman", value)?;
    Ok(value.to_owned())
}

/// The collection's JSON text, or which setting Postman would act on.
pub fn collection(s: &Settings) -> Result<String, ValueError> {
    let encoded = variables::encoded(s, postman_value)?;
    // The certificate's path is of no use to Postman: it cannot sign with the key.
    let mut vars: Vec<Value> = encoded
        .iter()
        .filter(|(key, _)| *key != variables::CERTIFICATE_PATH)
        .map(|(key, value)| json!({ "key": key, "value": value }))
        .collect();
    vars.push(json!({ "key": ACCESS_TOKEN, "value": "" }));
    let items = match s.flow {
        Flow::Secret => vec![token_request(), api_request(s.flow)],
        Flow::Certificate => vec![api_request(s.flow)],
    };
    let collection = json!({
        "info": {
            "name": format!("Stitch client token ({})", variables::value(&encoded, "client_id")),
            "description": description(s.flow, &encoded),
            "schema": SCHEMA,
        },
        "variable": vars,
        "item": items,
    });
    let mut text = serde_json::to_string_pretty(&collection).expect("JSON values serialize");
    text.push('\n');
    Ok(text)
}

/// The collection's description, from the encoded variables `vars`.
fn description(flow: Flow, vars: &[(&'static str, String)]) -> String {
    let value = |key| variables::value(vars, key);
    let what = format!(
        "Made by Token Desk from these settings: client `{}`, scopes `{}`, token URL {}, API {}.",
        value("client_id"),
        value("scope"),
        value("token_url"),
        value("api_url")
    );
    match flow {
        Flow::Secret => format!(
            "Gets a Stitch client token and calls the API with it.\n\n{what}\n\n\
             **Where the secret goes:** in the `client_secret` variable, which is empty here. In Postman, \
             put it in an environment variable named `client_secret` (or in the collection variable's \
             *Current value*, which stays on your machine). With newman:\n\n\
             `newman run THIS_FILE --env-var \"client_secret=$STITCH_CLIENT_SECRET\"`\n\n\
             1. *Get a client token* sends the form Stitch documents and stores `access_token` in a \
             collection variable.\n\
             2. *Call the API* sends `{CLIENT_QUERY}` with it.\n\n\
             Each request's test fails when it fails: the HTTP status, the OAuth `error` of the token \
             server, the GraphQL `errors` of the API.\n\n{NEVER_IN_THE_FILE}"
        ),
        Flow::Certificate => format!(
            "Calls the Stitch API with a client token.\n\n{what}\n\n\
             **Postman cannot get a certificate client's token by itself:** its script sandbox has no \
             RSA signing, so it cannot sign the RS256 client assertion Stitch asks for. Get the token \
             with Token Desk and hand it to this collection in the `access_token` variable:\n\n\
             `newman run THIS_FILE --env-var \"access_token=$(token-desk token --certificate client.pem \
             --client-id {id} --scope {scopes} --token-url {url})\"`\n\n\
             For code that does the whole certificate flow (signing included), run \
             `token-desk snippet --flow certificate --lang javascript` (or `curl`, `python`, `csharp`), \
             or save a Bruno collection or an .http file from Token Desk: those tools can sign.\n\n\
             The request's test fails when the API answers with GraphQL `errors` (an expired or \
             missing token, a missing scope) or a status other than 200.\n\n{NEVER_IN_THE_FILE}",
            // A command people paste into a shell: each value one bash word, taken literally.
            id = bash_literal(value("client_id")),
            scopes = bash_literal(value("scope")),
            url = bash_literal(value("token_url")),
        ),
    }
}

fn token_request() -> Value {
    let form: Vec<Value> = [
        ("grant_type", "client_credentials"),
        ("client_id", "{{client_id}}"),
        ("audience", "{{audience}}"),
        ("scope", "{{scope}}"),
        ("client_secret", "{{client_secret}}"),
    ]
    .into_iter()
    .map(|(key, value)| json!({ "key": key, "value": value, "type": "text" }))
    .collect();
    json!({
        "name": "1. Get a client token",
        "event": [test_script(&[
            "let body = {};",
            "try { body = pm.response.json(); } catch (e) { /* not JSON: the test below says so */ }",
            // A failed request must not leave an older token for the API call to use.
            "pm.collectionVariables.set(\"access_token\", body.access_token || \"\");",
            "pm.test(\"Stitch issued a token\", function () {",
            "  if (body.error) throw new Error(body.error + \": \" + (body.error_description || \"the token server refused the request\"));",
            "  pm.response.to.have.status(200);",
            "  pm.expect(body.access_token, \"access_token in the answer\").to.be.a(\"string\").and.not.empty;",
            "});",
        ])],
        "request": {
            "method": "POST",
            "header": [{ "key": "Content-Type", "value": "application/x-www-form-urlencoded" }],
            "body": { "mode": "urlencoded", "urlencoded": form },
            "url": "{{token_url}}",
        },
    })
}

fn api_request(flow: Flow) -> Value {
    let mut events = Vec::new();
    if flow == Flow::Certificate {
        events.push(json!({
            "listen": "prerequest",
            "script": { "type": "text/javascript", "exec": [
                "if (!pm.variables.get(\"access_token\")) {",
                "  throw new Error(\"Set access_token to a token from `token-desk token --certificate ...`: Postman cannot sign the certificate's client assertion (see the collection's description).\");",
                "}",
            ] },
        }));
    }
    events.push(test_script(&[
        "let body = {};",
        "try { body = pm.response.json(); } catch (e) { /* not JSON: the test below says so */ }",
        "pm.test(\"the API answered without errors\", function () {",
        "  if (body.errors) throw new Error(body.errors.map(function (e) { return e.message; }).join(\"; \"));",
        "  pm.response.to.have.status(200);",
        "  pm.expect(body.data.client.clientId).to.eql(pm.variables.get(\"client_id\"));",
        "});",
    ]));
    json!({
        "name": if flow == Flow::Secret { "2. Call the API" } else { "Call the API" },
        "event": events,
        "request": {
            "method": "POST",
            "header": [
                { "key": "Authorization", "value": "Bearer {{access_token}}" },
                { "key": "Content-Type", "value": "application/json" },
            ],
            "body": { "mode": "raw", "raw": json!({ "query": CLIENT_QUERY }).to_string() },
            "url": "{{api_url}}",
        },
    })
}

fn test_script(lines: &[&str]) -> Value {
    json!({ "listen": "test", "script": { "type": "text/javascript", "exec": lines } })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(flow: Flow) -> Settings {
        variables::sample_settings(
            flow,
            "https://secure.stitch.money/connect/token",
            "https://api.stitch.money/graphql",
        )
    }

    fn parsed(flow: Flow) -> Value {
        serde_json::from_str(&collection(&settings(flow)).unwrap()).unwrap()
    }

    #[test]
    fn a_value_postman_would_interpolate_is_refused_in_every_field() {
        variables::assert_every_field_refused("Postman", &settings(Flow::Secret), collection);
        variables::assert_every_field_refused("Postman", &settings(Flow::Certificate), collection);
    }

    #[test]
    fn the_command_in_the_certificate_description_quotes_each_value_for_bash() {
        let description = parsed(Flow::Certificate)["info"]["description"].as_str().unwrap().to_owned();
        assert!(
            description.contains(
                "--client-id 'test-abc' --scope 'client_paymentrequest client_refund' \
                 --token-url 'https://secure.stitch.money/connect/token')"
            ),
            "{description}"
        );
    }

    fn variable(c: &Value, key: &str) -> Option<String> {
        c["variable"].as_array().unwrap().iter().find(|v| v["key"] == key).map(|v| v["value"].as_str().unwrap().into())
    }

    #[test]
    fn the_collection_is_v2_1_with_every_setting_as_a_variable_and_an_empty_secret() {
        let c = parsed(Flow::Secret);
        assert_eq!(c["info"]["schema"], SCHEMA);
        assert_eq!(variable(&c, "token_url").unwrap(), "https://secure.stitch.money/connect/token");
        assert_eq!(variable(&c, "client_id").unwrap(), "test-abc");
        assert_eq!(variable(&c, "scope").unwrap(), "client_paymentrequest client_refund");
        assert_eq!(variable(&c, "audience").unwrap(), "https://secure.stitch.money/connect/token");
        assert_eq!(variable(&c, "api_url").unwrap(), "https://api.stitch.money/graphql");
        assert_eq!(variable(&c, "client_secret").unwrap(), "");
        assert_eq!(variable(&c, "access_token").unwrap(), "");
    }

    #[test]
    fn the_token_request_is_the_form_stitch_documents() {
        let c = parsed(Flow::Secret);
        let request = &c["item"][0]["request"];
        assert_eq!(request["method"], "POST");
        assert_eq!(request["url"], "{{token_url}}");
        let form: Vec<(String, String)> = request["body"]["urlencoded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["key"].as_str().unwrap().into(), f["value"].as_str().unwrap().into()))
            .collect();
        let keys: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["grant_type", "client_id", "audience", "scope", "client_secret"]);
        assert_eq!(form[0].1, "client_credentials");
        let script = c["item"][0]["event"][0]["script"]["exec"].to_string();
        assert!(script.contains("pm.collectionVariables.set(\\\"access_token\\\""));
        assert!(script.contains("body.error"));
    }

    #[test]
    fn the_api_call_sends_the_client_query_with_the_stored_token_and_checks_graphql_errors() {
        let c = parsed(Flow::Secret);
        let request = &c["item"][1]["request"];
        assert_eq!(request["header"][0]["value"], "Bearer {{access_token}}");
        let body: Value = serde_json::from_str(request["body"]["raw"].as_str().unwrap()).unwrap();
        assert_eq!(body["query"], CLIENT_QUERY);
        assert!(c["item"][1]["event"][0]["script"]["exec"].to_string().contains("body.errors"));
    }

    #[test]
    fn the_certificate_collection_says_postman_cannot_sign_and_points_to_token_desk() {
        let c = parsed(Flow::Certificate);
        let description = c["info"]["description"].as_str().unwrap();
        assert!(description.contains("no RSA signing"));
        assert!(description.contains("token-desk snippet --flow certificate"));
        assert!(description.contains("token-desk token --certificate"));
        assert_eq!(c["item"].as_array().unwrap().len(), 1, "only the API call: Postman cannot get the token");
        assert_eq!(variable(&c, "access_token").unwrap(), "");
        assert!(variable(&c, "certificate_path").is_none());
        assert!(variable(&c, "client_secret").is_none());
    }
}

//! The JavaScript (Node.js) version.

use super::literals::{js_literal, Literals};
use super::settings::{ApiCall, Flow, Settings, CERTIFICATE_VAR, SECRET_VAR};
use crate::assertion::ASSERTION_TYPE;

pub(super) fn code(s: &Settings, call: &ApiCall) -> String {
    let Literals { token_url, client_id, scopes, audience, api_url, query, variables } =
        Literals::of(s, call, js_literal);
    let variables = variables.map(|v| format!(", variables: JSON.parse({v})")).unwrap_or_default();
    let (header, credential, helper) = match s.flow {
        Flow::Secret => (
            format!("// Node.js 18+. Put the client secret in the {SECRET_VAR} environment variable.\n"),
            format!("    client_secret: process.env.{SECRET_VAR},\n"),
            String::new(),
        ),
        Flow::Certificate => (
            format!(
                "// Node.js 18+ with the jose library (npm install jose).\n\
                 // Put the path of the .pem file Stitch issued in {CERTIFICATE_VAR}.\n\
                 import {{ readFileSync }} from \"node:fs\";\n\
                 import {{ X509Certificate, createPrivateKey, randomUUID }} from \"node:crypto\";\n\
                 import {{ SignJWT }} from \"jose\";\n"
            ),
            format!(
                "    client_assertion_type: {},\n    client_assertion: await clientAssertion(),\n",
                js_literal(ASSERTION_TYPE)
            ),
            format!(
                "\n// An RS256 JWT signed with the certificate's key (RFC 7523), new for every request.\n\
                 async function clientAssertion() {{\n  \
                 const pem = readFileSync(process.env.{CERTIFICATE_VAR}, \"utf8\");\n  \
                 const certBlock = pem.match(/-----BEGIN CERTIFICATE-----[\\s\\S]+?-----END CERTIFICATE-----/)[0];\n  \
                 const keyBlock = pem.match(/-----BEGIN (RSA )?PRIVATE KEY-----[\\s\\S]+?-----END (RSA )?PRIVATE KEY-----/)[0];\n  \
                 const kid = new X509Certificate(certBlock).fingerprint.replaceAll(\":\", \"\");\n  \
                 const now = Math.floor(Date.now() / 1000);\n  \
                 return new SignJWT({{ jti: randomUUID() }})\n    \
                 .setProtectedHeader({{ alg: \"RS256\", typ: \"JWT\", kid }})\n    \
                 .setIssuer(clientId).setSubject(clientId).setAudience(audience)\n    \
                 .setIssuedAt(now).setNotBefore(now).setExpirationTime(now + 60)\n    \
                 .sign(createPrivateKey(keyBlock));\n\
                 }}\n"
            ),
        ),
    };
    format!(
        "// Gets a Stitch client token and calls the API with it.\n\
         {header}\n\
         const tokenUrl = {token_url};\n\
         const clientId = {client_id};\n\
         const scopes = {scopes};\n\
         const audience = {audience};\n\
         const apiUrl = {api_url};\n\
         {helper}\n\
         async function retrieveToken() {{\n  \
         const body = {{\n    \
         grant_type: \"client_credentials\",\n    \
         client_id: clientId,\n    \
         audience: audience,\n    \
         scope: scopes.join(\" \"),\n\
         {credential}  }};\n  \
         const bodyString = Object.entries(body)\n    \
         .map(([k, v]) => `${{k}}=${{encodeURIComponent(v)}}`)\n    \
         .join(\"&\");\n  \
         const response = await fetch(tokenUrl, {{\n    \
         method: \"POST\",\n    \
         headers: {{ \"Content-Type\": \"application/x-www-form-urlencoded\" }},\n    \
         body: bodyString,\n  \
         }});\n  \
         if (!response.ok) throw new Error(`token request failed: ${{response.status}} ${{await response.text()}}`);\n  \
         return (await response.json()).access_token;\n\
         }}\n\n\
         async function callApi(token) {{\n  \
         const response = await fetch(apiUrl, {{\n    \
         method: \"POST\",\n    \
         headers: {{ Authorization: `Bearer ${{token}}`, \"Content-Type\": \"application/json\" }},\n    \
         body: JSON.stringify({{ query: {query}{variables} }}),\n  \
         }});\n  \
         return response.json();\n\
         }}\n\n\
         console.log(JSON.stringify(await callApi(await retrieveToken()), null, 2));\n",
    )
}

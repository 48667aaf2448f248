//! Working code for integrators, from the current settings: gets a client token (secret or
//! certificate flow, exactly the request Token Desk sends) and calls the API with it. The
//! secret is never in the code: it is read from an environment variable; the certificate
//! flow reads the PEM file Stitch issued from a path in another variable.
//!
//! The settings come from people, from import files and from settings files: every value goes
//! into the code through its language's one literal encoder ([`bash_literal`],
//! [`python_literal`], [`js_literal`], [`csharp_literal`]), which writes any string as an
//! inert literal that the language reads back as exactly that string and never evaluates.
//! [`Settings::checked`] refuses settings without the shapes Token Desk allows, where a face
//! can say so before the code is shown.

use serde::Serialize;

use crate::assertion::ASSERTION_TYPE;
use crate::check::CLIENT_QUERY;
use crate::profiles::Profile;
use crate::scope::Scopes;

/// Where the snippets read the client secret from.
pub const SECRET_VAR: &str = "STITCH_CLIENT_SECRET";
/// Where the certificate snippets read the path of the PEM file from.
pub const CERTIFICATE_VAR: &str = "STITCH_CERTIFICATE_PEM";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Curl,
    JavaScript,
    Python,
    CSharp,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::Curl, Lang::JavaScript, Lang::Python, Lang::CSharp];

    pub fn label(self) -> &'static str {
        match self {
            Lang::Curl => "cURL (bash)",
            Lang::JavaScript => "JavaScript (fetch)",
            Lang::Python => "Python (requests)",
            Lang::CSharp => "C# (HttpClient)",
        }
    }
}

/// Which client authentication the snippet uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flow {
    Secret,
    Certificate,
}

/// The settings a snippet is made from. Deliberately holds no secret.
#[derive(Debug, Clone)]
pub struct Settings {
    pub client_id: String,
    pub scopes: Scopes,
    pub token_url: String,
    pub audience: String,
    pub api_url: String,
    pub flow: Flow,
}

impl Settings {
    /// The settings for a client typed in: the audience is the token URL and the API the one
    /// that goes with it ([`crate::usage::api_url_for`]) unless given (blank counts as not).
    pub fn typed(
        client_id: &str,
        scopes: Scopes,
        token_url: &str,
        audience: Option<&str>,
        api_url: Option<&str>,
        flow: Flow,
    ) -> Self {
        let token_url = token_url.trim().to_owned();
        Self {
            client_id: client_id.trim().to_owned(),
            scopes,
            audience: filled(audience).unwrap_or(&token_url).to_owned(),
            api_url: filled(api_url).map_or_else(|| api_url_for(&token_url), str::to_owned),
            token_url,
            flow,
        }
    }

    /// The settings for a saved profile (no secret is read: the code reads it from the
    /// environment), its API unless `api_url` is given.
    pub fn for_profile(profile: &Profile, api_url: Option<&str>, flow: Flow) -> Self {
        Self {
            api_url: filled(api_url).map_or_else(|| profile.api_url.clone(), str::to_owned),
            audience: profile.audience.clone().unwrap_or_else(|| profile.token_url.clone()),
            client_id: profile.client_id.clone(),
            scopes: profile.scopes.clone(),
            token_url: profile.token_url.clone(),
            flow,
        }
    }
}

impl Settings {
    /// These settings as code and collections are made from, or why not: the client id and
    /// scope names of the shape of Stitch's ([`crate::request::check_client_id`],
    /// [`crate::scope::check_word`]), and each URL checked and re-serialised
    /// ([`crate::request::check_url`]), never as typed.
    pub fn checked(&self) -> Result<Settings, crate::failure::Failure> {
        use crate::request::{check_client_id, check_url};
        let client_id = check_client_id(&self.client_id)?.to_owned();
        if let Some((bad, problem)) = self.scopes.first_malformed() {
            return Err(crate::failure::Failure::bad_input(format!(
                "The scope {} {problem}.",
                crate::scope::quoted(bad)
            )));
        }
        Ok(Settings {
            client_id,
            scopes: self.scopes.clone(),
            token_url: check_url(&self.token_url, "token URL")?.into(),
            audience: check_url(&self.audience, "audience")?.into(),
            api_url: check_url(&self.api_url, "API URL")?.into(),
            flow: self.flow,
        })
    }
}

/// A value given, trimmed, unless blank.
fn filled(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The code for `lang`: a token, then the token test's read-only query.
pub fn snippet(lang: Lang, s: &Settings) -> String {
    snippet_calling(lang, s, &ApiCall { query: CLIENT_QUERY, variables: None })
}

/// What the code sends to the API: a GraphQL document and, when it takes them, its variables
/// (the Try it calls, as the inspector recorded them; see [`crate::try_it`]).
#[derive(Debug, Clone, Copy)]
pub struct ApiCall<'a> {
    pub query: &'a str,
    pub variables: Option<&'a serde_json::Value>,
}

/// The code for `lang`: a token, then `call`. Without variables it is exactly [`snippet`]'s
/// code; with them, each language sends them as parsed JSON read from one literal.
pub fn snippet_calling(lang: Lang, s: &Settings, call: &ApiCall) -> String {
    match lang {
        Lang::Curl => curl(s, call),
        Lang::JavaScript => javascript(s, call),
        Lang::Python => python(s, call),
        Lang::CSharp => csharp(s, call),
    }
}

/// Whether a character is written as an escape in code rather than as itself: controls (C0,
/// DEL, C1), invisible and direction-changing characters (a reader must see what the code
/// holds: "Trojan Source", CVE-2021-42574), and the line and paragraph separators some
/// languages end a line at.
fn escaped_in_code(c: char) -> bool {
    c.is_control() || crate::profiles::is_invisible(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `value` as one bash word that bash takes literally, for any string: single-quoted (where
/// nothing expands; a `'` is written `'\''`), and each character of [`escaped_in_code`] as an
/// ANSI-C quoted `$'\xHH'` of its UTF-8 bytes, so the script shows no raw control. (A NUL
/// cannot be held by a bash string at all: bash ends the word there.)
pub fn bash_literal(value: &str) -> String {
    let mut out = String::from("'");
    for c in value.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else if escaped_in_code(c) {
            out.push_str("'$'");
            for b in c.to_string().bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
            out.push_str("''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// `value` as a JavaScript string literal, for any string: double-quoted, `"` and `\` escaped,
/// and each character of [`escaped_in_code`] (U+2028 and U+2029 included: before ES2019 they
/// end a line even inside a string) as `\uXXXX` UTF-16 units. `${`, backticks and `{{` are
/// plain characters in a double-quoted string.
pub fn js_literal(value: &str) -> String {
    double_quoted(value, |c| c.encode_utf16(&mut [0; 2]).iter().map(|unit| format!("\\u{unit:04x}")).collect())
}

/// `value` as a Python 3 string literal, for any string: double-quoted (not an f-string, so
/// `{` is a plain character), `"` and `\` escaped, and each character of [`escaped_in_code`] as
/// `\xHH`, `\uXXXX` or `\UXXXXXXXX` (Python Language Reference §2.4.1).
pub fn python_literal(value: &str) -> String {
    double_quoted(value, |c| match c as u32 {
        n @ 0..=0xFF => format!("\\x{n:02x}"),
        n @ 0x100..=0xFFFF => format!("\\u{n:04x}"),
        n => format!("\\U{n:08x}"),
    })
}

/// `value` as a C# regular string literal, for any string (ECMA-334 §6.4.5.6): double-quoted
/// (not `$"…"`, so `{` is a plain character), `"` and `\` escaped, and the characters a regular
/// string literal may not hold (the new-line characters U+000A, U+000D, U+0085, U+2028,
/// U+2029) with every other character of [`escaped_in_code`] as `\uXXXX` or `\UXXXXXXXX`.
/// Never `\x`: its one to four hex digits would swallow a digit that follows.
pub fn csharp_literal(value: &str) -> String {
    double_quoted(value, |c| match c as u32 {
        n @ 0..=0xFFFF => format!("\\u{n:04X}"),
        n => format!("\\U{n:08X}"),
    })
}

/// The shape the JavaScript, Python and C# literals share: double quotes, `\"`, `\\`, `\n`,
/// `\r` and `\t`, and each other character of [`escaped_in_code`] as `escape` writes it in
/// that language.
fn double_quoted(value: &str, escape: impl Fn(char) -> String) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if escaped_in_code(c) => out.push_str(&escape(c)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The settings as literals for the constants at the top of the code, each made by the one
/// encoder of the language (`literal`); `scopes` as a list of them in brackets (Python and
/// JavaScript arrays alike).
struct Literals {
    token_url: String,
    client_id: String,
    scopes: String,
    audience: String,
    api_url: String,
    query: String,
    /// The call's variables as a JSON text literal, if it has any.
    variables: Option<String>,
}

impl Literals {
    fn of(s: &Settings, call: &ApiCall, literal: fn(&str) -> String) -> Self {
        Self {
            token_url: literal(&s.token_url),
            client_id: literal(&s.client_id),
            scopes: format!("[{}]", s.scopes.iter().map(literal).collect::<Vec<_>>().join(", ")),
            audience: literal(&s.audience),
            api_url: literal(&s.api_url),
            query: literal(call.query),
            variables: call.variables.map(|v| literal(&v.to_string())),
        }
    }
}

fn query_json(call: &ApiCall) -> String {
    match call.variables {
        Some(variables) => serde_json::json!({ "query": call.query, "variables": variables }).to_string(),
        None => serde_json::json!({ "query": call.query }).to_string(),
    }
}

fn curl(s: &Settings, call: &ApiCall) -> String {
    let mut out = format!(
        "#!/usr/bin/env bash\n\
         # Gets a Stitch client token and calls the API with it. Needs curl and jq{openssl}.\n\
         # {how}\n\
         set -euo pipefail\n\
         token_url={token_url}\n\
         client_id={client_id}\n\
         scopes={scopes}\n\
         audience={audience}\n\
         api_url={api_url}\n\n",
        openssl = if s.flow == Flow::Certificate { " and openssl" } else { "" },
        how = match s.flow {
            Flow::Secret =>
                format!("Put the client secret in {SECRET_VAR}; it is piped to curl, never put on its command line."),
            Flow::Certificate => format!("Put the path of the .pem file Stitch issued in {CERTIFICATE_VAR}."),
        },
        token_url = bash_literal(&s.token_url),
        client_id = bash_literal(&s.client_id),
        scopes = bash_literal(&s.scopes.to_field()),
        audience = bash_literal(&s.audience),
        api_url = bash_literal(&s.api_url),
    );
    let form = "  --header 'Content-Type: application/x-www-form-urlencoded' \\\n  \
                --data-urlencode 'grant_type=client_credentials' \\\n  \
                --data-urlencode \"client_id=$client_id\" \\\n  \
                --data-urlencode \"audience=$audience\" \\\n  \
                --data-urlencode \"scope=$scopes\" \\\n";
    match s.flow {
        Flow::Secret => out.push_str(&format!(
            "token=$(printf %s \"${SECRET_VAR}\" | curl --silent --show-error --fail-with-body --request POST \"$token_url\" \\\n\
             {form}  --data-urlencode 'client_secret@-' | jq -r .access_token)\n\n"
        )),
        Flow::Certificate => out.push_str(&format!(
            "# The client assertion (RFC 7523): an RS256 JWT signed with the certificate's key.\n\
             pem=\"${CERTIFICATE_VAR}\"\n\
             b64url() {{ openssl base64 -A | tr '+/' '-_' | tr -d '='; }}\n\
             kid=$(openssl x509 -in \"$pem\" -noout -fingerprint -sha1 | cut -d= -f2 | tr -d :)\n\
             now=$(date +%s)\n\
             header=$(printf '{{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"%s\"}}' \"$kid\" | b64url)\n\
             claims=$(printf '{{\"iss\":\"%s\",\"sub\":\"%s\",\"aud\":\"%s\",\"jti\":\"%s\",\"iat\":%s,\"nbf\":%s,\"exp\":%s}}' \\\n  \
             \"$client_id\" \"$client_id\" \"$audience\" \"$(openssl rand -hex 16)\" \"$now\" \"$now\" \"$((now + 60))\" | b64url)\n\
             signature=$(printf '%s.%s' \"$header\" \"$claims\" | openssl dgst -sha256 -sign <(openssl pkey -in \"$pem\") | b64url)\n\n\
             token=$(curl --silent --show-error --fail-with-body --request POST \"$token_url\" \\\n\
             {form}  --data-urlencode 'client_assertion_type={ASSERTION_TYPE}' \\\n  \
             --data-urlencode \"client_assertion=$header.$claims.$signature\" | jq -r .access_token)\n\n"
        )),
    }
    out.push_str(&format!(
        "curl --silent --show-error --fail-with-body --request POST \"$api_url\" \\\n  \
         --header \"Authorization: Bearer $token\" \\\n  \
         --header 'Content-Type: application/json' \\\n  \
         --data {}\n",
        bash_literal(&query_json(call))
    ));
    out
}

fn python(s: &Settings, call: &ApiCall) -> String {
    let Literals { token_url, client_id, scopes, audience, api_url, query, variables } =
        Literals::of(s, call, python_literal);
    let variables = variables.map(|v| format!(", \"variables\": json.loads({v})")).unwrap_or_default();
    let (needs, credential, imports, helper) = match s.flow {
        Flow::Secret => (
            "pip install requests".to_owned(),
            format!("        \"client_secret\": os.environ[{}],\n", python_literal(SECRET_VAR)),
            "import json\nimport os\n\nimport requests\n".to_owned(),
            String::new(),
        ),
        Flow::Certificate => (
            "pip install requests pyjwt cryptography".to_owned(),
            format!(
                "        \"client_assertion_type\": {},\n        \"client_assertion\": client_assertion(),\n",
                python_literal(ASSERTION_TYPE)
            ),
            "import json\nimport os\nimport re\nimport time\nimport uuid\n\nimport jwt\nimport requests\nfrom cryptography import x509\nfrom cryptography.hazmat.primitives import hashes, serialization\n".to_owned(),
            format!(
                "\n\ndef client_assertion():\n    \
                 \"\"\"An RS256 JWT signed with the certificate's key (RFC 7523), new for every request.\"\"\"\n    \
                 with open(os.environ[{var}], \"rb\") as f:\n        pem = f.read()\n    \
                 key_block = re.search(rb\"-----BEGIN (?:RSA )?PRIVATE KEY-----.+?-----END (?:RSA )?PRIVATE KEY-----\", pem, re.S).group(0)\n    \
                 cert_block = re.search(rb\"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\", pem, re.S).group(0)\n    \
                 key = serialization.load_pem_private_key(key_block, password=None)\n    \
                 kid = x509.load_pem_x509_certificate(cert_block).fingerprint(hashes.SHA1()).hex().upper()\n    \
                 now = int(time.time())\n    \
                 claims = {{\"iss\": CLIENT_ID, \"sub\": CLIENT_ID, \"aud\": AUDIENCE, \"jti\": str(uuid.uuid4()),\n              \
                 \"iat\": now, \"nbf\": now, \"exp\": now + 60}}\n    \
                 return jwt.encode(claims, key, algorithm=\"RS256\", headers={{\"kid\": kid, \"typ\": \"JWT\"}})\n",
                var = python_literal(CERTIFICATE_VAR)
            ),
        ),
    };
    let how = match s.flow {
        Flow::Secret => format!("Put the client secret in the {SECRET_VAR} environment variable."),
        Flow::Certificate => format!("Put the path of the .pem file Stitch issued in {CERTIFICATE_VAR}."),
    };
    format!(
        "\"\"\"Gets a Stitch client token and calls the API with it.\n\nNeeds: {needs}. {how}\n\"\"\"\n\
         {imports}\n\
         TOKEN_URL = {token_url}\n\
         CLIENT_ID = {client_id}\n\
         SCOPES = {scopes}\n\
         AUDIENCE = {audience}\n\
         API_URL = {api_url}\n\
         {helper}\n\n\
         def get_token():\n    \
         response = requests.post(TOKEN_URL, timeout=30, data={{\n        \
         \"grant_type\": \"client_credentials\",\n        \
         \"client_id\": CLIENT_ID,\n        \
         \"audience\": AUDIENCE,\n        \
         \"scope\": \" \".join(SCOPES),\n\
         {credential}    }})\n    \
         response.raise_for_status()\n    \
         return response.json()[\"access_token\"]\n\n\n\
         def call_api(token):\n    \
         response = requests.post(API_URL, timeout=30, json={{\"query\": {query}{variables}}},\n                             \
         headers={{\"Authorization\": f\"Bearer {{token}}\"}})\n    \
         response.raise_for_status()\n    \
         return response.json()\n\n\n\
         if __name__ == \"__main__\":\n    \
         print(json.dumps(call_api(get_token()), indent=2))\n",
    )
}

fn javascript(s: &Settings, call: &ApiCall) -> String {
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

fn csharp(s: &Settings, call: &ApiCall) -> String {
    let Literals { token_url, client_id, audience, api_url, query, variables, .. } =
        Literals::of(s, call, csharp_literal);
    let variables = variables.map(|v| format!(", variables = JsonDocument.Parse({v}).RootElement")).unwrap_or_default();
    let scopes = s.scopes.iter().map(csharp_literal).collect::<Vec<_>>().join(", ");
    let (needs, usings, credential, helper) = match s.flow {
        Flow::Secret => (
            format!("// .NET 6+. Put the client secret in the {SECRET_VAR} environment variable.\n"),
            String::new(),
            format!("    [\"client_secret\"] = Environment.GetEnvironmentVariable({})!,\n", csharp_literal(SECRET_VAR)),
            String::new(),
        ),
        Flow::Certificate => (
            format!(
                "// .NET 6+ with System.IdentityModel.Tokens.Jwt (dotnet add package System.IdentityModel.Tokens.Jwt).\n\
                 // Put the path of the .pem file Stitch issued in {CERTIFICATE_VAR}.\n"
            ),
            "using System.IdentityModel.Tokens.Jwt;\nusing System.Security.Claims;\nusing System.Security.Cryptography.X509Certificates;\nusing Microsoft.IdentityModel.Tokens;\n".to_owned(),
            format!(
                "    [\"client_assertion_type\"] = {},\n    [\"client_assertion\"] = ClientAssertion(),\n",
                csharp_literal(ASSERTION_TYPE)
            ),
            format!(
                "\n// An RS256 JWT signed with the certificate's key (RFC 7523), new for every request.\n\
                 string ClientAssertion()\n{{\n    \
                 var pem = Environment.GetEnvironmentVariable({var})!;\n    \
                 var certificate = X509Certificate2.CreateFromPemFile(pem, pem);\n    \
                 var credentials = new X509SigningCredentials(certificate, SecurityAlgorithms.RsaSha256);\n    \
                 // The kid is the certificate's SHA-1 thumbprint in uppercase hex, as Stitch expects.\n    \
                 credentials.Key.KeyId = certificate.Thumbprint;\n    \
                 var now = DateTime.UtcNow;\n    \
                 var jwt = new JwtSecurityToken(clientId, audience,\n        \
                 new[] {{ new Claim(\"sub\", clientId), new Claim(\"jti\", Guid.NewGuid().ToString()),\n                \
                 new Claim(\"iat\", new DateTimeOffset(now).ToUnixTimeSeconds().ToString(), ClaimValueTypes.Integer64) }},\n        \
                 now, now.AddSeconds(60), credentials);\n    \
                 return new JwtSecurityTokenHandler().WriteToken(jwt);\n\
                 }}\n",
                var = csharp_literal(CERTIFICATE_VAR)
            ),
        ),
    };
    format!(
        "// Gets a Stitch client token and calls the API with it.\n\
         {needs}\
         using System.Net.Http.Headers;\n\
         using System.Text;\n\
         using System.Text.Json;\n\
         {usings}\n\
         var tokenUrl = {token_url};\n\
         var clientId = {client_id};\n\
         var scopes = new[] {{ {scopes} }};\n\
         var audience = {audience};\n\
         var apiUrl = {api_url};\n\n\
         using var http = new HttpClient();\n\
         var form = new FormUrlEncodedContent(new Dictionary<string, string>\n{{\n    \
         [\"grant_type\"] = \"client_credentials\",\n    \
         [\"client_id\"] = clientId,\n    \
         [\"audience\"] = audience,\n    \
         [\"scope\"] = string.Join(\" \", scopes),\n\
         {credential}}});\n\
         var tokenResponse = await http.PostAsync(tokenUrl, form);\n\
         tokenResponse.EnsureSuccessStatusCode();\n\
         using var tokenJson = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());\n\
         var token = tokenJson.RootElement.GetProperty(\"access_token\").GetString();\n\n\
         var request = new HttpRequestMessage(HttpMethod.Post, apiUrl)\n{{\n    \
         Content = new StringContent(JsonSerializer.Serialize(new {{ query = {query}{variables} }}), Encoding.UTF8, \"application/json\"),\n\
         }};\n\
         request.Headers.Authorization = new AuthenticationHeaderValue(\"Bearer\", token);\n\
         var apiResponse = await http.SendAsync(request);\n\
         Console.WriteLine(await apiResponse.Content.ReadAsStringAsync());\n\
         {helper}",
    )
}

/// The API URL that goes with a token URL (one rule for the whole app, in [`crate::usage`]).
pub use crate::usage::api_url_for;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::AuthMethod;

    /// Strings out to break out of a literal: shell expansions, quotes of every kind, escapes,
    /// templates, line breaks and separators, terminal control, direction overrides, and text
    /// in other scripts (those that would run a command make the file CANARY).
    const HOSTILE: [&str; 34] = [
        "$(touch CANARY)",
        "`touch CANARY`",
        "'; touch CANARY; '",
        "\"; touch CANARY; \"",
        "'",
        "\"",
        "\\",
        "\\'",
        "\\\"",
        "${X}",
        "${{7*7}}",
        "{{7*7}}",
        "#{7*7}",
        "$((6*7))",
        "a\nb; touch CANARY",
        "a\r\nb",
        "\t",
        "\u{1b}[2J\u{1b}]0;title\u{7}",
        "\u{1b}]52;c;dG91Y2ggQ0FOQVJZ\u{7}",
        "\u{9b}31m",
        "\u{7f}",
        "\u{85}",
        "\u{2028}\u{2029}",
        "\u{202e}evil\u{202c}",
        "zero\u{200b}width\u{feff}",
        "\u{e0001}tag",
        "\\u0041\\x41\\101",
        "'''\"\"\"",
        "Ünïcødé 日本語 😀",
        "%s%n%x",
        "*",
        "!!",
        "",
        "it's \"odd\" $(rm -rf CANARY) `id` ${HOME} {{x}}",
    ];

    /// Runs `program` with `interpreter` and `args` in a new folder: what it printed, split at
    /// NUL bytes; fails when the canary file appeared.
    fn printed(interpreter: &str, args: &[&str], program: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new(interpreter)
            .args(args)
            .arg(program)
            .current_dir(dir.path())
            .env("X", "expanded")
            .output()
            .unwrap_or_else(|e| panic!("{interpreter} is installed (scripts/test needs it): {e}"));
        assert!(out.status.success(), "{interpreter}: {}\n{program}", String::from_utf8_lossy(&out.stderr));
        assert!(!dir.path().join("CANARY").exists(), "{interpreter} ran the canary:\n{program}");
        let text = String::from_utf8(out.stdout).unwrap();
        text.split('\0').map(str::to_owned).collect()
    }

    /// Each hostile string, printed by the real interpreter from its literal, equals itself.
    fn round_trips(interpreter: &str, args: &[&str], statement: impl Fn(&str) -> String) {
        let program: String = HOSTILE.iter().map(|v| statement(v)).collect::<Vec<_>>().join("\n");
        let printed = printed(interpreter, args, &program);
        assert_eq!(printed.len(), HOSTILE.len() + 1, "one value per literal, then the end:\n{printed:?}");
        for (got, want) in printed.iter().zip(HOSTILE) {
            assert_eq!(got, want, "{interpreter} read the literal of {want:?} as {got:?}");
        }
    }

    fn never_raw(literal: &str) {
        assert!(!literal.chars().any(escaped_in_code), "a raw control or invisible character in {literal:?}");
    }

    #[test]
    fn a_bash_literal_is_read_back_by_bash_as_the_very_string_and_runs_nothing() {
        HOSTILE.iter().for_each(|v| never_raw(&bash_literal(v)));
        round_trips("bash", &["--norc", "--noprofile", "-c"], |v| format!("printf '%s\\0' {}", bash_literal(v)));
    }

    #[test]
    fn a_python_literal_is_read_back_by_python_as_the_very_string_and_runs_nothing() {
        HOSTILE.iter().for_each(|v| never_raw(&python_literal(v)));
        round_trips("python3", &["-I", "-c"], |v| {
            format!("import sys; sys.stdout.buffer.write(({}).encode('utf-8') + b'\\0')", python_literal(v))
        });
    }

    #[test]
    fn a_js_literal_is_read_back_by_node_as_the_very_string_and_runs_nothing() {
        HOSTILE.iter().for_each(|v| never_raw(&js_literal(v)));
        round_trips("node", &["-e"], |v| format!("process.stdout.write({} + \"\\0\");", js_literal(v)));
    }

    /// Reads a C# regular string literal as ECMA-334 §6.4.5.6 defines it: between the quotes,
    /// any character but `"`, `\` and the new-line characters, or a simple escape
    /// (`\' \" \\ \0 \a \b \f \n \r \t \v`), `\x` with one to four hex digits, `\u` with four,
    /// `\U` with eight. `None` when the text is not such a literal.
    fn csharp_read(literal: &str) -> Option<String> {
        let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
        let mut chars = inner.chars().peekable();
        let mut out = String::new();
        let hex = |chars: &mut std::iter::Peekable<std::str::Chars>, min: usize, max: usize| {
            let mut digits = String::new();
            while digits.len() < max && chars.peek().is_some_and(char::is_ascii_hexdigit) {
                digits.push(chars.next().unwrap());
            }
            (digits.len() >= min).then(|| u32::from_str_radix(&digits, 16).unwrap())
        };
        while let Some(c) = chars.next() {
            match c {
                '"' | '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => return None,
                '\\' => {
                    let unit = match chars.next()? {
                        '\'' => '\'' as u32,
                        '"' => '"' as u32,
                        '\\' => '\\' as u32,
                        '0' => 0,
                        'a' => 7,
                        'b' => 8,
                        'f' => 0xC,
                        'n' => 0xA,
                        'r' => 0xD,
                        't' => 9,
                        'v' => 0xB,
                        'x' => hex(&mut chars, 1, 4)?,
                        'u' => hex(&mut chars, 4, 4)?,
                        'U' => hex(&mut chars, 8, 8)?,
                        _ => return None,
                    };
                    out.push(char::from_u32(unit)?);
                }
                c => out.push(c),
            }
        }
        Some(out)
    }

    #[test]
    fn a_csharp_literal_reads_back_as_the_very_string_under_the_csharp_specs_escape_rules() {
        for v in HOSTILE {
            let literal = csharp_literal(v);
            never_raw(&literal);
            assert_eq!(csharp_read(&literal).as_deref(), Some(v), "{literal}");
            let escapes = literal.replace("\\\\", "");
            assert!(!escapes.contains("\\x"), "\\x would swallow a hex digit that follows: {literal}");
            assert!(literal.starts_with('"'), "a regular literal, not $\"…\" or @\"…\": {literal}");
        }
        // The reader follows the spec: an unescaped new-line character ends the literal.
        assert_eq!(csharp_read("\"a\u{2028}b\""), None);
        assert_eq!(csharp_read("\"\\x41\\u0042\\U00000043\""), Some("ABC".into()));
    }

    #[test]
    fn every_value_in_every_snippet_goes_through_its_languages_literal() {
        let hostile = "x'\"$(touch CANARY)`{{7*7}}`\u{1b}[2J\u{2028}";
        let s = Settings {
            client_id: hostile.into(),
            scopes: Scopes::parse(["client_refund"]),
            token_url: hostile.into(),
            audience: hostile.into(),
            api_url: hostile.into(),
            flow: Flow::Secret,
        };
        type Literal = fn(&str) -> String;
        let cases: [(Lang, Literal); 4] = [
            (Lang::Curl, bash_literal),
            (Lang::Python, python_literal),
            (Lang::JavaScript, js_literal),
            (Lang::CSharp, csharp_literal),
        ];
        for flow in [Flow::Secret, Flow::Certificate] {
            let s = Settings { flow, ..s.clone() };
            for (lang, literal) in cases {
                let code = snippet(lang, &s);
                never_raw(&code.replace('\n', ""));
                assert_eq!(code.matches(&literal(hostile)).count(), 4, "{lang:?} {flow:?}:\n{code}");
                assert!(!code.contains(hostile), "{lang:?}: a raw value");
            }
        }
    }

    #[test]
    fn typed_settings_take_the_audience_and_api_from_the_token_url_unless_given() {
        let loopback = "http://127.0.0.1:9/connect/token";
        let s = Settings::typed(" test-shop ", Scopes::default(), loopback, Some(" "), None, Flow::Secret);
        assert_eq!((s.client_id.as_str(), s.audience.as_str()), ("test-shop", loopback));
        assert_eq!(s.api_url, "http://127.0.0.1:9/graphql");
        let given = Settings::typed("c", Scopes::default(), loopback, Some("aud"), Some(" https://api "), Flow::Secret);
        assert_eq!((given.audience.as_str(), given.api_url.as_str()), ("aud", "https://api"));
    }

    #[test]
    fn profile_settings_use_the_profiles_api_unless_another_is_given() {
        let mut p = Profile::new("Shop", "test-shop", AuthMethod::Secret);
        p.api_url = "https://api.example/graphql".into();
        let s = Settings::for_profile(&p, None, Flow::Certificate);
        assert_eq!((s.api_url.as_str(), s.audience.as_str()), ("https://api.example/graphql", crate::STITCH_TOKEN_URL));
        assert_eq!(Settings::for_profile(&p, Some("https://other"), Flow::Secret).api_url, "https://other");
    }

    #[test]
    fn a_call_with_variables_sends_them_as_json_in_every_language_and_none_leaves_the_code_as_it_was() {
        let s = Settings::typed(
            "test-shop",
            Scopes::default(),
            "https://secure.stitch.money/connect/token",
            None,
            None,
            Flow::Secret,
        );
        let variables = serde_json::json!({ "id": "pr-1'\"$(touch CANARY)" });
        let call =
            ApiCall { query: "query RefundStatus($id: ID!) { node(id: $id) { id } }", variables: Some(&variables) };
        for (lang, sends) in [
            (Lang::Curl, "\"variables\":{\"id\":"),
            (Lang::JavaScript, "variables: JSON.parse("),
            (Lang::Python, "\"variables\": json.loads("),
            (Lang::CSharp, "variables = JsonDocument.Parse("),
        ] {
            let code = snippet_calling(lang, &s, &call);
            assert!(code.contains(sends) && code.contains("RefundStatus"), "{lang:?}:\n{code}");
        }
        let plain = ApiCall { query: CLIENT_QUERY, variables: None };
        for lang in Lang::ALL {
            assert_eq!(snippet_calling(lang, &s, &plain), snippet(lang, &s));
        }
    }
}

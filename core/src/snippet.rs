//! Working code for integrators, from the current settings: gets a client token (secret or
//! certificate flow, exactly the request Token Desk sends) and calls the API with it. The
//! secret is never in the code: it is read from an environment variable; the certificate
//! flow reads the PEM file Stitch issued from a path in another variable.

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

/// A value given, trimmed, unless blank.
fn filled(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The code for `lang`.
pub fn snippet(lang: Lang, s: &Settings) -> String {
    match lang {
        Lang::Curl => curl(s),
        Lang::JavaScript => javascript(s),
        Lang::Python => python(s),
        Lang::CSharp => csharp(s),
    }
}

/// A single-quoted shell word.
fn sh(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// A double-quoted string literal valid in JavaScript, Python and C#.
fn lit(value: &str) -> String {
    serde_json::to_string(value).expect("strings serialize")
}

/// The settings as double-quoted literals ([`lit`]) for the constants at the top of the
/// Python, JavaScript and C# code, written once for the three; `scopes` as a JSON array.
struct Literals {
    token_url: String,
    client_id: String,
    scopes: String,
    audience: String,
    api_url: String,
    query: String,
}

impl Literals {
    fn of(s: &Settings) -> Self {
        Self {
            token_url: lit(&s.token_url),
            client_id: lit(&s.client_id),
            scopes: serde_json::to_string(&s.scopes.iter().collect::<Vec<_>>()).expect("strings serialize"),
            audience: lit(&s.audience),
            api_url: lit(&s.api_url),
            query: lit(CLIENT_QUERY),
        }
    }
}

fn query_json() -> String {
    serde_json::json!({ "query": CLIENT_QUERY }).to_string()
}

fn curl(s: &Settings) -> String {
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
        token_url = sh(&s.token_url),
        client_id = sh(&s.client_id),
        scopes = sh(&s.scopes.to_field()),
        audience = sh(&s.audience),
        api_url = sh(&s.api_url),
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
        sh(&query_json())
    ));
    out
}

fn python(s: &Settings) -> String {
    let Literals { token_url, client_id, scopes, audience, api_url, query } = Literals::of(s);
    let (needs, credential, imports, helper) = match s.flow {
        Flow::Secret => (
            "pip install requests".to_owned(),
            format!("        \"client_secret\": os.environ[{}],\n", lit(SECRET_VAR)),
            "import json\nimport os\n\nimport requests\n".to_owned(),
            String::new(),
        ),
        Flow::Certificate => (
            "pip install requests pyjwt cryptography".to_owned(),
            format!(
                "        \"client_assertion_type\": {},\n        \"client_assertion\": client_assertion(),\n",
                lit(ASSERTION_TYPE)
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
                var = lit(CERTIFICATE_VAR)
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
         response = requests.post(API_URL, timeout=30, json={{\"query\": {query}}},\n                             \
         headers={{\"Authorization\": f\"Bearer {{token}}\"}})\n    \
         response.raise_for_status()\n    \
         return response.json()\n\n\n\
         if __name__ == \"__main__\":\n    \
         print(json.dumps(call_api(get_token()), indent=2))\n",
    )
}

fn javascript(s: &Settings) -> String {
    let Literals { token_url, client_id, scopes, audience, api_url, query } = Literals::of(s);
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
                lit(ASSERTION_TYPE)
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
         body: JSON.stringify({{ query: {query} }}),\n  \
         }});\n  \
         return response.json();\n\
         }}\n\n\
         console.log(JSON.stringify(await callApi(await retrieveToken()), null, 2));\n",
    )
}

fn csharp(s: &Settings) -> String {
    let Literals { token_url, client_id, audience, api_url, query, .. } = Literals::of(s);
    let scopes = s.scopes.iter().map(lit).collect::<Vec<_>>().join(", ");
    let (needs, usings, credential, helper) = match s.flow {
        Flow::Secret => (
            format!("// .NET 6+. Put the client secret in the {SECRET_VAR} environment variable.\n"),
            String::new(),
            format!("    [\"client_secret\"] = Environment.GetEnvironmentVariable({})!,\n", lit(SECRET_VAR)),
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
                lit(ASSERTION_TYPE)
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
                var = lit(CERTIFICATE_VAR)
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
         Content = new StringContent(JsonSerializer.Serialize(new {{ query = {query} }}), Encoding.UTF8, \"application/json\"),\n\
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
}

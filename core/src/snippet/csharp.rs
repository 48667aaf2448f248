//! The C# version.

use super::literals::{csharp_literal, Literals};
use super::settings::{ApiCall, Flow, Settings, CERTIFICATE_VAR, SECRET_VAR};
use crate::assertion::ASSERTION_TYPE;

pub(super) fn code(s: &Settings, call: &ApiCall) -> String {
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

//! The Python version.

use super::literals::{python_literal, Literals};
use super::settings::{ApiCall, Flow, Settings, CERTIFICATE_VAR, SECRET_VAR};
use crate::assertion::ASSERTION_TYPE;

pub(super) fn code(s: &Settings, call: &ApiCall) -> String {
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

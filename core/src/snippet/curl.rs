//! The bash and cURL version (with jq, and openssl for the certificate flow).

use super::literals::{bash_literal, query_json};
use super::settings::{ApiCall, Flow, Settings, CERTIFICATE_VAR, SECRET_VAR};
use crate::assertion::ASSERTION_TYPE;

pub(super) fn code(s: &Settings, call: &ApiCall) -> String {
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

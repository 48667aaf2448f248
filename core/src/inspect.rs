//! What went over the wire, for the window's inspector and `--verbose`: the exact request and
//! response of the last token request and the last API test, with nothing in it that could
//! reveal a secret or a private key. The client secret is masked; the client assertion is
//! shown decoded (header and claims) with its signature elided; tokens are shortened.

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;
use serde_with::skip_serializing_none;

use crate::redact::Redactor;
use crate::token::AccessToken;

/// The assertion's readable parts (RFC 7519 §5, §4); the signature is never shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecodedAssertion {
    pub header: Value,
    pub claims: Value,
}

/// One HTTP request and its answer, safe to show and copy.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Exchange {
    pub method: String,
    pub url: String,
    /// How the request travelled: `none (direct connection)` or the proxy's address and where
    /// it was set, never its credentials ([`crate::network::Route::describe`]).
    pub proxy: Option<String>,
    pub request_headers: Vec<(String, String)>,
    /// Form fields of a token request, the secret masked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub form: Vec<(String, String)>,
    pub assertion: Option<DecodedAssertion>,
    /// JSON body of an API request.
    pub request_body: Option<String>,
    pub status: Option<u16>,
    pub response_headers: Vec<(String, String)>,
    /// The answer, with secrets and token values removed.
    pub response_body: String,
    pub elapsed_ms: u64,
    /// Why there was no answer, if there was none.
    pub error: Option<String>,
}

/// Shown in place of the client secret.
pub const MASKED: &str = "[redacted]";

impl Exchange {
    /// A token request, from the exact fields sent.
    pub fn token_request(url: &str, fields: &[(&'static str, String)]) -> Self {
        let mut assertion = None;
        let form = fields
            .iter()
            .map(|(k, v)| {
                let shown = match *k {
                    "client_secret" => MASKED.to_owned(),
                    "client_assertion" => {
                        assertion = decode_assertion(v);
                        "[signed JWT: header and claims below, signature not shown]".to_owned()
                    }
                    _ => v.clone(),
                };
                (k.to_string(), shown)
            })
            .collect();
        Self {
            method: "POST".into(),
            url: url.into(),
            request_headers: vec![
                ("Content-Type".into(), "application/x-www-form-urlencoded".into()),
                ("Accept".into(), "application/json".into()),
                ("User-Agent".into(), crate::USER_AGENT.into()),
            ],
            form,
            assertion,
            ..Self::default()
        }
    }

    /// A GraphQL request with a bearer token (shown shortened).
    pub fn api_request(url: &str, token: &AccessToken, body: &str) -> Self {
        Self {
            method: "POST".into(),
            url: url.into(),
            request_headers: vec![
                ("Authorization".into(), format!("Bearer {}", token.masked())),
                ("Content-Type".into(), "application/json".into()),
                ("Accept".into(), "application/json".into()),
                ("User-Agent".into(), crate::USER_AGENT.into()),
            ],
            request_body: Some(body.to_owned()),
            ..Self::default()
        }
    }

    /// Records the answer, every header value and the body through `redactor` (`Set-Cookie` is
    /// masked whole), the body cut to at most `max_chars` characters after it is redacted
    /// ([`Redactor::redact_cut`]): a body is read a little past its limit, so that a secret
    /// across the limit is removed whole before the cut.
    pub fn answered_within(
        &mut self,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
        redactor: &Redactor,
        max_chars: usize,
    ) {
        self.status = Some(status);
        self.response_headers = headers
            .iter()
            .map(|(k, v)| {
                let value = if k == reqwest::header::SET_COOKIE {
                    MASKED.to_owned()
                } else {
                    redactor.redact(&String::from_utf8_lossy(v.as_bytes()))
                };
                (k.as_str().to_owned(), value)
            })
            .collect();
        self.response_body = redactor.redact_cut(&String::from_utf8_lossy(body), max_chars);
    }

    /// Passes every text of the exchange through `redactor`: the last step before an exchange
    /// is kept for the inspector, whatever filled it in.
    pub fn redact(&mut self, redactor: &Redactor) {
        let texts = std::iter::once(&mut self.url)
            .chain(self.request_headers.iter_mut().map(|(_, v)| v))
            .chain(self.form.iter_mut().map(|(_, v)| v))
            .chain(self.request_body.iter_mut())
            .chain(self.response_headers.iter_mut().map(|(_, v)| v))
            .chain(std::iter::once(&mut self.response_body))
            .chain(self.error.iter_mut());
        for text in texts {
            *text = redactor.redact(text);
        }
    }

    /// Everything as text, for a Copy button or a terminal.
    pub fn to_text(&self) -> String {
        let mut out = format!("{} {}\n", self.method, self.url);
        if let Some(p) = &self.proxy {
            out.push_str(&format!("(proxy: {p})\n"));
        }
        for (k, v) in &self.request_headers {
            out.push_str(&format!("{k}: {v}\n"));
        }
        if !self.form.is_empty() {
            out.push('\n');
            for (k, v) in &self.form {
                out.push_str(&format!("{k}={v}\n"));
            }
        }
        if let Some(a) = &self.assertion {
            out.push_str(&format!("\nclient assertion header: {}\nclient assertion claims: {}\n", a.header, a.claims));
        }
        if let Some(b) = &self.request_body {
            out.push_str(&format!("\n{b}\n"));
        }
        out.push_str(&format!("\n--- answer after {} ms ---\n", self.elapsed_ms));
        match (self.status, &self.error) {
            (Some(s), _) => out.push_str(&format!("HTTP {s}\n")),
            (None, Some(e)) => out.push_str(&format!("no answer: {e}\n")),
            (None, None) => {}
        }
        for (k, v) in &self.response_headers {
            out.push_str(&format!("{k}: {v}\n"));
        }
        if !self.response_body.is_empty() {
            out.push_str(&format!("\n{}\n", self.response_body));
        }
        out
    }
}

fn decode_assertion(jwt: &str) -> Option<DecodedAssertion> {
    let mut parts = jwt.split('.');
    let mut part = || -> Option<Value> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    Some(DecodedAssertion { header: part()?, claims: part()? })
}

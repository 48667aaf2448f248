//! Posting one GraphQL body to Stitch's API with the token as bearer (RFC 6750 §2.1): the one
//! way both the token test ([`crate::check`]) and Try it ([`crate::try_it`]) reach the API.
//! Through the engine's one HTTP client (its trust, proxy choice and no redirects), the answer
//! read to a cap (past it by the longest form of the token, so a token cut at the cap is still
//! found and removed), every failure and the exchange redacted, and the exchange kept for the
//! inspector. What the answer means is the caller's to say.

use crate::failure::{excerpt, Detail, Failure};
use crate::inspect::Exchange;
use crate::outside::Outside;
use crate::redact::Redactor;
use crate::token::AccessToken;

use super::{read_body, without_cut_secret, Http};

/// The most of an API answer that is read and kept.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// An API answer as read: its status, its body (capped) and the detail a failure about it
/// shows (URL, status, a redacted excerpt).
pub struct ApiAnswer {
    pub status: u16,
    pub bytes: Vec<u8>,
    pub detail: Detail,
}

impl Http {
    /// Posts `body` to `url` with `token`, and gives back what `meaning` makes of the answer
    /// together with the exchange (redacted, also recorded as the client's last API exchange).
    /// `meaning` gets a redactor that knows the token; every failure leaves here redacted.
    pub async fn post_graphql<T>(
        &self,
        url: &str,
        token: &AccessToken,
        body: String,
        meaning: impl FnOnce(ApiAnswer, &Redactor) -> Result<T, Failure>,
    ) -> (Result<T, Failure>, Exchange) {
        let redactor = Redactor::new(&[token.as_str()]);
        let mut exchange = Exchange::api_request(url, token, &body);
        exchange.proxy = Some(self.route(url).describe());
        let started = std::time::Instant::now();
        let answer = self.post_and_read(url, token, body, &mut exchange, &redactor).await;
        let result = answer.and_then(|a| meaning(a, &redactor)).map_err(|f| f.redacted(&redactor));
        exchange.elapsed_ms = started.elapsed().as_millis() as u64;
        if let (Err(f), None) = (&result, exchange.status) {
            exchange.error = f.detail.cause.clone().or_else(|| Some(f.message.clone()));
        }
        exchange.redact(&redactor);
        self.record_api(exchange.clone());
        (result, exchange)
    }

    async fn post_and_read(
        &self,
        url: &str,
        token: &AccessToken,
        body: String,
        exchange: &mut Exchange,
        redactor: &Redactor,
    ) -> Result<ApiAnswer, Failure> {
        let response = self
            .client_for(url)?
            .post(url)
            .bearer_auth(token.as_str())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| self.transport_failure(&e, url, "API URL"))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let reach = MAX_BODY_BYTES.saturating_add(redactor.margin());
        let mut bytes = read_body(response, reach).await.map_err(|e| self.transport_failure(&e, url, "API URL"))?;
        if bytes.len() >= reach {
            bytes = without_cut_secret(bytes, redactor);
        }
        exchange.answered_within(status, &headers, &bytes, redactor, MAX_BODY_BYTES);
        let detail = Detail {
            url: Some(url.to_owned()),
            status: Some(status),
            body_excerpt: Some(Outside::new(excerpt(&bytes, redactor))),
            ..Detail::default()
        };
        Ok(ApiAnswer { status, bytes, detail })
    }
}

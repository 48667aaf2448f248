//! A cache hit: the cost of asking for a token that is already cached (target: < 1 µs).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use criterion::{criterion_group, criterion_main, Criterion};
use token_desk_core::cache::{TokenCache, MARGIN};
use token_desk_core::clock::SystemClock;
use token_desk_core::request::{Credential, RequestInput, TokenRequest};
use token_desk_core::scope::Scopes;
use token_desk_core::secret::ClientSecret;
use token_desk_core::token::{AccessToken, Token};

fn cache_hit(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let input = RequestInput {
        client_id: "test-5e1f6c0a-8d4b-4a3e-9c71-2b0d9f3e6a58".into(),
        scopes: Scopes::parse(["client_paymentrequest client_refund"]),
        token_url: None,
        audience: None,
        credential: Credential::secret(ClientSecret::new("bench-secret")),
    };
    let (req, _) = TokenRequest::check(input, SystemTime::now()).unwrap();
    let cache = TokenCache::new(Arc::new(SystemClock), MARGIN);
    let now = SystemTime::now();
    let token = Token {
        access_token: AccessToken::new("udfc_WxDqxwfs5IKNHYohqGDZ9vwmyENvQYN7_cjW6M"),
        token_type: "Bearer".into(),
        expires_in: 3600,
        lifetime_assumed: false,
        issued_at: now,
        expires_at: now + Duration::from_secs(3600),
        granted: Scopes::parse(["client_paymentrequest client_refund"]),
        requested: Scopes::parse(["client_paymentrequest client_refund"]),
    };
    rt.block_on(cache.get(req.cache_key(), false, || async { Ok(token.clone()) })).unwrap();

    c.bench_function("cache hit", |b| {
        b.iter(|| {
            let served =
                rt.block_on(cache.get(req.cache_key(), false, || async { unreachable!("a hit never fetches") }));
            std::hint::black_box(served.unwrap());
        })
    });
}

criterion_group!(benches, cache_hit);
criterion_main!(benches);

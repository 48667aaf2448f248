//! Redacting a body at the read limit (256 KiB) with three secrets in play (a client secret,
//! a client assertion and an access token), echoed in a few encodings: the cost every failure
//! and every recorded exchange pays at worst (target: well under 100 ms).

use criterion::{criterion_group, criterion_main, Criterion};
use token_desk_core::redact::Redactor;

/// A deterministic text of JSON-ish words, numbers, escapes and line breaks.
fn body(len: usize, echoes: &[String]) -> String {
    let words = [
        "\"status\":",
        "\"items\": [",
        "{\"id\": ",
        "\"name\": \"café\"",
        "%20",
        "&amp;",
        "\\n",
        "=3D",
        "\r\n",
        "lorem",
        "ipsum",
        "12345",
        "\"ok\"",
        "+",
        "é",
        "—",
    ];
    let mut out = String::with_capacity(len + 4096);
    let mut state: u32 = 0x2545_f491;
    let mut i = 0;
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        out.push_str(words[state as usize % words.len()]);
        out.push(' ');
        if out.len() > (i + 1) * len / (echoes.len() + 1) && i < echoes.len() {
            out.push_str(&echoes[i]);
            i += 1;
        }
    }
    out
}

fn redact_body(c: &mut Criterion) {
    let secret = "s3cr3t-Value_with+symbols/ok";
    let assertion = format!("eyJhbGciOiJSUzI1NiJ9.{}.{}", "eyJpc3MiOiJ0ZXN0In0".repeat(20), "c2lnbmF0dXJl".repeat(30));
    let token = format!("udfc_{}", "WxDqxwfs5IKNHYohqGDZ9vwmyENvQYN7".repeat(25));
    let echoes = vec![
        secret.to_uppercase(),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        token.chars().map(|c| format!("&#{};", u32::from(c))).collect(),
        assertion.clone(),
        token.chars().map(|c| format!("{c}\u{200B}")).collect(),
    ];
    let text = body(256 * 1024, &echoes);
    let redactor = Redactor::new(&[secret, &assertion, &token]);
    let clean = body(256 * 1024, &[]);
    assert!(!redactor.finds_secret(&redactor.redact(&text)));

    let mut group = c.benchmark_group("redaction");
    group.sample_size(20);
    group.bench_function("256 KiB, three secrets echoed five times", |b| b.iter(|| redactor.redact(&text)));
    group.bench_function("256 KiB, three secrets, no echo", |b| b.iter(|| redactor.redact(&clean)));
    group.bench_function("256 KiB cut to 600 characters", |b| b.iter(|| redactor.redact_cut(&text, 600)));
    group.bench_function("end of a 256 KiB read cut back", |b| b.iter(|| redactor.cut_point(&text)));
    group.finish();
}

criterion_group!(benches, redact_body);
criterion_main!(benches);

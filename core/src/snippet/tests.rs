//! Unit tests of the code for integrators: every language, every flow, hostile settings.

use super::literals::escaped_in_code;
use super::*;
use crate::known_scopes::CLIENT_QUERY;
use crate::profiles::{AuthMethod, Profile};
use crate::scope::Scopes;

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
    let call = ApiCall { query: "query RefundStatus($id: ID!) { node(id: $id) { id } }", variables: Some(&variables) };
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

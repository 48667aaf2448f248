//! What the window tests look at besides the page's text: WebDriver screenshots (under
//! `<target>/e2e-screenshots/`, where the README's come from) and axe-core's accessibility
//! check, which fails a test on any serious or critical violation.

use std::time::Duration;

use serde_json::{json, Value};

use super::driver::{target_dir, AXE};
use super::window::Window;

/// Runs axe-core and hands back the violations (or the error) as plain JSON.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
window.axe.run(document, { resultTypes: ["violations"] })
  .then((r) => done({ violations: JSON.parse(JSON.stringify(r.violations)) }))
  .catch((e) => done({ error: String(e && e.stack || e) }));
"#;

impl Window {
    /// Saves a screenshot of the top of the window as `<target>/e2e-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        // The top of the window (form and result side by side), once input and transitions settle.
        self.client.execute("window.scrollTo(0, 0);", vec![]).await.expect("scrolling to the top");
        self.save_screenshot(name).await;
    }

    /// Saves a screenshot with the element `id` scrolled into view, `block` (as
    /// `scrollIntoView` takes it: "start", "center", "end") saying where.
    pub async fn screenshot_at(&self, name: &str, id: &str, block: &str) {
        let script = "document.getElementById(arguments[0]).scrollIntoView({ block: arguments[1] });";
        self.js(script, vec![json!(id), json!(block)]).await;
        self.save_screenshot(name).await;
    }

    /// Saves a screenshot of the window as it is now (no scrolling), like [`Window::screenshot`].
    pub async fn save_screenshot(&self, name: &str) {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let png = self.client.screenshot().await.expect("a WebDriver screenshot");
        let dir = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir).expect("the screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("the screenshot is saved");
    }

    /// Runs axe-core on the page as it is and fails on any serious or critical violation.
    pub async fn assert_accessible(&self, screen: &str) {
        let present = self.client.execute("return typeof window.axe === 'object';", vec![]).await;
        if present.ok().and_then(|v| v.as_bool()) != Some(true) {
            let source = std::fs::read_to_string(AXE).unwrap_or_else(|e| {
                panic!("axe-core is missing ({AXE}: {e}): install it with `npm ci --prefix tests/e2e`")
            });
            self.client.execute(&source, vec![]).await.expect("axe-core is injected into the page");
        }
        let outcome = self.client.execute_async(RUN_AXE, vec![]).await.expect("axe-core runs");
        if let Some(error) = outcome.get("error") {
            panic!("axe-core failed on the {screen} screen: {error}");
        }
        let violations = outcome.get("violations").and_then(Value::as_array).cloned().unwrap_or_default();
        let serious: Vec<String> = violations
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(describe_violation)
            .collect();
        assert!(
            serious.is_empty(),
            "axe-core found serious or critical accessibility violations on the {screen} screen:\n{}",
            serious.join("\n")
        );
    }
}

fn describe_violation(v: &Value) -> String {
    let nodes: Vec<String> = v["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .map(|n| {
                    format!("    at {}: {}", n["target"], n["failureSummary"].as_str().unwrap_or("").replace('\n', " "))
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        "- [{}] {}: {} ({})\n{}",
        v["impact"].as_str().unwrap_or("?"),
        v["id"].as_str().unwrap_or("?"),
        v["help"].as_str().unwrap_or(""),
        v["helpUrl"].as_str().unwrap_or(""),
        nodes.join("\n")
    )
}

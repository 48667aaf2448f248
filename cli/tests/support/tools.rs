//! The tools integrators run Token Desk's collections in (newman, @usebruno/cli and httpyac,
//! pinned in tests/e2e/package.json and installed by `npm ci --prefix tests/e2e`, which
//! scripts/test runs): where each is, and one run of it with a deadline.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The pinned tool's executable, or `None` (after the `skipped:` line) when it is missing
/// outside scripts/test.
pub fn tool(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/e2e/node_modules/.bin").join(name);
    super::skip::tool_exists(&path, "run `npm ci --prefix tests/e2e`").then_some(path)
}

/// Runs `program` with `args` in `cwd` with a 120-second deadline: whether it succeeded, and
/// its stdout and stderr together.
pub fn run_tool(program: &Path, args: &[&str], cwd: &Path) -> (bool, String) {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{} did not finish in 120 s", program.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (out.status.success(), format!("{}{}", super::text(&out.stdout), super::text(&out.stderr)))
}

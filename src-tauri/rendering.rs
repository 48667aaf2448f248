//! How WebKitGTK draws the window: on the CPU, without accelerated compositing.
//!
//! The page is a form that changes a few lines at a time; it has no video, canvas, WebGL or
//! large animation that a GPU would speed up. Accelerated compositing costs every window an
//! OpenGL context in the web process (on a computer without a usable GPU, a remote desktop or
//! a virtual machine: Mesa's software renderer, llvmpipe), about 80 MiB of PSS measured under
//! Xvfb (`scripts/measure-window.py`; docs/benchmarks.md, "Window memory"), and it is the mode
//! behind the blank windows WebKitGTK apps show on some drivers. Evolution and Eclipse turn it
//! off for the same reasons.
//!
//! Without compositing the window has no use for OpenGL at all, yet two parts of the app's
//! own process set it up anyway: GTK asks GLX for the best visual when it opens the display,
//! and WebKitGTK's DMA-BUF renderer makes an EGL context to show composited frames. Under
//! Xvfb each loads Mesa's software renderer and LLVM: about 50 ms of the app process's CPU
//! before the form is ready (docs/benchmarks.md, "Window start-up"). [`without_gl`] turns both
//! off.

use std::ffi::OsString;

use tauri::{App, Manager, Runtime};

/// The environment that keeps OpenGL out of the app's process: `GDK_GL=disable` (GTK 3 makes
/// no GL context and picks its visuals without GLX) and `WEBKIT_DISABLE_DMABUF_RENDERER=1`
/// (WebKitGTK shows the web process's frames as shared-memory bitmaps, which is how a page
/// drawn without compositing reaches the window anyway).
const WITHOUT_GL: [(&str, &str); 2] = [("GDK_GL", "disable"), ("WEBKIT_DISABLE_DMABUF_RENDERER", "1")];

/// The variables of [`WITHOUT_GL`] that `current` (a look-up in the environment) does not
/// already set: a value the user chose, say `GDK_GL=always` to debug a driver, is kept.
fn missing(current: impl Fn(&str) -> Option<OsString>) -> Vec<(&'static str, &'static str)> {
    WITHOUT_GL.into_iter().filter(|(name, _)| current(name).is_none()).collect()
}

/// Sets [`WITHOUT_GL`] in the process's environment, where the user has not set them. Both
/// are read when GTK opens the display and WebKitGTK makes its first webview, so this must run
/// first thing in `run`, before Tauri starts GTK and while the process has one thread (a
/// second thread reading the environment meanwhile would race with `set_var`).
pub fn without_gl() {
    for (name, value) in missing(|name| std::env::var_os(name)) {
        std::env::set_var(name, value);
    }
}

/// Sets every window's webview to draw without hardware acceleration
/// (`WebKitSettings:hardware-acceleration-policy` = `NEVER`). Called from the app's setup,
/// after the configured window is made and before the main loop starts its web process, so
/// the page never enters compositing mode. A no-op on the mock runtime and off Linux.
pub fn without_compositing<R: Runtime>(app: &App<R>) {
    for window in app.webview_windows().values() {
        let _ = window.with_webview(|webview| {
            #[cfg(target_os = "linux")]
            {
                use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
                if let Some(settings) = webview.inner().settings() {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
            }
            #[cfg(not(target_os = "linux"))]
            let _ = webview;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_variables_are_set_on_a_clean_environment() {
        assert_eq!(missing(|_| None), vec![("GDK_GL", "disable"), ("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]);
    }

    #[test]
    fn a_value_the_user_set_is_kept() {
        let user = |name: &str| (name == "GDK_GL").then(|| OsString::from("always"));
        assert_eq!(missing(user), vec![("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]);
    }
}

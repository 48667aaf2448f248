//! What a process that holds secrets does before it reads one: it writes no core file.
//!
//! A core file is a copy of the process's memory on disk, written when it crashes; Token
//! Desk's memory holds client secrets, private keys and tokens, and its release builds abort
//! on panic (`panic = "abort"`), which is a crash that dumps core wherever the system allows
//! it. Some systems hand core files to a collector (systemd-coredump, apport) that keeps them
//! for days where other users or bug reports may reach them. So both binaries switch core
//! files off first thing: `RLIMIT_CORE` 0 (setrlimit(2)), and on Linux also
//! `PR_SET_DUMPABLE` 0 (prctl(2)), which a core-dump pipe handler cannot override and which
//! also stops other processes of the same user from attaching a debugger or reading
//! `/proc/PID/mem` and `/proc/PID/environ`.
//!
//! Both settings last until the process ends; a program it starts (`execve`) is dumpable
//! again but keeps the core size limit of 0.

/// Why core files could not be switched off.
#[derive(Debug, thiserror::Error)]
pub enum HardeningError {
    #[error("core files could not be switched off ({0})")]
    CoreDumps(std::io::Error),
}

/// Switches off core files for this process (see the module's documentation). Makes only
/// system calls, allocating nothing, so it is safe to call in a child just forked. Does
/// nothing on systems without these controls (Windows writes no core files by default).
pub fn no_core_dumps() -> Result<(), HardeningError> {
    #[cfg(unix)]
    {
        let none = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: setrlimit reads the struct we pass and touches no memory of ours after.
        if unsafe { libc::setrlimit(libc::RLIMIT_CORE, &none) } != 0 {
            return Err(HardeningError::CoreDumps(std::io::Error::last_os_error()));
        }
    }
    #[cfg(target_os = "linux")]
    {
        // SAFETY: PR_SET_DUMPABLE takes integer arguments only (unsigned long, as the kernel
        // reads them).
        let zero: libc::c_ulong = 0;
        if unsafe { libc::prctl(libc::PR_SET_DUMPABLE, zero, zero, zero, zero) } != 0 {
            return Err(HardeningError::CoreDumps(std::io::Error::last_os_error()));
        }
    }
    Ok(())
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_process_that_calls_it_is_not_dumpable_and_may_write_no_core_file() {
        // In a child, so the test process itself stays debuggable. The child makes system
        // calls only (no allocation, no lock another thread may hold) and reports by exit code.
        // SAFETY: fork in a threaded process is sound when the child only makes
        // async-signal-safe calls before _exit, as here.
        let child = unsafe { libc::fork() };
        assert!(child >= 0, "fork failed");
        if child == 0 {
            let code = match no_core_dumps() {
                Err(_) => 10,
                Ok(()) => {
                    let mut limit = libc::rlimit { rlim_cur: 1, rlim_max: 1 };
                    // SAFETY: integer arguments and a struct on this stack.
                    let dumpable = unsafe { libc::prctl(libc::PR_GET_DUMPABLE) };
                    let read = unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) };
                    match (dumpable, read, limit.rlim_cur, limit.rlim_max) {
                        (0, 0, 0, 0) => 0,
                        (0, ..) => 12,
                        _ => 11,
                    }
                }
            };
            // SAFETY: ends the child without running the parent's destructors or atexit hooks.
            unsafe { libc::_exit(code) };
        }
        let mut status = 0;
        // SAFETY: waits for the child forked above.
        assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child);
        assert!(libc::WIFEXITED(status), "the child ended by a signal: {status}");
        let code = libc::WEXITSTATUS(status);
        assert_eq!(code, 0, "10: the calls failed, 11: still dumpable, 12: core limit not 0");
    }
}

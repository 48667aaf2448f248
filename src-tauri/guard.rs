//! The one way the window's backend takes a lock.

use std::sync::{Mutex, MutexGuard};

/// Locks `m`, also after a panic while it was held: every value kept behind these locks is
/// whole between statements (a token, a plan, a list), so a poisoned one is still usable and
/// the window should keep working rather than fail every later command.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

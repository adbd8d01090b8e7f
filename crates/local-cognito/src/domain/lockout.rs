//! The sign-in lockout, like Cognito's: after five consecutive failed passwords for a name,
//! each further failure locks it for twice as long as the last (1 s, 2 s, 4 s, … up to 15
//! minutes); tries while locked are refused unchecked and not counted; a success, or 15
//! quiet minutes after the lock (or the last failure) ended, starts the count afresh.

/// Failures allowed before the first lock.
pub(crate) const FREE_FAILURES: i64 = 5;

/// The longest lock, in seconds.
pub(crate) const MAX_LOCK_SECONDS: i64 = 15 * 60;

/// Seconds without a failure, counted from the end of the lock (or from the last failure
/// when it did not lock), after which the count starts afresh.
pub(crate) const FORGET_AFTER_SECONDS: i64 = 15 * 60;

/// How long a name is locked after its `failures`th consecutive failure: nothing before the
/// fifth, then 1 s doubling per failure, capped at [`MAX_LOCK_SECONDS`].
pub(crate) fn lock_seconds(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    // 2^10 s already exceeds the cap; clamping the exponent keeps the shift in range.
    let doublings = (failures - FREE_FAILURES).min(10);
    (1_i64 << doublings).min(MAX_LOCK_SECONDS)
}

/// A name's record of consecutive failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Failures {
    /// Consecutive failed passwords.
    pub(crate) count: i64,
    /// When the last one happened (Unix seconds).
    pub(crate) last_failed_at: i64,
    /// Until when tries are refused unchecked (Unix seconds).
    pub(crate) locked_until: i64,
}

impl Failures {
    /// True while tries are refused without checking the password.
    pub(crate) fn locks(&self, now: i64) -> bool {
        now < self.locked_until
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_starts_at_the_fifth_failure_and_doubles_up_to_fifteen_minutes() {
        let schedule: Vec<i64> = (1..=17).map(lock_seconds).collect();
        assert_eq!(
            schedule,
            [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
        );
        assert_eq!(lock_seconds(i64::MAX), 900);
    }

    #[test]
    fn a_record_locks_until_its_time() {
        let failures = Failures {
            count: 5,
            last_failed_at: 100,
            locked_until: 101,
        };
        assert!(failures.locks(100));
        assert!(!failures.locks(101));
    }
}

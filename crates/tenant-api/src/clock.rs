//! The injectable source of time: the embedded identity provider's [`Clock`], shared rather than
//! copied, so sign-out cut-offs and the tenant proof cache can be tested without sleeping.

use std::time::UNIX_EPOCH;

pub use local_cognito::{Clock, ManualClock, SystemClock};

/// Milliseconds since the Unix epoch (0 for a clock set before 1970, a test mistake).
pub(crate) fn epoch_millis(clock: &dyn Clock) -> i64 {
    clock.now().duration_since(UNIX_EPOCH).map_or(0, |since| {
        i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
    })
}

/// Whole seconds since the Unix epoch, the unit of JWT claims and stored sign-outs.
pub(crate) fn epoch_seconds(clock: &dyn Clock) -> i64 {
    epoch_millis(clock) / 1000
}

//! Database outages answered fast: every store call within a time budget, and fail-fast while the
//! database is known to be down.
//!
//! Without this, a stopped PostgreSQL cost every request the pool's acquire timeout (sqlx retries
//! a refused connection until then), and a hung one held requests until the client gave up.
//! Each backend holds one [`Availability`] and runs its primitives through it (SQLite's reads and
//! writer, PostgreSQL's scoped and unscoped statements), so every store method is guarded once,
//! where the database is reached: each call must finish within the budget
//! (`DATABASE_TIMEOUT_MS`), and once a call finds the database unreachable, further calls fail at
//! once, except one probe per [`PROBE_INTERVAL`] that finds out when it is back. State changes
//! are logged once each, never per request.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::StoreError;

/// How often, while the database is down, one call is let through to find out if it is back.
pub(super) const PROBE_INTERVAL: Duration = Duration::from_millis(250);

/// Whether the database answers, as the last calls found it.
#[derive(Debug)]
pub(super) struct Availability {
    budget: Duration,
    down: AtomicBool,
    /// Milliseconds after `epoch` before which no call may probe a database that is down.
    next_probe_ms: AtomicU64,
    epoch: Instant,
}

impl Availability {
    /// A database assumed up, each call of which must finish within `budget`.
    pub(super) fn new(budget: Duration) -> Self {
        Self {
            budget,
            down: AtomicBool::new(false),
            next_probe_ms: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether a call may go to the database now: always while it is up; while it is down, one
    /// caller per probe interval (the one that moves the next probe time on).
    fn admits(&self) -> bool {
        if !self.down.load(Ordering::Relaxed) {
            return true;
        }
        let now = self.now_ms();
        let next = self.next_probe_ms.load(Ordering::Relaxed);
        now >= next
            && self
                .next_probe_ms
                .compare_exchange(next, now + probe_ms(), Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
    }

    fn failed(&self, reason: &str) {
        self.next_probe_ms
            .store(self.now_ms() + probe_ms(), Ordering::Relaxed);
        if !self.down.swap(true, Ordering::AcqRel) {
            tracing::warn!(
                reason,
                "database unavailable: answering 503 until it is back"
            );
        }
    }

    fn answered(&self) {
        if self.down.load(Ordering::Relaxed) && self.down.swap(false, Ordering::AcqRel) {
            tracing::info!("database available again");
        }
    }

    /// Runs one store call within the budget, keeping track of the database's state.
    pub(super) async fn run<T>(
        &self,
        call: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        if !self.admits() {
            return Err(StoreError::Unavailable);
        }
        match tokio::time::timeout(self.budget, call).await {
            Err(_) => {
                self.failed("no answer within DATABASE_TIMEOUT_MS");
                Err(StoreError::Unavailable)
            }
            Ok(outcome) => self.settle(outcome),
        }
    }

    /// Runs one call that completes on this thread (a SQLite read: it cannot be cut short, so
    /// it has no budget of its own beyond SQLite's busy timeout), keeping track of the state.
    pub(super) fn run_now<T>(
        &self,
        call: impl FnOnce() -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if !self.admits() {
            return Err(StoreError::Unavailable);
        }
        self.settle(call())
    }

    /// Records what a call's outcome says about the database, and passes it on.
    fn settle<T>(&self, outcome: Result<T, StoreError>) -> Result<T, StoreError> {
        match outcome {
            Err(err) if err.is_outage() => {
                self.failed(&err.to_string());
                Err(StoreError::Unavailable)
            }
            outcome => {
                self.answered();
                outcome
            }
        }
    }
}

fn probe_ms() -> u64 {
    u64::try_from(PROBE_INTERVAL.as_millis()).unwrap_or(250)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn availability() -> Availability {
        Availability::new(Duration::from_millis(50))
    }

    fn outage() -> StoreError {
        StoreError::from(sqlx::Error::PoolTimedOut)
    }

    #[tokio::test(start_paused = true)]
    async fn an_outage_makes_later_calls_fail_at_once_until_a_probe_succeeds() {
        let db = availability();
        assert!(db.run(async { Err::<(), _>(outage()) }).await.is_err());
        // Down: the call is not even made.
        let made = std::sync::atomic::AtomicBool::new(false);
        let refused = db
            .run(async {
                made.store(true, Ordering::Relaxed);
                Ok(())
            })
            .await;
        assert!(matches!(refused, Err(StoreError::Unavailable)));
        assert!(!made.load(Ordering::Relaxed));
    }

    #[test]
    fn one_probe_per_interval_while_down_and_every_call_once_up() {
        let db = availability();
        assert!(db.admits() && db.admits());
        db.failed("test");
        assert!(!db.admits(), "inside the probe interval");
        db.next_probe_ms.store(0, Ordering::Relaxed);
        assert!(db.admits(), "the first caller after the interval probes");
        assert!(!db.admits(), "and only that one");
        db.answered();
        assert!(db.admits() && db.admits());
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_that_outlives_the_budget_is_unavailable() {
        let db = availability();
        let slow = db.run(async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            Ok(())
        });
        assert!(matches!(slow.await, Err(StoreError::Unavailable)));
        assert!(db.down.load(Ordering::Relaxed));
    }

    #[tokio::test]
    async fn not_found_is_an_answer_not_an_outage() {
        let db = availability();
        let missing = db.run(async { Err::<(), _>(StoreError::NotFound) }).await;
        assert!(matches!(missing, Err(StoreError::NotFound)));
        assert!(!db.down.load(Ordering::Relaxed));
    }
}

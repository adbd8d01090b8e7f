//! Database outages answered fast: every store call within a time budget, and fail-fast while the
//! database is known to be down.
//!
//! Without this, a stopped PostgreSQL cost every request the pool's acquire timeout (sqlx retries
//! a refused connection until then), and a hung one held requests until the client gave up.
//! [`Guarded`] wraps a backend: each call must finish within the budget (`DATABASE_TIMEOUT_MS`),
//! and once a call finds the database unreachable, further calls fail at once, except one probe
//! per [`PROBE_INTERVAL`] that finds out when it is back. State changes are logged once each,
//! never per request.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{AlertStore, ItemStore, Ping, SignOutStore, StoreError};
use crate::domain::alert::{Alert, AlertTitle, Severity};
use crate::domain::item::{Item, ItemName};
use crate::domain::page::{Page, PageRequest};
use crate::tenancy::ScopedTenant;

/// How often, while the database is down, one call is let through to find out if it is back.
pub const PROBE_INTERVAL: Duration = Duration::from_millis(250);

/// Whether the database answers, as the last calls found it.
#[derive(Debug)]
struct Availability {
    budget: Duration,
    down: AtomicBool,
    /// Milliseconds after `epoch` before which no call may probe a database that is down.
    next_probe_ms: AtomicU64,
    epoch: Instant,
}

impl Availability {
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
    async fn run<T>(
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
            Ok(Err(err)) if err.is_outage() => {
                self.failed(&err.to_string());
                Err(StoreError::Unavailable)
            }
            Ok(outcome) => {
                self.answered();
                outcome
            }
        }
    }
}

fn probe_ms() -> u64 {
    u64::try_from(PROBE_INTERVAL.as_millis()).unwrap_or(250)
}

/// A store backend whose every call is bounded in time and fails fast during an outage.
#[derive(Debug)]
pub(super) struct Guarded<S> {
    inner: S,
    availability: Availability,
}

impl<S> Guarded<S> {
    /// Wraps `inner`; each call must finish within `budget`.
    pub(super) fn new(inner: S, budget: Duration) -> Self {
        Self {
            inner,
            availability: Availability {
                budget,
                down: AtomicBool::new(false),
                next_probe_ms: AtomicU64::new(0),
                epoch: Instant::now(),
            },
        }
    }
}

#[async_trait]
impl<S: ItemStore> ItemStore for Guarded<S> {
    async fn list_items(
        &self,
        tenant: &ScopedTenant,
        page: PageRequest,
    ) -> Result<Page<Item>, StoreError> {
        self.availability
            .run(self.inner.list_items(tenant, page))
            .await
    }
    async fn create_item(
        &self,
        tenant: &ScopedTenant,
        owner: &str,
        name: &ItemName,
    ) -> Result<Item, StoreError> {
        self.availability
            .run(self.inner.create_item(tenant, owner, name))
            .await
    }
    async fn get_item(&self, tenant: &ScopedTenant, id: i64) -> Result<Item, StoreError> {
        self.availability.run(self.inner.get_item(tenant, id)).await
    }
    async fn rename_item(
        &self,
        tenant: &ScopedTenant,
        id: i64,
        name: &ItemName,
    ) -> Result<Item, StoreError> {
        self.availability
            .run(self.inner.rename_item(tenant, id, name))
            .await
    }
    async fn delete_item(&self, tenant: &ScopedTenant, id: i64) -> Result<(), StoreError> {
        self.availability
            .run(self.inner.delete_item(tenant, id))
            .await
    }
}

#[async_trait]
impl<S: AlertStore> AlertStore for Guarded<S> {
    async fn list_alerts(
        &self,
        tenant: &ScopedTenant,
        owner: &str,
        page: PageRequest,
    ) -> Result<Page<Alert>, StoreError> {
        self.availability
            .run(self.inner.list_alerts(tenant, owner, page))
            .await
    }
    async fn create_alert(
        &self,
        tenant: &ScopedTenant,
        owner: &str,
        title: &AlertTitle,
        severity: Severity,
    ) -> Result<Alert, StoreError> {
        let call = self.inner.create_alert(tenant, owner, title, severity);
        self.availability.run(call).await
    }
    async fn get_alert(
        &self,
        tenant: &ScopedTenant,
        owner: &str,
        id: i64,
    ) -> Result<Alert, StoreError> {
        self.availability
            .run(self.inner.get_alert(tenant, owner, id))
            .await
    }
    async fn delete_alert(
        &self,
        tenant: &ScopedTenant,
        owner: &str,
        id: i64,
    ) -> Result<(), StoreError> {
        self.availability
            .run(self.inner.delete_alert(tenant, owner, id))
            .await
    }
    async fn acknowledge_alert(
        &self,
        tenant: &ScopedTenant,
        owner: &str,
        id: i64,
    ) -> Result<Alert, StoreError> {
        self.availability
            .run(self.inner.acknowledge_alert(tenant, owner, id))
            .await
    }
}

#[async_trait]
impl<S: SignOutStore> SignOutStore for Guarded<S> {
    async fn record_sign_out(&self, sub: &str, at: i64, expires_at: i64) -> Result<(), StoreError> {
        self.availability
            .run(self.inner.record_sign_out(sub, at, expires_at))
            .await
    }
    async fn sign_outs_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
        self.availability
            .run(self.inner.sign_outs_since(since))
            .await
    }
    async fn purge_sign_outs(&self, now: i64) -> Result<u64, StoreError> {
        self.availability.run(self.inner.purge_sign_outs(now)).await
    }
}

#[async_trait]
impl<S: Ping> Ping for Guarded<S> {
    async fn ping(&self) -> Result<(), StoreError> {
        self.availability.run(self.inner.ping()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn availability() -> Availability {
        Availability {
            budget: Duration::from_millis(50),
            down: AtomicBool::new(false),
            next_probe_ms: AtomicU64::new(0),
            epoch: Instant::now(),
        }
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

//! Throttling: token buckets per client IP and per account for sign-in, and per tenant for
//! the invitations its admins send (each may create a Cognito user).
//!
//! The account key is a hash of the lower-cased email, and the bucket exists whether or not the
//! account does, so a 429 reveals nothing about which emails are registered.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use moka::sync::Cache;
use sha2::{Digest, Sha256};

/// A token bucket: `capacity` attempts, refilled continuously at `capacity` per minute.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Why an attempt was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    /// Seconds until the next attempt may pass.
    pub retry_after: u64,
}

#[derive(Clone, Hash, PartialEq, Eq)]
enum Key {
    Ip(IpAddr),
    Account([u8; 32]),
    Invites(String),
}

/// Per-IP and per-account buckets for the sign-in endpoints, and per-tenant ones for invitations.
#[derive(Clone)]
pub struct LoginThrottle {
    per_ip: u32,
    per_account: u32,
    buckets: Cache<Key, Arc<Mutex<Bucket>>>,
}

impl LoginThrottle {
    /// Allows `per_ip` attempts a minute from one IP and `per_account` for one account (0 = no limit).
    pub fn new(per_ip: u32, per_account: u32) -> Self {
        Self {
            per_ip,
            per_account,
            buckets: Cache::builder()
                .max_capacity(200_000)
                // An idle bucket is full again after a minute; keeping it longer is pointless.
                .time_to_idle(Duration::from_secs(120))
                .build(),
        }
    }

    /// Takes one attempt from the IP's bucket and, when given, the account's.
    pub fn check(&self, ip: IpAddr, account: Option<&str>) -> Result<(), Throttled> {
        let now = Instant::now();
        self.take(Key::Ip(ip), self.per_ip, now)?;
        if let Some(account) = account {
            let hash = Sha256::digest(account.trim().to_lowercase().as_bytes()).into();
            self.take(Key::Account(hash), self.per_account, now)?;
        }
        Ok(())
    }

    /// Takes one invitation from `tenant`'s bucket, which holds `per_minute` (0 = no limit).
    pub fn check_invite(&self, tenant: &str, per_minute: u32) -> Result<(), Throttled> {
        self.take(Key::Invites(tenant.to_owned()), per_minute, Instant::now())
    }

    fn take(&self, key: Key, capacity: u32, now: Instant) -> Result<(), Throttled> {
        if capacity == 0 {
            return Ok(());
        }
        let capacity = f64::from(capacity);
        let bucket = self.buckets.get_with(key, || {
            Arc::new(Mutex::new(Bucket {
                tokens: capacity,
                updated: now,
            }))
        });
        let mut bucket = bucket
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let per_second = capacity / 60.0;
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / per_second;
            Err(Throttled {
                retry_after: wait.ceil().max(1.0) as u64,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_bucket_empties_after_its_capacity() {
        let throttle = LoginThrottle::new(0, 3);
        let ip = IpAddr::from([10, 0, 0, 1]);
        for _ in 0..3 {
            assert!(throttle.check(ip, Some("a@example.com")).is_ok());
        }
        let refused = throttle.check(ip, Some("A@Example.com ")).unwrap_err();
        assert!(
            refused.retry_after >= 1 && refused.retry_after <= 20,
            "{refused:?}"
        );
        assert!(throttle.check(ip, Some("b@example.com")).is_ok());
    }

    #[test]
    fn each_tenant_has_its_own_invitation_bucket() {
        let throttle = LoginThrottle::new(0, 0);
        for _ in 0..2 {
            assert!(throttle.check_invite("a", 2).is_ok());
        }
        assert!(throttle.check_invite("a", 2).is_err());
        assert!(throttle.check_invite("b", 2).is_ok());
    }

    #[test]
    fn the_ip_bucket_covers_every_account() {
        let throttle = LoginThrottle::new(2, 0);
        let ip = IpAddr::from([10, 0, 0, 2]);
        assert!(throttle.check(ip, Some("a@x.io")).is_ok());
        assert!(throttle.check(ip, Some("b@x.io")).is_ok());
        assert!(throttle.check(ip, Some("c@x.io")).is_err());
        assert!(throttle.check(IpAddr::from([10, 0, 0, 3]), None).is_ok());
    }
}

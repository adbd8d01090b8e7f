//! The per-client-address limit on the Hosted UI's sign-in form: a token bucket per address
//! (IPv6 per /64, the block one client usually holds), in memory, on the provider's clock.
//! It bounds how fast one address can guess passwords (and spend argon2 time) across names,
//! which the per-name lockout alone does not.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

/// Sign-in posts an address may make at once.
pub(crate) const BURST: f64 = 10.0;

/// Seconds for one more post to be allowed (so 10 a minute, sustained).
pub(crate) const REFILL_SECONDS: u32 = 6;

/// Addresses tracked before full buckets are dropped (they are the same as no bucket).
const TRACKED: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated_at: i64,
}

impl Bucket {
    fn refilled(self, now: i64) -> f64 {
        // Seconds since the last update; a clock set back refills nothing.
        let elapsed = now.saturating_sub(self.updated_at).max(0) as f64;
        (self.tokens + elapsed / f64::from(REFILL_SECONDS)).min(BURST)
    }
}

/// Token buckets per client address.
#[derive(Debug, Default)]
pub(crate) struct LoginThrottle {
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl LoginThrottle {
    /// Takes one token for `address` at `now` (Unix seconds); false when its bucket is empty.
    pub(crate) fn allow(&self, address: IpAddr, now: i64) -> bool {
        // A poisoned lock only means another request panicked; the counts are still valid.
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= TRACKED {
            buckets.retain(|_, bucket| bucket.refilled(now) < BURST);
            if buckets.len() >= TRACKED {
                // Under a flood from that many addresses, forget rather than grow.
                buckets.clear();
            }
        }
        let bucket = buckets.entry(client_block(address)).or_insert(Bucket {
            tokens: BURST,
            updated_at: now,
        });
        let tokens = bucket.refilled(now);
        *bucket = Bucket {
            tokens: if tokens >= 1.0 { tokens - 1.0 } else { tokens },
            updated_at: now,
        };
        tokens >= 1.0
    }
}

/// The address a client is counted under: IPv4 (also when mapped into IPv6) as is, IPv6 by
/// its /64.
fn client_block(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1_u128 << 64) - 1);
                IpAddr::V6(prefix.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_address_gets_a_burst_then_one_post_per_refill_period() {
        let throttle = LoginThrottle::default();
        let allowed = (0..12)
            .filter(|_| throttle.allow(ip("10.0.0.1"), 100))
            .count();
        assert_eq!(allowed, 10);
        assert!(
            throttle.allow(ip("10.0.0.2"), 100),
            "other addresses are not affected"
        );
        assert!(!throttle.allow(ip("10.0.0.1"), 105));
        assert!(throttle.allow(ip("10.0.0.1"), 106));
        assert!(!throttle.allow(ip("10.0.0.1"), 106));
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_and_mapped_ipv4_as_ipv4() {
        let throttle = LoginThrottle::default();
        for i in 0..10 {
            assert!(throttle.allow(ip(&format!("2001:db8:1:2::{i}")), 0));
        }
        assert!(!throttle.allow(ip("2001:db8:1:2:ffff::1"), 0));
        assert!(throttle.allow(ip("2001:db8:1:3::1"), 0));
        assert_eq!(client_block(ip("::ffff:10.0.0.1")), ip("10.0.0.1"));
    }
}

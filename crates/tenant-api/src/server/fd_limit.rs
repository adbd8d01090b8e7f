//! The process's open-file limit: raised at start from the soft limit toward the hard one, since
//! every connection holds a descriptor and a soft limit of 1,024 is a common default.

use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};

/// Connections allowed at once when `HTTP_MAX_CONNECTIONS` is not set: 10,000, or three
/// quarters of the open-file limit if that is lower (the rest is left for the database,
/// the identity provider and the process's own files).
pub const DEFAULT_MAX_CONNECTIONS: usize = 10_000;

/// Raises the soft `RLIMIT_NOFILE` to the hard limit and logs the outcome; returns the soft
/// limit in effect afterwards (`None` when unlimited or unknown).
pub fn raise() -> Option<u64> {
    let before = getrlimit(Resource::Nofile);
    if let (Some(soft), hard) = (before.current, before.maximum) {
        if hard.is_none_or(|hard| soft < hard) {
            let wanted = Rlimit {
                current: hard,
                maximum: hard,
            };
            match setrlimit(Resource::Nofile, wanted) {
                Ok(()) => {
                    tracing::info!(from = soft, to = %shown(hard), "raised the open-file limit")
                }
                Err(err) => {
                    tracing::warn!(soft, hard = %shown(hard), error = %err, "cannot raise the open-file limit");
                }
            }
            return getrlimit(Resource::Nofile).current;
        }
    }
    tracing::info!(limit = %shown(before.current), "open-file limit (already at the hard limit)");
    before.current
}

fn shown(limit: Option<u64>) -> String {
    limit.map_or_else(|| "unlimited".to_owned(), |limit| limit.to_string())
}

/// The connection cap for a soft open-file limit of `limit` (see [`DEFAULT_MAX_CONNECTIONS`]).
pub fn default_max_connections(limit: Option<u64>) -> usize {
    let share = limit
        .map(|limit| usize::try_from(limit / 4 * 3).unwrap_or(usize::MAX))
        .unwrap_or(usize::MAX);
    DEFAULT_MAX_CONNECTIONS.min(share).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cap_leaves_a_quarter_of_a_low_limit_for_other_files() {
        assert_eq!(default_max_connections(Some(1_024)), 768);
        assert_eq!(default_max_connections(Some(1 << 20)), 10_000);
        assert_eq!(default_max_connections(None), 10_000);
    }

    #[test]
    fn raising_leaves_the_soft_limit_at_the_hard_one() {
        let after = raise();
        let now = getrlimit(Resource::Nofile);
        assert_eq!(after, now.current);
        // An unprivileged process may raise its soft limit up to the hard limit.
        assert_eq!(now.current, now.maximum);
    }
}

//! What the configuration knows about databases before any is opened: the default time budget
//! of a database call, the default PostgreSQL pool size, and which SQLite URLs cannot hold data.

use std::time::Duration;

/// How long one store call may take when nothing else is configured (`DATABASE_TIMEOUT_MS`):
/// under a second, so that even the first request after PostgreSQL stopped (which waits out
/// sqlx's retries of the refused connection) is answered within one.
pub const DEFAULT_DATABASE_TIMEOUT: Duration = Duration::from_millis(800);

/// Connections to PostgreSQL when nothing else is configured (`DATABASE_POOL_SIZE`): the best
/// of the sizes measured on a 2-core machine sharing its cores with PostgreSQL (see
/// docs/postgres.md). Each request holds one for a single round trip.
pub const DEFAULT_DATABASE_POOL_SIZE: usize = 8;

/// Whether `url` names an in-memory SQLite database, which the store cannot serve: it would
/// vanish with the process, and its read connections would each see a database of their own.
pub fn is_in_memory_sqlite(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

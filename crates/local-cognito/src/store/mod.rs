//! SQLite persistence. Every call reads the database, so several processes sharing one data
//! directory (the service and a CLI) always see each other's writes.

mod clients;
mod codes;
mod domains;
mod groups;
mod hosted_sessions;
mod keys;
mod outbox;
mod pools;
mod sessions;
mod sign_in_failures;
mod tokens;
mod users;

use std::path::Path;
use std::str::FromStr as _;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

pub(crate) use codes::AuthorizationCode;
pub(crate) use groups::Group;
pub(crate) use hosted_sessions::HostedSession;
pub use outbox::OutboxMessage;
pub(crate) use sessions::Session;
pub(crate) use tokens::{RefreshFamily, Replay, Rotation};
pub(crate) use users::NewUser;

/// A failure to read or write state.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("sqlite: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored JSON column could not be read back.
    #[error("corrupt stored JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Handle on the state database; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    pool: SqlitePool,
}

const SCHEMA: &str = include_str!("schema.sql");

/// Bytes of WAL kept on disk after a checkpoint has reset it (SQLite's default keeps all).
const JOURNAL_SIZE_LIMIT: u64 = 64 << 20;

/// How long a writer waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

impl Store {
    /// Opens (creating if needed) `dir/local-cognito.sqlite3`, in WAL mode, and applies the schema.
    pub(crate) async fn open_file(dir: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(dir.join("local-cognito.sqlite3"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(BUSY_TIMEOUT)
            // After a checkpoint that a long reader held back, the WAL file is cut back to this
            // size when it is next reused, instead of keeping its high-water mark forever.
            .pragma("journal_size_limit", JOURNAL_SIZE_LIMIT.to_string())
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        Self::migrate(pool).await
    }

    /// Opens a private in-memory database. One connection only: each SQLite in-memory
    /// connection is its own database, so a second one would see nothing.
    pub(crate) async fn open_memory() -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        Self::migrate(pool).await
    }

    async fn migrate(pool: SqlitePool) -> Result<Self, StoreError> {
        // Every statement is `IF NOT EXISTS`, so concurrent openers cannot trip over each other.
        sqlx::raw_sql(SCHEMA).execute(&pool).await?;
        for (table, column, definition) in ADDED_COLUMNS {
            add_column(&pool, table, column, definition).await?;
        }
        Ok(Self { pool })
    }
}

/// Columns added after a table was first shipped: added to older data directories on open.
const ADDED_COLUMNS: &[(&str, &str, &str)] = &[
    // The granted scopes of a Hosted UI sign-in; NULL for API sign-ins (the admin scope).
    ("refresh_tokens", "scopes", "TEXT"),
    // The origin_jti of the first generation when refresh tokens rotate; NULL for the first.
    ("refresh_tokens", "chain", "TEXT"),
    // When a rotating refresh token was replaced by a newer one; NULL while it is the newest.
    ("refresh_tokens", "rotated_at", "INTEGER"),
];

/// `ALTER TABLE … ADD COLUMN` unless the column exists; a concurrent opener that added it
/// first is not an error.
async fn add_column(
    pool: &SqlitePool,
    table: &str,
    column: &str,
    definition: &str,
) -> Result<(), StoreError> {
    let exists: Option<(String,)> =
        sqlx::query_as("SELECT name FROM pragma_table_info(?) WHERE name = ?")
            .bind(table)
            .bind(column)
            .fetch_optional(pool)
            .await?;
    if exists.is_some() {
        return Ok(());
    }
    let sql = format!("ALTER TABLE {table} ADD COLUMN {column} {definition}");
    match sqlx::raw_sql(&sql).execute(pool).await {
        Ok(_) => Ok(()),
        Err(error) if error.to_string().contains("duplicate column") => Ok(()),
        Err(error) => Err(error.into()),
    }
}

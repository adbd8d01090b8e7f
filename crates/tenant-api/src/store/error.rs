//! `StoreError`, and the classification of every driver's failures into it (sqlx, rusqlite,
//! our PostgreSQL client). Only this module knows what a busy SQLite lock, a full disk, an exhausted sqlx
//! pool or a dropped PostgreSQL connection looks like; callers (the HTTP layer) see
//! [`StoreError::Unavailable`], [`StoreError::Busy`], [`StoreError::DiskFull`] and
//! [`StoreError::Conflict`].

use std::path::{Path, PathBuf};

use super::postgres::wire::PgError;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such row in this tenant (or for this owner).
    #[error("not found")]
    NotFound,
    /// The database cannot be reached, did not answer in time, or no connection could be had
    /// in time: try again shortly.
    #[error("database unavailable")]
    Unavailable,
    /// A lock held elsewhere outlasted the wait (SQLite `BUSY`/`LOCKED`).
    #[error("database busy")]
    Busy,
    /// SQLite could not grow the database (`SQLITE_FULL`: the disk, or a size limit, is full).
    /// The database still answers: reads go on, and writes succeed again once there is room.
    #[error("database or disk is full")]
    DiskFull,
    /// The write breaks a uniqueness constraint.
    #[error("conflicting row")]
    Conflict,
    /// The change would leave the tenant without an active admin (the membership rule, kept
    /// in the statement's own condition so no interleaving can break it on SQLite).
    #[error("the last active admin cannot be demoted, suspended or removed")]
    LastAdmin,
    /// The database failed otherwise; the cause is logged, never shown to clients.
    #[error("database error")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The SQLite database file cannot be used as it is (at start-up or by the check command).
    #[error("the database file {} {problem}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong with it, e.g. "is not a SQLite database".
        problem: &'static str,
        /// The driver's report.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// `DATABASE_URL` names an in-memory SQLite database.
    #[error("in-memory SQLite is not supported: DATABASE_URL must name a file")]
    InMemory,
    /// Applying migrations failed.
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::WorkerCrashed => {
                tracing::debug!(error = %err, "database unreachable");
                Self::Unavailable
            }
            // Connection exceptions (08…), shutting down or not yet accepting (57P0…), too many
            // connections (53300): the server is there but cannot serve now.
            sqlx::Error::Database(db)
                if db.code().is_some_and(|code| postgres_unavailable(&code)) =>
            {
                tracing::debug!(error = %db, "database cannot serve now");
                Self::Unavailable
            }
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict,
            sqlx::Error::Database(db)
                if matches!(
                    sqlite_primary_code(db.as_ref()),
                    Some(rusqlite::ffi::SQLITE_BUSY | rusqlite::ffi::SQLITE_LOCKED)
                ) =>
            {
                tracing::warn!(error = %db, "SQLite write timed out on a lock");
                Self::Busy
            }
            sqlx::Error::Database(db)
                if sqlite_primary_code(db.as_ref()) == Some(rusqlite::ffi::SQLITE_FULL) =>
            {
                Self::DiskFull
            }
            _ => Self::Database(Box::new(err)),
        }
    }
}

/// A connection URL that does not parse.
impl From<tokio_postgres::Error> for StoreError {
    fn from(err: tokio_postgres::Error) -> Self {
        Self::Database(Box::new(err))
    }
}

impl From<PgError> for StoreError {
    fn from(err: PgError) -> Self {
        match &err {
            PgError::Db(_) => {
                let code = err.code().unwrap_or_default();
                if postgres_unavailable(code) {
                    tracing::debug!(error = %err, "database cannot serve now");
                    return Self::Unavailable;
                }
                if code == UNIQUE_VIOLATION {
                    return Self::Conflict;
                }
                Self::Database(Box::new(err))
            }
            // A closed connection, or a socket error (connecting included): the server is not
            // reachable. Anything else (settings this client cannot follow, a value that does
            // not decode) is a database error.
            PgError::Io(_) | PgError::Closed => {
                tracing::debug!(error = %err, "database unreachable");
                Self::Unavailable
            }
            PgError::Protocol(_) | PgError::Config(_) | PgError::Value(_) => {
                Self::Database(Box::new(err))
            }
        }
    }
}

impl StoreError {
    /// Whether the error says the database is unreachable, hung or locked, rather than that
    /// the request was wrong: worth a 503 and a retry, and a sign to hold calls back for now.
    /// A full disk is not one: the database still reads, so reads must not be held back.
    pub(crate) fn is_outage(&self) -> bool {
        matches!(self, Self::Unavailable | Self::Busy)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        match &err {
            rusqlite::Error::SqliteFailure(failure, _)
                if matches!(
                    failure.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                tracing::warn!(error = %failure, "SQLite read timed out on a lock");
                Self::Busy
            }
            rusqlite::Error::SqliteFailure(failure, _)
                if failure.code == rusqlite::ErrorCode::DiskFull =>
            {
                Self::DiskFull
            }
            rusqlite::Error::SqliteFailure(failure, _)
                if failure.code == rusqlite::ErrorCode::ConstraintViolation
                    && matches!(
                        failure.extended_code,
                        rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                            | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                    ) =>
            {
                Self::Conflict
            }
            rusqlite::Error::SqliteFailure(failure, _)
                if matches!(
                    failure.code,
                    rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::SystemIoFailure
                ) =>
            {
                tracing::debug!(error = %failure, "SQLite file unreachable");
                Self::Unavailable
            }
            _ => Self::Database(Box::new(err)),
        }
    }
}

impl StoreError {
    /// `err`, from opening or migrating the SQLite file at `path`, as [`StoreError::File`] when
    /// it is about the file (not a database, damaged, unreadable…), so that the message names
    /// the file and what is wrong with it; any other failure as usual.
    pub(crate) fn in_file<E>(path: &Path, err: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
        StoreError: From<E>,
    {
        match file_problem(&err) {
            Some(problem) => Self::File {
                path: path.to_owned(),
                problem,
                source: Box::new(err),
            },
            None => err.into(),
        }
    }
}

/// What an error from opening a SQLite file, or anything in its chain of causes, says is wrong
/// with the file.
fn file_problem(err: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    let mut next = Some(err);
    while let Some(err) = next {
        let sqlite_code =
            if let Some(rusqlite::Error::SqliteFailure(failure, _)) = err.downcast_ref() {
                Some(failure.extended_code & 0xff)
            } else if let Some(sqlx::Error::Database(db)) = err.downcast_ref() {
                sqlite_primary_code(db.as_ref())
            } else {
                None
            };
        let problem = match (sqlite_code, err.downcast_ref::<std::io::Error>()) {
            (Some(code), _) => sqlite_file_problem(code),
            (None, Some(io)) => Some(io_file_problem(io.kind())),
            (None, None) => None,
        };
        if problem.is_some() {
            return problem;
        }
        next = err.source();
    }
    None
}

fn sqlite_file_problem(code: i32) -> Option<&'static str> {
    use rusqlite::ffi;
    Some(match code {
        ffi::SQLITE_NOTADB => "is not a SQLite database",
        ffi::SQLITE_CORRUPT => "is damaged (database disk image is malformed)",
        ffi::SQLITE_PERM | ffi::SQLITE_AUTH => "cannot be accessed (permission denied)",
        ffi::SQLITE_READONLY => "cannot be written (permission denied, or a read-only file system)",
        ffi::SQLITE_CANTOPEN => "cannot be opened (its folder is missing, or permission denied)",
        ffi::SQLITE_IOERR => "cannot be read or written (I/O error)",
        ffi::SQLITE_FULL => "cannot grow (database or disk is full)",
        _ => return None,
    })
}

fn io_file_problem(kind: std::io::ErrorKind) -> &'static str {
    match kind {
        std::io::ErrorKind::NotFound => "does not exist",
        std::io::ErrorKind::PermissionDenied => "cannot be accessed (permission denied)",
        std::io::ErrorKind::ReadOnlyFilesystem => "cannot be written (read-only file system)",
        _ => "cannot be read or written (I/O error)",
    }
}

/// Whether a PostgreSQL SQLSTATE says the server cannot serve now (rather than that the
/// statement was wrong).
/// PostgreSQL's SQLSTATE for a duplicate key.
const UNIQUE_VIOLATION: &str = "23505";

fn postgres_unavailable(code: &str) -> bool {
    code.starts_with("08") || code.starts_with("57P0") || code == "53300"
}

/// The primary result code of a sqlx SQLite error (extended codes carry it in the low byte);
/// `None` for other drivers.
fn sqlite_primary_code(err: &dyn sqlx::error::DatabaseError) -> Option<i32> {
    err.try_downcast_ref::<sqlx::sqlite::SqliteError>()?;
    err.code()
        .and_then(|code| code.parse::<i32>().ok())
        .map(|code| code & 0xff)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::wire::Connection;

    fn sqlite_failure(code: std::ffi::c_int) -> StoreError {
        StoreError::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            None,
        ))
    }

    #[test]
    fn a_locked_sqlite_read_is_busy_and_other_failures_are_database_errors() {
        assert!(matches!(
            sqlite_failure(rusqlite::ffi::SQLITE_BUSY),
            StoreError::Busy
        ));
        assert!(matches!(
            sqlite_failure(rusqlite::ffi::SQLITE_LOCKED),
            StoreError::Busy
        ));
        assert!(matches!(
            sqlite_failure(rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE),
            StoreError::Conflict
        ));
        assert!(matches!(
            sqlite_failure(rusqlite::ffi::SQLITE_CORRUPT),
            StoreError::Database(_)
        ));
    }

    #[test]
    fn a_full_disk_is_its_own_error_and_not_an_outage() {
        let full = sqlite_failure(rusqlite::ffi::SQLITE_FULL);
        assert!(matches!(full, StoreError::DiskFull));
        assert!(!full.is_outage());
    }

    #[test]
    fn a_file_that_is_not_a_database_damaged_or_unreadable_is_named_with_its_problem() {
        let path = Path::new("/data/tenant-api.db");
        let cases = [
            (rusqlite::ffi::SQLITE_NOTADB, "is not a SQLite database"),
            (rusqlite::ffi::SQLITE_CORRUPT, "malformed"),
            (rusqlite::ffi::SQLITE_CANTOPEN, "permission denied"),
            (rusqlite::ffi::SQLITE_READONLY, "permission denied"),
        ];
        for (code, problem) in cases {
            let err = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
            let message = StoreError::in_file(path, err).to_string();
            assert!(message.contains("/data/tenant-api.db"), "{message}");
            assert!(message.contains(problem), "{code}: {message}");
        }
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let message = StoreError::in_file(path, sqlx::Error::Io(denied)).to_string();
        assert!(message.contains("/data/tenant-api.db cannot be accessed (permission denied)"));
        // A lock held elsewhere is not the file's fault.
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        assert!(matches!(StoreError::in_file(path, busy), StoreError::Busy));
    }

    #[test]
    fn an_exhausted_pool_is_unavailable() {
        assert!(matches!(
            StoreError::from(sqlx::Error::PoolTimedOut),
            StoreError::Unavailable
        ));
        assert!(matches!(
            StoreError::from(sqlx::Error::RowNotFound),
            StoreError::Database(_)
        ));
    }

    #[tokio::test]
    async fn a_refused_postgres_connection_is_unavailable_and_a_bad_url_is_not() {
        // Nothing listens on loopback's discard port: the connection is refused.
        let config = "host=127.0.0.1 port=9 user=x connect_timeout=5"
            .parse::<tokio_postgres::Config>()
            .unwrap();
        let refused = Connection::connect(&config).await.err().expect("refused");
        assert!(matches!(StoreError::from(refused), StoreError::Unavailable));
        let malformed = "postgres://[::1"
            .parse::<tokio_postgres::Config>()
            .unwrap_err();
        assert!(matches!(
            StoreError::from(malformed),
            StoreError::Database(_)
        ));
    }
}

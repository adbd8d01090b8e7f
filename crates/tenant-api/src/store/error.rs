//! `StoreError`, and the classification of both drivers' failures into it. Only this module
//! knows what a busy SQLite lock or an exhausted sqlx pool looks like; callers (the HTTP layer)
//! see [`StoreError::Unavailable`], [`StoreError::Busy`] and [`StoreError::Conflict`].

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
            sqlx::Error::Database(db) if sqlite_busy_code(db.as_ref()) => {
                tracing::warn!(error = %db, "SQLite write timed out on a lock");
                Self::Busy
            }
            _ => Self::Database(Box::new(err)),
        }
    }
}

impl StoreError {
    /// Whether the error says the database is unreachable, hung or locked, rather than that
    /// the request was wrong: worth a 503 and a retry, and a sign to hold calls back for now.
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

/// Whether a PostgreSQL SQLSTATE says the server cannot serve now (rather than that the
/// statement was wrong).
fn postgres_unavailable(code: &str) -> bool {
    code.starts_with("08") || code.starts_with("57P0") || code == "53300"
}

/// Whether a sqlx database error is SQLite's `BUSY` or `LOCKED` (extended codes included).
fn sqlite_busy_code(err: &dyn sqlx::error::DatabaseError) -> bool {
    if err
        .try_downcast_ref::<sqlx::sqlite::SqliteError>()
        .is_none()
    {
        return false;
    }
    let primary = err
        .code()
        .and_then(|code| code.parse::<i32>().ok())
        .map(|code| code & 0xff);
    matches!(
        primary,
        Some(rusqlite::ffi::SQLITE_BUSY | rusqlite::ffi::SQLITE_LOCKED)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

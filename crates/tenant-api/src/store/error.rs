//! `StoreError`, and the classification of both drivers' failures into it. Only this module
//! knows what a busy SQLite lock or an exhausted sqlx pool looks like; callers (the HTTP layer)
//! see [`StoreError::Unavailable`], [`StoreError::Busy`] and [`StoreError::Conflict`].

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such row in this tenant (or for this owner).
    #[error("not found")]
    NotFound,
    /// No connection could be had in time (the pool is exhausted): try again shortly.
    #[error("database unavailable")]
    Unavailable,
    /// A lock held elsewhere outlasted the wait (SQLite `BUSY`/`LOCKED`).
    #[error("database busy")]
    Busy,
    /// The write breaks a uniqueness constraint.
    #[error("conflicting row")]
    Conflict,
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
            sqlx::Error::PoolTimedOut => {
                tracing::warn!("database pool exhausted");
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
            _ => Self::Database(Box::new(err)),
        }
    }
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

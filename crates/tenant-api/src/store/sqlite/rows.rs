//! Running the shared SQL on rusqlite, and column values as SQLite stores them.
//!
//! The SQL numbers its parameters (`$1`…) in the order PostgreSQL binds them, which is not
//! always the order they appear in, so writes bind them by name.

use rusqlite::types::{FromSqlError, Type};
use rusqlite::{Connection, Row};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::store::{returned, StoreError};

/// Runs a one-row `RETURNING` write to completion (see `store::returned`): its row.
pub(super) fn returning<T>(
    connection: &Connection,
    sql: &str,
    params: &[(&str, &dyn rusqlite::ToSql)],
    row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<T, StoreError> {
    let mut statement = connection.prepare_cached(sql)?;
    let rows = statement.query_map(params, row)?;
    returned(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Runs a statement without rows to completion: rows changed.
pub(super) fn execute(
    connection: &Connection,
    sql: &str,
    params: &[(&str, &dyn rusqlite::ToSql)],
) -> Result<u64, StoreError> {
    let changed = connection.prepare_cached(sql)?.execute(params)?;
    Ok(u64::try_from(changed).unwrap_or(u64::MAX))
}

/// A timestamp as stored: RFC 3339 text, as sqlx writes `OffsetDateTime` (the migrations' own
/// rows) and [`timestamp`] parses it.
pub(super) fn stamp(at: OffsetDateTime) -> Result<String, StoreError> {
    at.format(&Rfc3339)
        .map_err(|e| StoreError::Database(Box::new(e)))
}

/// A timestamp column, stored as RFC 3339 text.
pub(super) fn timestamp(row: &Row<'_>, column: usize) -> rusqlite::Result<OffsetDateTime> {
    let text = row
        .get_ref(column)?
        .as_str()
        .map_err(|e| from_sql(column, e))?;
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|_| invalid(column, Type::Text, "stored timestamp is not valid"))
}

fn from_sql(column: usize, err: FromSqlError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, Type::Text, Box::new(err))
}

/// A stored value the domain refuses: the row is corrupt.
pub(super) fn invalid(column: usize, kind: Type, what: &'static str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, kind, what.into())
}

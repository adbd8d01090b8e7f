//! Rows as the server sent them (binary format), decoded column by column on demand.

use std::ops::Range;
use std::sync::Arc;

use fallible_iterator::FallibleIterator;
use postgres_protocol::message::backend::DataRowBody;
use postgres_types::{FromSql, Type};

use super::PgError;

/// A column of a statement's result: its name and type.
#[derive(Debug)]
pub(crate) struct Column {
    pub(super) name: String,
    pub(super) ty: Type,
}

/// One row of a result.
pub(crate) struct Row {
    columns: Arc<[Column]>,
    body: DataRowBody,
    /// Where each column's value lies in `body`; `None` for NULL.
    values: Vec<Option<Range<usize>>>,
}

impl Row {
    /// A `DataRow` of a statement whose result has `columns`.
    pub(super) fn new(columns: Arc<[Column]>, body: DataRowBody) -> Result<Self, PgError> {
        let values: Vec<_> = body.ranges().collect()?;
        if values.len() != columns.len() {
            return Err(PgError::Protocol(format!(
                "a row of {} values for {} columns",
                values.len(),
                columns.len()
            )));
        }
        Ok(Self {
            columns,
            body,
            values,
        })
    }

    /// The value of the column `name` as a `T`; an error if there is no such column or its
    /// type does not convert to `T` (NULL converts only to an `Option`).
    pub(crate) fn try_get<'a, T: FromSql<'a>>(&'a self, name: &str) -> Result<T, PgError> {
        let index = self
            .columns
            .iter()
            .position(|column| column.name == name)
            .ok_or_else(|| PgError::Value(format!("no column {name}")))?;
        let ty = &self.columns[index].ty;
        if !T::accepts(ty) {
            return Err(PgError::Value(format!(
                "column {name} of type {ty} is not a {}",
                std::any::type_name::<T>()
            )));
        }
        let raw = self.values[index]
            .clone()
            .map(|range| &self.body.buffer()[range]);
        T::from_sql_nullable(ty, raw).map_err(|err| PgError::Value(format!("column {name}: {err}")))
    }

    /// [`Self::try_get`], for the PostgreSQL tests: panics on an error.
    #[cfg(all(test, feature = "postgres-tests"))]
    pub(crate) fn get<'a, T: FromSql<'a>>(&'a self, name: &str) -> T {
        self.try_get(name)
            .unwrap_or_else(|err| panic!("column {name}: {err}"))
    }
}

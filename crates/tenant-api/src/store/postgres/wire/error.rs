//! What can go wrong on a connection: the server refused a statement ([`DbError`]), the socket
//! failed or closed, or the conversation went somewhere this client does not follow.

use std::fmt;
use std::io;

use fallible_iterator::FallibleIterator;
use postgres_protocol::message::backend::ErrorResponseBody;

/// An error of a PostgreSQL connection.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PgError {
    /// The server refused a statement (the connection stays usable) or the session (it does
    /// not: a refused login, an administrator's termination).
    #[error("{0}")]
    Db(DbError),
    /// Reading or writing the socket failed (connecting included).
    #[error("PostgreSQL connection failed: {0}")]
    Io(#[from] io::Error),
    /// The server closed the connection.
    #[error("PostgreSQL closed the connection")]
    Closed,
    /// The server sent what the protocol does not allow here.
    #[error("PostgreSQL protocol: {0}")]
    Protocol(String),
    /// The connection settings ask for what this client does not do (TLS, an unknown
    /// authentication method, a missing user).
    #[error("PostgreSQL connection settings: {0}")]
    Config(String),
    /// A parameter does not encode as its column's type, or a value does not decode as the
    /// Rust type asked for.
    #[error("PostgreSQL value: {0}")]
    Value(String),
}

impl PgError {
    /// The SQLSTATE the server answered with, if it refused something.
    pub(crate) fn code(&self) -> Option<&str> {
        match self {
            Self::Db(db) => Some(&db.code),
            _ => None,
        }
    }
}

/// A statement or session the server refused: its SQLSTATE and message (for logs only: a
/// response never carries it).
#[derive(Debug)]
pub(crate) struct DbError {
    severity: String,
    code: String,
    message: String,
    constraint: Option<String>,
}

impl DbError {
    /// The fields of an `ErrorResponse`.
    pub(super) fn parse(body: &ErrorResponseBody) -> io::Result<Self> {
        let mut error = Self {
            severity: String::new(),
            code: String::new(),
            message: String::new(),
            constraint: None,
        };
        let mut fields = body.fields();
        while let Some(field) = fields.next()? {
            let value = String::from_utf8_lossy(field.value_bytes()).into_owned();
            match field.type_() {
                b'V' => error.severity = value,
                b'S' if error.severity.is_empty() => error.severity = value,
                b'C' => error.code = value,
                b'M' => error.message = value,
                b'n' => error.constraint = Some(value),
                _ => {}
            }
        }
        Ok(error)
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.severity, self.message, self.code)?;
        if let Some(constraint) = &self.constraint {
            write!(f, " on constraint {constraint}")?;
        }
        Ok(())
    }
}

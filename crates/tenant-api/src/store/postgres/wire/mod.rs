//! A PostgreSQL client of our own, for the request path: one connection speaks the extended
//! query protocol directly on its socket, in the task of the call that holds it.
//!
//! What it is for: a tenant statement and the tenant setting before it go out as one write,
//! `Bind`/`Execute` twice and **one `Sync`**, and come back as one read. Between two `Sync`s
//! the server runs everything in one implicit transaction: committed at the `Sync` if all
//! succeeded, rolled back if anything failed, and after an error it skips every message up to
//! the `Sync`, so the statement never runs unless the setting before it did. No `BEGIN`, no
//! `COMMIT`, one `ReadyForQuery`: a general-purpose client (tokio-postgres, sqlx) ends every
//! statement with its own `Sync`, so the same transaction costs it two more statements and
//! three more answers (see `docs/postgres.md`).
//!
//! What it does: sessions over TCP or a Unix socket with trust, password, MD5 or
//! SCRAM-SHA-256 authentication ([`startup`]); statements prepared once per connection
//! ([`Connection::statement`]), binary parameters and results decoded by `postgres-types`
//! ([`Row`]). What it does not: TLS (the URL's `sslmode` must allow plain), `COPY`,
//! notifications, cancellation (the availability budget drops a connection instead).

mod error;
mod row;
mod startup;

use std::collections::HashMap;
use std::io;
use std::sync::Arc;

use bytes::BytesMut;
use fallible_iterator::FallibleIterator;
use postgres_protocol::message::backend::Message;
use postgres_protocol::message::frontend;
use postgres_types::{ToSql, Type};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UnixStream};

pub(crate) use error::{DbError, PgError};
pub(crate) use row::{Column, Row};

/// A parameter list of a statement.
pub(crate) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// Every value goes both ways in PostgreSQL's binary format.
const BINARY: i16 = 1;

/// A statement prepared on one connection: its server-side name, its parameters' types and
/// its result's columns.
pub(crate) struct Statement {
    name: String,
    params: Vec<Type>,
    columns: Arc<[Column]>,
}

/// What the last statement of a transaction returned: its rows, and the rows it affected.
pub(crate) struct Done {
    pub(crate) rows: Vec<Row>,
    pub(crate) affected: u64,
}

/// The socket of a connection.
enum Socket {
    Tcp(TcpStream),
    Unix(UnixStream),
}

/// One session with the server: its socket, its buffers and its prepared statements. It
/// serves one call at a time; dropping it closes the socket (the server then rolls back
/// whatever was open).
pub(crate) struct Connection {
    socket: Socket,
    /// Bytes read and not yet parsed into messages.
    read: BytesMut,
    /// Messages encoded and not yet written.
    write: BytesMut,
    /// Each SQL text is prepared once per connection, under a name of its own.
    statements: HashMap<&'static str, Arc<Statement>>,
    /// The conversation went wrong mid-way (a socket error, a message out of place, a call
    /// dropped before its answers were read): the connection must not serve another call.
    broken: bool,
}

impl Connection {
    /// Opens a session as `config` says (see [`startup`]).
    pub(crate) async fn connect(config: &tokio_postgres::Config) -> Result<Self, PgError> {
        startup::connect(config).await
    }

    fn new(socket: Socket) -> Self {
        Self {
            socket,
            read: BytesMut::with_capacity(8 * 1024),
            write: BytesMut::with_capacity(1024),
            statements: HashMap::new(),
            broken: false,
        }
    }

    /// `sql` as a statement prepared on this connection: one round trip the first time
    /// (`Parse`, `Describe`, `Sync`), none after.
    pub(crate) async fn statement(&mut self, sql: &'static str) -> Result<Arc<Statement>, PgError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(Arc::clone(statement));
        }
        let name = format!("s{}", self.statements.len());
        frontend::parse(&name, sql, std::iter::empty(), &mut self.write)?;
        frontend::describe(b'S', &name, &mut self.write)?;
        frontend::sync(&mut self.write);
        self.broken = true;
        let described = self.description().await;
        self.broken = !settled(&described);
        let (params, columns) = described?;
        let statement = Arc::new(Statement {
            name,
            params,
            columns: columns.into(),
        });
        self.statements.insert(sql, Arc::clone(&statement));
        Ok(statement)
    }

    /// Sends what [`Self::statement`] encoded and reads the server's description of it.
    async fn description(&mut self) -> Result<(Vec<Type>, Vec<Column>), PgError> {
        self.flush().await?;
        let mut params = Vec::new();
        let mut columns = Vec::new();
        let mut refused = None;
        loop {
            match self.message().await? {
                Message::ParseComplete | Message::NoData => {}
                Message::ParameterDescription(body) => {
                    let oids: Vec<u32> = body.parameters().collect()?;
                    params = oids.into_iter().map(known_type).collect::<Result<_, _>>()?;
                }
                Message::RowDescription(body) => {
                    let mut fields = body.fields();
                    while let Some(field) = fields.next()? {
                        columns.push(Column {
                            name: field.name().to_owned(),
                            ty: known_type(field.type_oid())?,
                        });
                    }
                }
                Message::ErrorResponse(body) => refused = Some(DbError::parse(&body)?),
                Message::ReadyForQuery(body) => {
                    idle(body.status())?;
                    break;
                }
                other => ignore_or_fail(&other)?,
            }
        }
        match refused {
            Some(refused) => Err(PgError::Db(refused)),
            None => Ok((params, columns)),
        }
    }

    /// Runs `steps` in order as one transaction, in one write and one round trip: each
    /// statement's `Bind` and `Execute`, then one `Sync`. The server commits at the `Sync` if
    /// every step succeeded; at the first error it skips the steps after it and rolls back,
    /// and that error is the answer. The rows and count are the last step's.
    pub(crate) async fn transaction(
        &mut self,
        steps: &[(&Statement, Params<'_>)],
    ) -> Result<Done, PgError> {
        for (statement, params) in steps {
            if let Err(err) = bind(statement, params, &mut self.write) {
                // Nothing was sent: the connection is as it was.
                self.write.clear();
                return Err(err);
            }
            frontend::execute("", 0, &mut self.write)?;
        }
        frontend::sync(&mut self.write);
        let last = steps.len().saturating_sub(1);
        let columns = steps
            .last()
            .map(|(statement, _)| Arc::clone(&statement.columns));
        self.broken = true;
        let done = self.answers(last, columns).await;
        self.broken = !settled(&done);
        done
    }

    /// Sends what [`Self::transaction`] encoded and reads the answers up to the `Sync`'s:
    /// the rows and count of step `last` (whose result has `columns`), or the first error.
    async fn answers(
        &mut self,
        last: usize,
        columns: Option<Arc<[Column]>>,
    ) -> Result<Done, PgError> {
        self.flush().await?;
        let mut step = 0;
        let mut done = Done {
            rows: Vec::new(),
            affected: 0,
        };
        let mut refused = None;
        loop {
            match self.message().await? {
                Message::BindComplete => {}
                Message::DataRow(body) if step == last => {
                    let columns = columns.clone().ok_or_else(|| unexpected("a row"))?;
                    done.rows.push(Row::new(columns, body)?);
                }
                Message::DataRow(_) => {}
                Message::CommandComplete(body) => {
                    if step == last {
                        done.affected = affected(body.tag()?);
                    }
                    step += 1;
                }
                Message::EmptyQueryResponse => step += 1,
                Message::ErrorResponse(body) => refused = Some(DbError::parse(&body)?),
                Message::ReadyForQuery(body) => {
                    idle(body.status())?;
                    break;
                }
                other => ignore_or_fail(&other)?,
            }
        }
        match refused {
            Some(refused) => Err(PgError::Db(refused)),
            None => Ok(done),
        }
    }

    /// Whether the connection may go back to its pool: its last exchange ended where the
    /// next can start.
    pub(crate) fn is_reusable(&self) -> bool {
        !self.broken
    }

    /// Whether the connection can serve another call: nothing went wrong in the last one,
    /// and nothing arrived while it sat idle (a healthy idle session receives nothing; a
    /// session the server ended receives its last error and the end of the stream).
    pub(crate) fn is_open(&self) -> bool {
        if self.broken || !self.read.is_empty() {
            return false;
        }
        let mut probe = [0_u8; 1];
        let peeked = match &self.socket {
            Socket::Tcp(stream) => stream.try_read(&mut probe),
            Socket::Unix(stream) => stream.try_read(&mut probe),
        };
        matches!(peeked, Err(err) if err.kind() == io::ErrorKind::WouldBlock)
    }

    /// Writes every encoded message.
    async fn flush(&mut self) -> Result<(), PgError> {
        let written = match &mut self.socket {
            Socket::Tcp(stream) => stream.write_all(&self.write).await,
            Socket::Unix(stream) => stream.write_all(&self.write).await,
        };
        self.write.clear();
        written.map_err(PgError::from)
    }

    /// The next message from the server, reading the socket as needed.
    async fn message(&mut self) -> Result<Message, PgError> {
        loop {
            if let Some(message) = Message::parse(&mut self.read)? {
                return Ok(message);
            }
            let read = match &mut self.socket {
                Socket::Tcp(stream) => stream.read_buf(&mut self.read).await,
                Socket::Unix(stream) => stream.read_buf(&mut self.read).await,
            }?;
            if read == 0 {
                return Err(PgError::Closed);
            }
        }
    }
}

/// `Bind` of `statement` with `params` (unnamed portal, binary values both ways).
fn bind(statement: &Statement, params: Params<'_>, buf: &mut BytesMut) -> Result<(), PgError> {
    if params.len() != statement.params.len() {
        return Err(PgError::Value(format!(
            "{} parameters given for a statement of {}",
            params.len(),
            statement.params.len()
        )));
    }
    let values = params.iter().zip(&statement.params);
    frontend::bind(
        "",
        &statement.name,
        std::iter::repeat_n(BINARY, params.len()),
        values,
        |(value, ty), buf| {
            Ok(match value.to_sql_checked(ty, buf)? {
                postgres_types::IsNull::Yes => postgres_protocol::IsNull::Yes,
                postgres_types::IsNull::No => postgres_protocol::IsNull::No,
            })
        },
        [BINARY],
        buf,
    )
    .map_err(|err| match err {
        frontend::BindError::Conversion(err) => PgError::Value(err.to_string()),
        frontend::BindError::Serialization(err) => PgError::Io(err),
    })
}

/// The type of `oid`, if it is one of PostgreSQL's own.
fn known_type(oid: u32) -> Result<Type, PgError> {
    Type::from_oid(oid)
        .ok_or_else(|| PgError::Value(format!("type {oid} is not a built-in PostgreSQL type")))
}

/// The rows a command tag counts (`INSERT 0 1`, `UPDATE 2`, `SELECT 3`); 0 if none.
fn affected(tag: &str) -> u64 {
    tag.rsplit(' ')
        .next()
        .and_then(|count| count.parse().ok())
        .unwrap_or(0)
}

/// A `ReadyForQuery` must find the session idle: no statement of ours opens a transaction
/// block, so any other status means the connection is not what this client thinks.
fn idle(status: u8) -> Result<(), PgError> {
    if status == b'I' {
        Ok(())
    } else {
        Err(PgError::Protocol(format!(
            "the session is not idle after a Sync (status {})",
            char::from(status)
        )))
    }
}

/// Messages the server may send at any time are passed over; any other is out of place.
fn ignore_or_fail(message: &Message) -> Result<(), PgError> {
    match message {
        Message::NoticeResponse(_)
        | Message::ParameterStatus(_)
        | Message::NotificationResponse(_) => Ok(()),
        _ => Err(unexpected("message")),
    }
}

/// Whether an exchange ended where the next one can start: answered, or refused by the
/// server (which then waits for the next `Sync`'s messages, the session idle). Anything
/// else (a socket error, a message out of place) leaves the conversation mid-way.
fn settled<T>(outcome: &Result<T, PgError>) -> bool {
    matches!(outcome, Ok(_) | Err(PgError::Db(_)))
}

fn unexpected(what: &str) -> PgError {
    PgError::Protocol(format!("unexpected {what}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_command_tag_gives_the_rows_it_counts() {
        assert_eq!(affected("INSERT 0 1"), 1);
        assert_eq!(affected("UPDATE 12"), 12);
        assert_eq!(affected("DELETE 0"), 0);
        assert_eq!(affected("SELECT 3"), 3);
        assert_eq!(affected("SET"), 0);
    }

    #[tokio::test]
    async fn settings_this_client_cannot_follow_are_refused_before_any_connection() {
        for (url, named) in [
            ("host=127.0.0.1 port=9 user=x sslmode=require", "sslmode"),
            ("host=127.0.0.1 port=9", "user"),
        ] {
            let config: tokio_postgres::Config = url.parse().unwrap();
            let Err(PgError::Config(message)) = Connection::connect(&config).await else {
                panic!("{url} must be refused as a setting");
            };
            assert!(message.contains(named), "{message}");
        }
    }

    #[test]
    fn a_parameter_list_of_the_wrong_length_or_type_is_refused_before_it_is_sent() {
        let statement = Statement {
            name: "s0".into(),
            params: vec![Type::INT8],
            columns: Arc::from(Vec::new()),
        };
        let mut buf = BytesMut::new();
        assert!(matches!(
            bind(&statement, &[], &mut buf),
            Err(PgError::Value(_))
        ));
        assert!(matches!(
            bind(&statement, &[&"not a number"], &mut buf),
            Err(PgError::Value(_))
        ));
        bind(&statement, &[&7_i64], &mut buf).unwrap();
        assert_eq!(buf[0], b'B');
    }
}

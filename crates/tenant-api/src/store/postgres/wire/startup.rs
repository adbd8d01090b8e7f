//! Opening a session: the socket (TCP or a Unix socket, the first host that answers), the
//! startup message and authentication (trust, password, MD5 or SCRAM-SHA-256), up to the
//! server's first `ReadyForQuery`.

use std::time::Duration;

use fallible_iterator::FallibleIterator;
use postgres_protocol::authentication::md5_hash;
use postgres_protocol::authentication::sasl::{ChannelBinding, ScramSha256, SCRAM_SHA_256};
use postgres_protocol::message::backend::Message;
use postgres_protocol::message::frontend;
use tokio::net::{TcpStream, UnixStream};
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::Config;

use super::{Connection, DbError, PgError, Socket};

/// The port when the URL names none.
const DEFAULT_PORT: u16 = 5432;

/// A session on the first of `config`'s hosts that accepts one, ready for statements.
pub(super) async fn connect(config: &Config) -> Result<Connection, PgError> {
    match config.get_ssl_mode() {
        SslMode::Disable | SslMode::Prefer => {}
        _ => {
            return Err(PgError::Config(
                "sslmode asks for TLS, which this service does not speak to PostgreSQL; \
                 use sslmode=disable or prefer (or a TLS proxy on the database's host)"
                    .into(),
            ))
        }
    }
    let user = config
        .get_user()
        .ok_or_else(|| PgError::Config("the URL names no user".into()))?;
    let hosts = config.get_hosts();
    if hosts.is_empty() {
        return Err(PgError::Config("the URL names no host".into()));
    }
    let mut last = None;
    for (index, host) in hosts.iter().enumerate() {
        let port = config
            .get_ports()
            .get(index)
            .or_else(|| config.get_ports().first())
            .copied()
            .unwrap_or(DEFAULT_PORT);
        match open(host, port, config.get_connect_timeout()).await {
            Ok(socket) => {
                let mut conn = Connection::new(socket);
                start(&mut conn, config, user).await?;
                return Ok(conn);
            }
            Err(err) => last = Some(err),
        }
    }
    Err(last.unwrap_or(PgError::Closed))
}

/// The socket to `host` at `port`, within `timeout` if one is set.
async fn open(host: &Host, port: u16, timeout: Option<&Duration>) -> Result<Socket, PgError> {
    let opening = async {
        match host {
            Host::Tcp(name) => {
                let stream = TcpStream::connect((name.as_str(), port)).await?;
                // Requests are written whole; waiting to coalesce them only adds latency.
                stream.set_nodelay(true)?;
                Ok(Socket::Tcp(stream))
            }
            Host::Unix(dir) => Ok(Socket::Unix(
                UnixStream::connect(dir.join(format!(".s.PGSQL.{port}"))).await?,
            )),
        }
    };
    match timeout {
        Some(limit) => tokio::time::timeout(*limit, opening)
            .await
            .map_err(|_| PgError::Io(std::io::ErrorKind::TimedOut.into()))?,
        None => opening.await,
    }
}

/// The startup message, authentication, and the server's parameters up to `ReadyForQuery`.
async fn start(conn: &mut Connection, config: &Config, user: &str) -> Result<(), PgError> {
    let mut params = vec![("user", user), ("client_encoding", "UTF8")];
    if let Some(dbname) = config.get_dbname() {
        params.push(("database", dbname));
    }
    if let Some(name) = config.get_application_name() {
        params.push(("application_name", name));
    }
    if let Some(options) = config.get_options() {
        params.push(("options", options));
    }
    frontend::startup_message(params, &mut conn.write)?;
    conn.flush().await?;

    let password = config.get_password();
    let mut scram = None;
    loop {
        match conn.message().await? {
            Message::AuthenticationOk => {}
            Message::AuthenticationCleartextPassword => {
                frontend::password_message(needed(password)?, &mut conn.write)?;
                conn.flush().await?;
            }
            Message::AuthenticationMd5Password(body) => {
                let hash = md5_hash(user.as_bytes(), needed(password)?, body.salt());
                frontend::password_message(hash.as_bytes(), &mut conn.write)?;
                conn.flush().await?;
            }
            Message::AuthenticationSasl(body) => {
                let mut offered = body.mechanisms();
                let mut scram_offered = false;
                while let Some(mechanism) = offered.next()? {
                    scram_offered |= mechanism == SCRAM_SHA_256;
                }
                if !scram_offered {
                    return Err(PgError::Config(
                        "the server offers no SASL mechanism but SCRAM-SHA-256-PLUS, which needs TLS"
                            .into(),
                    ));
                }
                let exchange = ScramSha256::new(needed(password)?, ChannelBinding::unsupported());
                frontend::sasl_initial_response(
                    SCRAM_SHA_256,
                    exchange.message(),
                    &mut conn.write,
                )?;
                conn.flush().await?;
                scram = Some(exchange);
            }
            Message::AuthenticationSaslContinue(body) => {
                let exchange = scram.as_mut().ok_or_else(|| unexpected("SASL continue"))?;
                exchange.update(body.data())?;
                frontend::sasl_response(exchange.message(), &mut conn.write)?;
                conn.flush().await?;
            }
            Message::AuthenticationSaslFinal(body) => {
                let exchange = scram.as_mut().ok_or_else(|| unexpected("SASL final"))?;
                // Proves the server knew the password too.
                exchange.finish(body.data())?;
            }
            Message::AuthenticationKerberosV5
            | Message::AuthenticationScmCredential
            | Message::AuthenticationGss
            | Message::AuthenticationGssContinue(_)
            | Message::AuthenticationSspi => {
                return Err(PgError::Config(
                    "the server asks for an authentication method this service does not speak \
                     (it speaks password, md5 and scram-sha-256)"
                        .into(),
                ))
            }
            Message::ErrorResponse(body) => return Err(PgError::Db(DbError::parse(&body)?)),
            Message::ParameterStatus(_)
            | Message::BackendKeyData(_)
            | Message::NoticeResponse(_) => {}
            Message::ReadyForQuery(_) => return Ok(()),
            _ => return Err(unexpected("a message before the session was ready")),
        }
    }
}

/// The password, which the server asked for.
fn needed(password: Option<&[u8]>) -> Result<&[u8], PgError> {
    password.ok_or_else(|| {
        PgError::Config("the server asks for a password and the URL gives none".into())
    })
}

fn unexpected(what: &str) -> PgError {
    PgError::Protocol(format!("unexpected {what}"))
}

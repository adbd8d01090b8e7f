//! `tenant-api migrate --check`: whether the database is sound and fully migrated, found without
//! changing it. On SQLite, `PRAGMA integrity_check` over the whole file; on PostgreSQL, that the
//! server answers. On both, that every migration this build carries was applied, unchanged.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use super::StoreError;

/// What is checked of PostgreSQL besides migrations.
const CONNECTION: &str = "connection";

/// How long the check waits for PostgreSQL to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The problems a check found, if any.
#[derive(Debug)]
pub struct Checked {
    /// What was checked: the SQLite file, or the PostgreSQL server and database.
    pub target: String,
    /// Which checks ran, e.g. "integrity check".
    pub checks: &'static str,
    /// Migrations applied.
    pub applied: usize,
    /// Every problem found, one line each; empty when the database passes.
    pub problems: Vec<String>,
}

impl Checked {
    /// Whether the database passed.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the database `database_url` names (`sqlite:` or `postgres:`). A SQLite file that
/// cannot even be opened (missing, not a database, unreadable) is an error naming it.
pub async fn check(database_url: &str) -> Result<Checked, StoreError> {
    if database_url.starts_with("postgres") {
        check_postgres(database_url).await
    } else {
        check_sqlite(database_url).await
    }
}

async fn check_sqlite(url: &str) -> Result<Checked, StoreError> {
    if crate::config::is_in_memory_sqlite(url) {
        return Err(StoreError::InMemory);
    }
    let options = SqliteConnectOptions::from_str(url)?.create_if_missing(false);
    let path = options.get_filename().to_owned();
    let in_file = |err| StoreError::in_file(&path, err);
    // Opening a missing file would say only "unable to open database file".
    std::fs::metadata(&path).map_err(|e| in_file(sqlx::Error::Io(e)))?;
    let mut connection = options.connect().await.map_err(in_file)?;
    let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut connection)
        .await
        .map_err(in_file)?;
    // One row, "ok", when the file is sound; else a row per problem found.
    if problems == ["ok"] {
        problems.clear();
    }
    let table: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(&mut connection)
    .await
    .map_err(in_file)?;
    let applied = if table > 0 {
        sqlx::query_as(APPLIED)
            .fetch_all(&mut connection)
            .await
            .map_err(in_file)?
    } else {
        Vec::new()
    };
    problems.extend(migration_problems(
        &sqlx::migrate!("./migrations/sqlite"),
        &applied,
    ));
    let _ = connection.close().await;
    Ok(Checked {
        target: path.display().to_string(),
        checks: "integrity check",
        applied: applied.len(),
        problems,
    })
}

async fn check_postgres(url: &str) -> Result<Checked, StoreError> {
    let options = PgConnectOptions::from_str(url)?;
    // Never the password: host, port and database only.
    let target = format!(
        "PostgreSQL {}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or_default()
    );
    let connected = tokio::time::timeout(CONNECT_TIMEOUT, options.connect()).await;
    let mut connection = match connected {
        Ok(Ok(connection)) => connection,
        Ok(Err(err)) => return Ok(unreachable(target, &err.to_string())),
        Err(_) => return Ok(unreachable(target, "no answer within 10 s")),
    };
    let table: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(&mut connection)
        .await
        .map_err(|e| StoreError::Database(Box::new(e)))?;
    let applied = if table {
        sqlx::query_as(APPLIED)
            .fetch_all(&mut connection)
            .await
            .map_err(|e| StoreError::Database(Box::new(e)))?
    } else {
        Vec::new()
    };
    let problems = migration_problems(&sqlx::migrate!("./migrations/postgres"), &applied);
    let _ = connection.close().await;
    Ok(Checked {
        target,
        checks: CONNECTION,
        applied: applied.len(),
        problems,
    })
}

fn unreachable(target: String, reason: &str) -> Checked {
    Checked {
        target,
        checks: CONNECTION,
        applied: 0,
        problems: vec![format!("cannot connect: {reason}")],
    }
}

/// sqlx's record of the migrations run: version, checksum of the file run, and success.
const APPLIED: &str = "SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version";

/// What differs between the migrations this build carries and those `applied`.
fn migration_problems(known: &Migrator, applied: &[(i64, Vec<u8>, bool)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (version, _, success) in applied {
        if !success {
            problems.push(format!(
                "migration {version} failed part-way; the database needs repair"
            ));
        }
        if !known.version_exists(*version) {
            problems.push(format!(
                "migration {version} was applied but this build does not know it (a newer \
                 version of tenant-api migrated this database)"
            ));
        }
    }
    for migration in known.iter() {
        match applied
            .iter()
            .find(|(version, ..)| *version == migration.version)
        {
            None => problems.push(format!(
                "migration {} ({}) is not applied: run `tenant-api migrate`",
                migration.version, migration.description
            )),
            Some((_, checksum, _)) if checksum[..] != migration.checksum[..] => {
                problems.push(format!(
                    "migration {} ({}) was applied from a different file than this build's",
                    migration.version, migration.description
                ));
            }
            Some(_) => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_changed_failed_and_unknown_migrations_are_each_a_problem() {
        let known = sqlx::migrate!("./migrations/sqlite");
        let all: Vec<(i64, Vec<u8>, bool)> = known
            .iter()
            .map(|m| (m.version, m.checksum.to_vec(), true))
            .collect();
        assert!(migration_problems(&known, &all).is_empty());
        assert_eq!(migration_problems(&known, &[]).len(), all.len());

        let mut changed = all.clone();
        changed[0].1 = vec![0; 4];
        changed[1].2 = false;
        changed.push((99_999, vec![], true));
        let problems = migration_problems(&known, &changed);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("different file")));
        assert!(problems.iter().any(|p| p.contains("failed part-way")));
        assert!(problems.iter().any(|p| p.contains("does not know it")));
    }
}

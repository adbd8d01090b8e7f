//! `tenant-api migrate --check` on PostgreSQL: a reachable, migrated database passes; a database
//! not yet migrated and a server that does not answer fail, saying why.

use std::process::{Command, Output};

use crate::fresh_database;

fn tenant_api(database_url: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_tenant-api"))
        .args(args)
        .current_dir(dir.path())
        .env_clear()
        .env("DATA_DIR", dir.path())
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "debug")
        .output()
        .unwrap()
}

#[tokio::test]
async fn migrate_check_passes_on_a_migrated_database_and_fails_before_or_without_a_server() {
    let url = fresh_database().await;
    let fresh = tenant_api(&url, &["migrate", "--check"]);
    assert!(!fresh.status.success());
    let stdout = String::from_utf8_lossy(&fresh.stdout);
    assert!(
        stdout.contains("is not applied: run `tenant-api migrate`"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("tenant_api:tenant_api"),
        "password shown: {stdout}"
    );

    assert!(tenant_api(&url, &["migrate"]).status.success());
    let migrated = tenant_api(&url, &["migrate", "--check"]);
    let stdout = String::from_utf8_lossy(&migrated.stdout);
    assert!(migrated.status.success(), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("ok: PostgreSQL ")
            && stdout.contains(&format!(
                "(connection passed, {} migrations applied)",
                migration_count()
            )),
        "{stdout}"
    );

    let nobody = tenant_api(
        "postgres://u:secret@127.0.0.1:9/db",
        &["migrate", "--check"],
    );
    assert!(!nobody.status.success());
    let stdout = String::from_utf8_lossy(&nobody.stdout);
    assert!(stdout.contains("cannot connect"), "{stdout}");
    assert!(!stdout.contains("secret"), "{stdout}");
}

/// How many PostgreSQL migrations the binary carries (the files in `migrations/postgres`).
fn migration_count() -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("sql".as_ref()))
        .count()
}

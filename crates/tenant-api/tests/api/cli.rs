//! The binary: misconfiguration stops start-up naming the variable; user commands; migrate.

use std::process::Command;

use crate::helpers::tenant_api;

#[test]
fn the_binary_refuses_bad_configuration_naming_the_variable() {
    let cases = [
        ("TENANT_MODE", "cookie"),
        ("PORT", "http"),
        ("COGNITO_PREFERRED_TOKEN_USE", "refresh"),
        ("DATABASE_URL", "mysql://db"),
        ("WORKER_THREADS", "0"),
    ];
    for (name, value) in cases {
        let dir = tempfile::tempdir().unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_tenant-api"))
            .arg("migrate")
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATA_DIR", dir.path())
            .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .env(name, value)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{name}={value} was accepted");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
}

#[test]
fn migrate_succeeds_on_a_fresh_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tenant-api"))
        .arg("migrate")
        .current_dir(dir.path())
        .env_clear()
        .env("DATA_DIR", dir.path())
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("tenant-api.db").exists());
}

#[test]
fn env_example_parses_and_lists_every_variable_the_service_reads() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let example = root.join(".env.example");
    let pairs: Vec<(String, String)> = dotenvy::from_path_iter(&example)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tenant_api::Config::from_source(&tenant_api::config::EnvSource::from_pairs(pairs.clone()))
        .expect(".env.example is a valid configuration");

    let text = std::fs::read_to_string(&example).unwrap();
    let source = std::fs::read_to_string(root.join("crates/tenant-api/src/config/env.rs")).unwrap();
    let read: std::collections::BTreeSet<&str> = source
        .split('"')
        .filter(|s| s.len() > 2 && s.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .filter(|s| s.contains('_') || ["PORT", "DEBUG"].contains(s))
        .collect();
    assert!(read.len() > 20, "{read:?}");
    for name in read {
        assert!(
            text.contains(&format!("{name}=")),
            "{name} is read but not in .env.example"
        );
    }
}

#[test]
fn user_commands_work_on_the_embedded_pool_without_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let created = tenant_api(
        dir.path(),
        &[
            "users",
            "create",
            "--email",
            "cli@example.com",
            "--tenant",
            "acme",
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let stdout = String::from_utf8_lossy(&created.stdout);
    assert!(stdout.contains("temporary password: "), "{stdout}");
    // A command prints its result only: nothing about the identity provider it started.
    let said = format!("{stdout}{}", String::from_utf8_lossy(&created.stderr));
    assert!(!said.contains("listening"), "{said}");

    let moved = tenant_api(
        dir.path(),
        &[
            "users",
            "set-tenant",
            "--email",
            "cli@example.com",
            "--tenant",
            "globex",
        ],
    );
    assert!(
        moved.status.success(),
        "{}",
        String::from_utf8_lossy(&moved.stderr)
    );

    let listed = tenant_api(dir.path(), &["users", "list"]);
    let stdout = String::from_utf8_lossy(&listed.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("cli@example.com"))
        .expect("user listed");
    assert!(
        line.contains("globex") && line.contains("FORCE_CHANGE_PASSWORD"),
        "{line}"
    );

    let duplicate = tenant_api(
        dir.path(),
        &[
            "users",
            "create",
            "--email",
            "cli@example.com",
            "--tenant",
            "acme",
        ],
    );
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));

    let bad_tenant = tenant_api(
        dir.path(),
        &[
            "users",
            "create",
            "--email",
            "x@example.com",
            "--tenant",
            "../etc",
        ],
    );
    assert!(!bad_tenant.status.success());
    assert!(String::from_utf8_lossy(&bad_tenant.stderr).contains("--tenant"));
}

#[test]
fn tenants_are_started_with_an_admin_and_users_create_writes_the_membership() {
    let dir = tempfile::tempdir().unwrap();
    let started = tenant_api(
        dir.path(),
        &[
            "tenants",
            "create",
            "initech",
            "--admin",
            "Boss@Example.com",
        ],
    );
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    assert!(String::from_utf8_lossy(&started.stdout).contains("temporary password: "));
    let again = tenant_api(
        dir.path(),
        &[
            "tenants",
            "create",
            "initech",
            "--admin",
            "other@example.com",
        ],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has members"));

    let created = tenant_api(
        dir.path(),
        &[
            "users",
            "create",
            "--email",
            "worker@example.com",
            "--tenant",
            "initech",
        ],
    );
    assert!(created.status.success());

    let listed = tenant_api(dir.path(), &["tenants", "members", "initech"]);
    let stdout = String::from_utf8_lossy(&listed.stdout);
    let line = |email: &str| {
        stdout
            .lines()
            .find(|l| l.contains(email))
            .unwrap_or_else(|| panic!("{email} not listed: {stdout}"))
            .split_whitespace()
            .skip(2)
            .take(2)
            .collect::<Vec<_>>()
    };
    assert_eq!(line("boss@example.com"), ["admin", "active"]);
    assert_eq!(line("worker@example.com"), ["member", "active"]);
    assert!(!stdout.contains("other@example.com"));
    let other = tenant_api(dir.path(), &["tenants", "members", "globex"]);
    assert_eq!(
        String::from_utf8_lossy(&other.stdout).lines().count(),
        1,
        "header only"
    );
}

#[test]
fn tenants_sync_backfills_home_memberships_and_tenants_list_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = tenant_api(dir.path(), args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&[
        "tenants",
        "create",
        "initech",
        "--admin",
        "boss@example.com",
    ]);
    run(&[
        "users",
        "create",
        "--email",
        "worker@example.com",
        "--tenant",
        "initech",
    ]);
    // Moving a user's attribute writes no membership: the pool now says more than the database.
    run(&[
        "users",
        "set-tenant",
        "--email",
        "worker@example.com",
        "--tenant",
        "globex",
    ]);
    let members = |tenant: &str| run(&["tenants", "members", tenant]).lines().count() - 1;
    assert_eq!(members("globex"), 0);

    let dry = run(&[
        "tenants",
        "sync",
        "--dry-run",
        "--requests-per-second",
        "50",
    ]);
    assert!(
        dry.contains("2 users read: would write 1 memberships; 1 already had one"),
        "{dry}"
    );
    assert_eq!(members("globex"), 0, "a dry run writes nothing");

    let synced = run(&["tenants", "sync"]);
    assert!(
        synced.contains("2 users read: wrote 1 memberships; 1 already had one"),
        "{synced}"
    );
    let globex = run(&["tenants", "members", "globex"]);
    assert!(globex.contains("worker@example.com"), "{globex}");
    let again = run(&["tenants", "sync"]);
    assert!(
        again.contains("wrote 0 memberships; 2 already had one"),
        "{again}"
    );

    let listed = run(&["tenants", "list"]);
    let counts: Vec<(String, String)> = listed
        .lines()
        .skip(1)
        .map(|l| {
            let mut words = l.split_whitespace();
            (words.next().unwrap().into(), words.next().unwrap().into())
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("initech".into(), "2".into()),
            ("globex".into(), "1".into())
        ]
    );

    let bad = tenant_api(
        dir.path(),
        &["tenants", "sync", "--requests-per-second", "0"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--requests-per-second"));
}

/// How many migrations the binary carries for `backend` (the files in `migrations/<backend>`).
fn migration_count(backend: &str) -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("sql".as_ref()))
        .count()
}

/// A migrated database file in `dir` holding a few hundred items, checkpointed (no WAL left).
fn migrated_database_with_items(dir: &std::path::Path) -> std::path::PathBuf {
    let migrated = tenant_api(dir, &["migrate"]);
    assert!(migrated.status.success());
    let db = dir.join("tenant-api.db");
    let connection = rusqlite::Connection::open(&db).unwrap();
    connection
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
             INSERT INTO items (tenant_id, owner_sub, name, created_at, updated_at)
             SELECT 'acme', 'sub', 'item ' || i, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
             FROM n;
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
    drop(connection);
    db
}

/// Overwrites every page of `db` after the first (the schema) with the same garbage byte.
fn garble_after_the_first_page(db: &std::path::Path) {
    let mut bytes = std::fs::read(db).unwrap();
    assert!(bytes.len() > 8192);
    bytes[4096..].fill(0xa5);
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn start_up_on_a_garbled_truncated_or_damaged_database_names_the_file_and_the_problem() {
    fn garbage(db: &std::path::Path) {
        std::fs::write(db, [0x5a; 9000]).unwrap();
    }
    fn truncate(db: &std::path::Path) {
        let file = std::fs::OpenOptions::new().write(true).open(db).unwrap();
        file.set_len(10_000).unwrap();
    }
    type Spoil = fn(&std::path::Path);
    let cases: [(&str, Spoil, &str); 3] = [
        ("garbled", garbage, "is not a SQLite database"),
        (
            "truncated",
            truncate,
            "is damaged (database disk image is malformed)",
        ),
        (
            "damaged",
            garble_after_the_first_page,
            "is damaged (database disk image is malformed)",
        ),
    ];
    for (case, spoil, problem) in cases {
        let dir = tempfile::tempdir().unwrap();
        let db = migrated_database_with_items(dir.path());
        spoil(&db);
        let mut serve = Command::new(env!("CARGO_BIN_EXE_tenant-api"));
        serve
            .arg("serve")
            .current_dir(dir.path())
            .env_clear()
            .env("DATA_DIR", dir.path())
            .env("PORT", "0")
            .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .env("RUST_LOG", "warn");
        let output = serve.output().unwrap();
        assert!(!output.status.success(), "{case}: started");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let expected = format!("the database file {} {problem}", db.display());
        assert!(stderr.contains(&expected), "{case}: {stderr}");
        assert!(stderr.contains("DATABASE_URL"), "{case}: {stderr}");
    }
}

#[test]
fn migrate_check_passes_on_a_sound_database_and_fails_on_a_missing_or_corrupt_one() {
    // Sound: one line on stdout, and success.
    let dir = tempfile::tempdir().unwrap();
    let db = migrated_database_with_items(dir.path());
    // (Debug logging asked for: none of it may reach stdout.)
    let sound = Command::new(env!("CARGO_BIN_EXE_tenant-api"))
        .args(["migrate", "--check"])
        .current_dir(dir.path())
        .env_clear()
        .env("DATA_DIR", dir.path())
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&sound.stdout);
    assert!(sound.status.success(), "{stdout}");
    assert_eq!(
        stdout.trim_end(),
        format!(
            "ok: {} (integrity check passed, {} migrations applied)",
            db.display(),
            migration_count("sqlite")
        )
    );

    // An index that no longer matches its table: the integrity check's findings, and failure.
    let connection = rusqlite::Connection::open(&db).unwrap();
    connection
        .execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_master SET sql = 'CREATE INDEX items_tenant_page ON items \
                 (owner_sub, id, tenant_id, name, created_at, updated_at)'
             WHERE name = 'items_tenant_page';",
        )
        .unwrap();
    drop(connection);
    let inconsistent = tenant_api(dir.path(), &["migrate", "--check"]);
    assert!(!inconsistent.status.success());
    let stdout = String::from_utf8_lossy(&inconsistent.stdout);
    assert!(
        stdout.starts_with(&format!("FAILED: {}", db.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains("missing from index items_tenant_page"),
        "{stdout}"
    );

    // Damaged pages: the file and the problem named, and failure.
    garble_after_the_first_page(&db);
    let damaged = tenant_api(dir.path(), &["migrate", "--check"]);
    assert!(!damaged.status.success());
    let stderr = String::from_utf8_lossy(&damaged.stderr);
    assert!(
        stderr.contains(&format!("the database file {} is damaged", db.display())),
        "{stderr}"
    );

    // Missing, or not yet migrated: failure, and nothing created.
    let empty = tempfile::tempdir().unwrap();
    let missing = tenant_api(empty.path(), &["migrate", "--check"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does not exist"));
    assert!(!empty.path().join("tenant-api.db").exists());
    rusqlite::Connection::open(empty.path().join("tenant-api.db"))
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let unmigrated = tenant_api(empty.path(), &["migrate", "--check"]);
    assert!(!unmigrated.status.success());
    let stdout = String::from_utf8_lossy(&unmigrated.stdout);
    assert!(
        stdout.contains("is not applied: run `tenant-api migrate`"),
        "{stdout}"
    );
}

/// `tenant-api idp --api-host NAME`: the JSON API answers under that name and under loopback
/// names, and refuses any other `Host` (a DNS-rebinding page's).
#[tokio::test]
async fn the_idp_command_answers_its_json_api_under_the_named_hosts_only() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let dir = tempfile::tempdir().unwrap();
    let mut idp = Command::new(env!("CARGO_BIN_EXE_tenant-api"))
        .args(["idp", "--addr", "127.0.0.1:0", "--api-host", "idp.internal"])
        .current_dir(dir.path())
        .env_clear()
        .env("DATA_DIR", dir.path())
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Its log lines come first on standard output; then the lines it prints. The rest is
    // drained, so that its writes never meet a closed pipe.
    let mut lines = BufReader::new(idp.stdout.take().unwrap()).lines();
    let base = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("local-cognito listening on ")
                .map(str::to_owned)
        })
        .expect("the idp command names its address");
    std::thread::spawn(move || lines.for_each(drop));
    let port = base.rsplit(':').next().unwrap().to_owned();

    let client = reqwest::Client::new();
    let list_pools = |host: String| {
        client
            .post(&base)
            .header("Host", host)
            .header(
                "X-Amz-Target",
                "AWSCognitoIdentityProviderService.ListUserPools",
            )
            .header("Content-Type", "application/x-amz-json-1.1")
            .body(r#"{"MaxResults":10}"#)
            .send()
    };
    let named = list_pools(format!("idp.internal:{port}")).await.unwrap();
    let loopback = list_pools(format!("localhost:{port}")).await.unwrap();
    let rebound = list_pools(format!("evil.example:{port}")).await.unwrap();
    let _ = idp.kill();
    let _ = idp.wait();

    assert_eq!(named.status(), 200);
    assert_eq!(loopback.status(), 200);
    assert_eq!(rebound.status(), 403);
}

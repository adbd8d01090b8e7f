//! The binary: misconfiguration stops start-up naming the variable; user commands; migrate.

use std::process::Command;

#[test]
fn the_binary_refuses_bad_configuration_naming_the_variable() {
    let cases = [
        ("TENANT_MODE", "cookie"),
        ("PORT", "http"),
        ("COGNITO_PREFERRED_TOKEN_USE", "refresh"),
        ("DATABASE_URL", "mysql://db"),
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

fn tenant_api(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tenant-api"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("DATA_DIR", dir)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .unwrap()
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

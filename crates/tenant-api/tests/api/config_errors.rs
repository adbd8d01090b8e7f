//! Misconfiguration stops the binary at start-up with a message naming the variable.

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
        assert!(text.contains(&format!("{name}=")), "{name} is read but not in .env.example");
    }
}

//! Two tenant-api processes on one PostgreSQL: a sign-out or a suspension on one is honoured by
//! the other.

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::fresh_database;

const BIN: &str = env!("CARGO_BIN_EXE_tenant-api");

/// A child process, killed on drop, with the `KEY=value` / `... http://addr` lines it printed.
struct Process {
    _child: Child,
    lines: Vec<String>,
}

async fn start(args: &[&str], env: &HashMap<String, String>, ready_marker: &str) -> Process {
    let mut child = Command::new(BIN)
        .args(args)
        .envs(env)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = tokio::time::timeout_at(deadline.into(), reader.next_line())
            .await
            .expect("process became ready in time")
            .unwrap()
            .expect("process exited before becoming ready");
        let done = line.contains(ready_marker);
        lines.push(line);
        if done {
            // Keep draining stdout so the child never blocks on a full pipe.
            tokio::spawn(async move { while let Ok(Some(_)) = reader.next_line().await {} });
            return Process {
                _child: child,
                lines,
            };
        }
    }
}

impl Process {
    fn value(&self, key: &str) -> String {
        self.lines
            .iter()
            .find_map(|l| l.trim().strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("{key} not printed: {:?}", self.lines))
            .to_owned()
    }

    fn base_url(&self) -> String {
        let line = self
            .lines
            .iter()
            .find(|l| l.contains("listening on"))
            .unwrap();
        line.rsplit(' ').next().unwrap().to_owned()
    }
}

async fn me(http: &reqwest::Client, base: &str, token: &str) -> StatusCode {
    http.get(format!("{base}/api/items/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn logout_on_one_instance_is_honoured_by_another_within_five_seconds() {
    let data = tempfile::tempdir().unwrap();
    let mut env = HashMap::from([
        ("DATA_DIR".to_owned(), data.path().display().to_string()),
        ("LOGIN_RATE_PER_IP".to_owned(), "0".to_owned()),
        ("LOGIN_RATE_PER_ACCOUNT".to_owned(), "0".to_owned()),
    ]);
    let idp = start(&["idp", "--addr", "127.0.0.1:0"], &env, "AWS_REGION=").await;
    for key in [
        "COGNITO_ENDPOINT",
        "COGNITO_USER_POOL_ID",
        "COGNITO_APP_CLIENT_ID",
        "COGNITO_ISSUER",
    ] {
        env.insert(key.to_owned(), idp.value(key));
    }
    env.insert("DATABASE_URL".to_owned(), fresh_database().await);
    env.insert("BIND_ADDR".to_owned(), "127.0.0.1:0".to_owned());
    let a = start(&["serve"], &env, "API docs").await;
    let b = start(&["serve"], &env, "API docs").await;
    let (a, b) = (a.base_url(), b.base_url());

    let created = std::process::Command::new(BIN)
        .args([
            "users",
            "create",
            "--email",
            "multi@example.com",
            "--tenant",
            "acme",
            "--temporary-password",
            "Temp-Passw0rd!",
        ])
        .envs(&env)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let login = |base: String, body: Value| {
        let http = http.clone();
        async move {
            http.post(format!("{base}/api/user/login"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let challenge = login(
        a.clone(),
        json!({"email": "multi@example.com", "password": "Temp-Passw0rd!"}),
    )
    .await;
    let tokens: Value = http
        .post(format!("{a}/api/user/new-password"))
        .json(&json!({"email": "multi@example.com", "new_password": "Corr3ct-Horse!", "session": challenge["session"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    assert_eq!(me(&http, &a, &access).await, StatusCode::OK);
    assert_eq!(me(&http, &b, &access).await, StatusCode::OK);

    let logout = http
        .post(format!("{a}/api/user/logout"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::OK);
    let signed_out = Instant::now();
    assert_eq!(
        me(&http, &a, &access).await,
        StatusCode::UNAUTHORIZED,
        "refused at once on A"
    );
    loop {
        if me(&http, &b, &access).await == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            signed_out.elapsed() < Duration::from_secs(5),
            "B still accepts the token after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let fresh = login(
        b.clone(),
        json!({"email": "multi@example.com", "password": "Corr3ct-Horse!"}),
    )
    .await;
    let fresh = fresh["access_token"].as_str().unwrap();
    assert_eq!(me(&http, &b, fresh).await, StatusCode::OK);
    assert_eq!(me(&http, &a, fresh).await, StatusCode::OK);
}

/// Two `serve` processes on one fresh database and one identity provider (kept alive by the
/// returned processes and directory), and the environment that reaches them.
async fn two_instances() -> (Vec<Process>, tempfile::TempDir, HashMap<String, String>) {
    let data = tempfile::tempdir().unwrap();
    let mut env = HashMap::from([
        ("DATA_DIR".to_owned(), data.path().display().to_string()),
        ("LOGIN_RATE_PER_IP".to_owned(), "0".to_owned()),
        ("LOGIN_RATE_PER_ACCOUNT".to_owned(), "0".to_owned()),
    ]);
    let idp = start(&["idp", "--addr", "127.0.0.1:0"], &env, "AWS_REGION=").await;
    for key in [
        "COGNITO_ENDPOINT",
        "COGNITO_USER_POOL_ID",
        "COGNITO_APP_CLIENT_ID",
        "COGNITO_ISSUER",
    ] {
        env.insert(key.to_owned(), idp.value(key));
    }
    env.insert("DATABASE_URL".to_owned(), fresh_database().await);
    env.insert("BIND_ADDR".to_owned(), "127.0.0.1:0".to_owned());
    let a = start(&["serve"], &env, "API docs").await;
    let b = start(&["serve"], &env, "API docs").await;
    (vec![idp, a, b], data, env)
}

/// Creates `email` in `tenant` with the CLI and signs them in through `base`: their access token.
async fn signed_in(env: &HashMap<String, String>, base: &str, email: &str, tenant: &str) -> String {
    let created = std::process::Command::new(BIN)
        .args(["users", "create", "--email", email, "--tenant", tenant])
        .args(["--temporary-password", "Temp-Passw0rd!"])
        .envs(env)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let challenge: Value = http
        .post(format!("{base}/api/user/login"))
        .json(&json!({"email": email, "password": "Temp-Passw0rd!"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tokens: Value = http
        .post(format!("{base}/api/user/new-password"))
        .json(&json!({"email": email, "new_password": "Corr3ct-Horse!", "session": challenge["session"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    tokens["access_token"].as_str().unwrap().to_owned()
}

async fn items(http: &reqwest::Client, base: &str, token: &str) -> StatusCode {
    http.get(format!("{base}/api/items/"))
        .bearer_auth(token)
        .header("x-tenant-id", "acme")
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_suspension_on_one_instance_is_honoured_by_another_within_a_second_or_so() {
    let (processes, _data, env) = two_instances().await;
    let (a, b) = (processes[1].base_url(), processes[2].base_url());
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let alice = signed_in(&env, &a, "alice@example.com", "acme").await;
    assert_eq!(
        items(&http, &a, &alice).await,
        StatusCode::OK,
        "alice: acme's first, so its admin"
    );
    let bob = signed_in(&env, &a, "bob@example.com", "acme").await;
    let me: Value = http
        .get(format!("{b}/api/items/me"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // B has proven bob (writing his row) and then holds his standing.
    for _ in 0..2 {
        assert_eq!(items(&http, &b, &bob).await, StatusCode::OK);
    }

    let suspended = http
        .post(format!(
            "{a}/api/tenant/members/{}/suspend",
            me["sub"].as_str().unwrap()
        ))
        .bearer_auth(&alice)
        .header("x-tenant-id", "acme")
        .send()
        .await
        .unwrap();
    assert_eq!(suspended.status(), StatusCode::OK);
    let at = Instant::now();
    assert_eq!(
        items(&http, &a, &bob).await,
        StatusCode::FORBIDDEN,
        "refused at once on A"
    );
    loop {
        if items(&http, &b, &bob).await == StatusCode::FORBIDDEN {
            break;
        }
        // The standing is believed for 1 s; the bound is generous for a loaded machine.
        assert!(
            at.elapsed() < Duration::from_secs(5),
            "B still admits bob after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!(
        "suspension seen on the second instance after {:?}",
        at.elapsed()
    );
}

/// A free loopback port (bound and released: the BFF's callback URLs must be known before the
/// instances start).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn a_bff_session_is_shared_by_instances_and_its_logout_is_honoured_by_the_other_at_once() {
    use reqwest::header::COOKIE;
    use tenant_api::cognito::{Cognito, CognitoTarget};

    use crate::hosted_ui::{bff_to_callback, Browser};

    let data = tempfile::tempdir().unwrap();
    let mut env = HashMap::from([
        ("DATA_DIR".to_owned(), data.path().display().to_string()),
        ("LOGIN_RATE_PER_IP".to_owned(), "0".to_owned()),
        ("LOGIN_RATE_PER_ACCOUNT".to_owned(), "0".to_owned()),
    ]);
    let idp = start(&["idp", "--addr", "127.0.0.1:0"], &env, "AWS_REGION=").await;
    for key in [
        "COGNITO_ENDPOINT",
        "COGNITO_USER_POOL_ID",
        "COGNITO_APP_CLIENT_ID",
        "COGNITO_ISSUER",
    ] {
        env.insert(key.to_owned(), idp.value(key));
    }
    let hosted = idp.value("COGNITO_ENDPOINT");
    let (port_a, port_b) = (free_port(), free_port());
    let callbacks: Vec<String> = [port_a, port_b]
        .iter()
        .map(|port| format!("http://127.0.0.1:{port}/auth/callback"))
        .collect();
    let landings: Vec<String> = [port_a, port_b]
        .iter()
        .map(|port| format!("http://127.0.0.1:{port}/"))
        .collect();
    // The confidential client, made as an operator would (Terraform on a real pool).
    let sdk = Cognito::sdk_client(&CognitoTarget {
        region: "us-east-1".into(),
        endpoint: Some(hosted.clone()),
        static_credentials: true,
    })
    .await;
    let (client_id, secret) = tenant_api::embedded_web::ensure_bff_client(
        &sdk,
        data.path(),
        &env["COGNITO_USER_POOL_ID"],
        &callbacks,
        &landings,
    )
    .await
    .unwrap();
    env.extend([
        ("BFF_CLIENT_ID".to_owned(), client_id),
        ("BFF_CLIENT_SECRET".to_owned(), secret),
        ("BFF_CALLBACK_URLS".to_owned(), callbacks.join(",")),
        ("COGNITO_DOMAIN".to_owned(), hosted.clone()),
        (
            "SESSION_KEY".to_owned(),
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=".to_owned(),
        ),
        ("DATABASE_URL".to_owned(), fresh_database().await),
    ]);
    let mut env_a = env.clone();
    env_a.insert("BIND_ADDR".to_owned(), format!("127.0.0.1:{port_a}"));
    let mut env_b = env.clone();
    env_b.insert("BIND_ADDR".to_owned(), format!("127.0.0.1:{port_b}"));
    let a = start(&["serve"], &env_a, "API docs").await;
    let b = start(&["serve"], &env_b, "API docs").await;
    let (a, b) = (a.base_url(), b.base_url());

    let created = std::process::Command::new(BIN)
        .args([
            "users",
            "create",
            "--email",
            "bea@example.com",
            "--tenant",
            "acme",
        ])
        .args(["--temporary-password", "Temp-Passw0rd!"])
        .envs(&env)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    let mut browser = Browser::new();
    let host_a = format!("127.0.0.1:{port_a}");
    let callback = bff_to_callback(&mut browser, &a, &hosted, "bea@example.com", &host_a).await;
    let url = url::Url::parse(&callback).unwrap();
    let response = browser
        .http
        .get(format!("{a}{}?{}", url.path(), url.query().unwrap()))
        .header(COOKIE, browser.cookie_header())
        .send()
        .await
        .unwrap();
    let (status, _, _) = browser.read(response).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookies = browser.cookie_header();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let items_by_cookie = |base: String| {
        let (http, cookies) = (http.clone(), cookies.clone());
        async move {
            http.get(format!("{base}/api/items/"))
                .header(COOKIE, cookies)
                .header("x-csrf", "1")
                .header("x-tenant-id", "acme")
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(items_by_cookie(a.clone()).await, StatusCode::OK);
    assert_eq!(
        items_by_cookie(b.clone()).await,
        StatusCode::OK,
        "one session, both instances"
    );

    let logout = http
        .post(format!("{a}/auth/logout"))
        .header(COOKIE, cookies.as_str())
        .header("x-csrf", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::OK);
    let at = Instant::now();
    loop {
        if items_by_cookie(b.clone()).await == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            at.elapsed() < Duration::from_secs(1),
            "B still serves the session after 1 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!(
        "logout seen on the second instance after {:?}",
        at.elapsed()
    );
}

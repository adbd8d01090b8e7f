//! `TestApp`: a running tenant-api with typed request helpers.

use std::net::SocketAddr;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};
use tempfile::TempDir;
use tenant_api::cognito::Cognito;
use tenant_api::{Application, Config};
use tokio::sync::oneshot;

/// A strong password that satisfies the embedded pool's policy.
pub const PASSWORD: &str = "Corr3ct-Horse!";

pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub cognito: Cognito,
    pub tenant_header: String,
    pub web: tenant_api::config::WebConfig,
    /// The running service's state (its stores, the BFF).
    pub state: tenant_api::state::AppState,
    /// Its `DATA_DIR` and `DATABASE_URL`, for the command line.
    pub data_dir: std::path::PathBuf,
    pub database_url: String,
    _dir: TempDir,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// Tokens of a signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub email: String,
    pub access: String,
    pub id: String,
    pub refresh: String,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A fresh database URL: a new PostgreSQL database when `TENANT_API_TEST_POSTGRES` names an
/// admin URL (so the whole suite runs on PostgreSQL too), else a SQLite file in `dir`.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("TENANT_API_TEST_POSTGRES") {
        Ok(admin) if !admin.is_empty() => {
            use sqlx::Connection;
            let name = format!("t_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .unwrap();
            let mut url = url::Url::parse(&admin).unwrap();
            url.set_path(&name);
            url.to_string()
        }
        _ => format!("sqlite://{}/tenant-api.db?mode=rwc", dir.display()),
    }
}

/// Fresh, migrated stores for the store suite.
pub async fn test_stores() -> crate::store_suite::TestStores {
    let dir = tempfile::tempdir().unwrap();
    let clock = tenant_api::clock::ManualClock::new(crate::store_suite::start());
    let url = fresh_database_url(dir.path()).await;
    let stores = tenant_api::store::open(
        &url,
        true,
        tenant_api::config::DEFAULT_DATABASE_TIMEOUT,
        std::sync::Arc::new(clock.clone()),
    )
    .await
    .unwrap();
    crate::store_suite::TestStores {
        stores,
        clock,
        _guard: Box::new(dir),
    }
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_with_clock(adjust, std::sync::Arc::new(tenant_api::clock::SystemClock)).await
}

/// [`spawn_app_with`], the service reading its time from `clock`.
pub async fn spawn_app_with_clock(
    adjust: impl FnOnce(&mut Config),
    clock: std::sync::Arc<dyn tenant_api::clock::Clock>,
) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_path_buf());
    config.database_url = fresh_database_url(dir.path()).await;
    adjust(&mut config);
    let tenant_header = config.tenancy.header.to_string();
    let database_url = config.database_url.clone();
    let app = Application::build_with_clock(config, clock)
        .await
        .expect("application builds");
    let addr = app.local_addr();
    let cognito = app.cognito().gateway.clone();
    let web = app.web().clone();
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp {
        addr,
        http: reqwest::Client::builder().no_proxy().build().unwrap(),
        cognito,
        tenant_header,
        web,
        state,
        data_dir: dir.path().to_path_buf(),
        database_url,
        _dir: dir,
        stop: Some(stop),
        server: Some(server),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, self.url(path))
    }

    /// An authenticated request, with the tenant header when given.
    pub fn authed(
        &self,
        method: Method,
        path: &str,
        token: &str,
        tenant: Option<&str>,
    ) -> RequestBuilder {
        let mut request = self.request(method, path).bearer_auth(token);
        if let Some(tenant) = tenant {
            request = request.header(self.tenant_header.as_str(), tenant);
        }
        request
    }

    pub async fn post_json(&self, path: &str, body: Value) -> Response {
        self.request(Method::POST, path)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// `GET /metrics` as text, with `Host: host` when given.
    pub async fn metrics(&self, host: Option<&str>) -> String {
        let mut request = self.request(Method::GET, "/metrics");
        if let Some(host) = host {
            request = request.header("host", host);
        }
        request.sent().await.text().await.unwrap()
    }

    /// Creates a user with a known temporary password.
    pub async fn create_user(&self, email: &str, tenant: &str) {
        self.cognito
            .create_user(
                email,
                "custom:tenant_id",
                tenant,
                Some("Temp-Passw0rd!"),
                &[],
            )
            .await
            .expect("user created");
    }

    /// Creates a user and walks the whole first sign-in: login, challenge, new password.
    pub async fn signed_in_user(&self, email: &str, tenant: &str) -> Session {
        self.create_user(email, tenant).await;
        let challenge = self
            .post_json(
                "/api/user/login",
                json!({"email": email, "password": "Temp-Passw0rd!"}),
            )
            .await;
        assert_eq!(challenge.status(), StatusCode::OK);
        let challenge: Value = challenge.json().await.unwrap();
        assert_eq!(challenge["challenge"], "NEW_PASSWORD_REQUIRED");
        let tokens = self
            .post_json(
                "/api/user/new-password",
                json!({"email": email, "new_password": PASSWORD, "session": challenge["session"]}),
            )
            .await;
        assert_eq!(tokens.status(), StatusCode::OK);
        let tokens: Value = tokens.json().await.unwrap();
        Session {
            email: email.to_owned(),
            access: tokens["access_token"].as_str().unwrap().to_owned(),
            id: tokens["id_token"].as_str().unwrap().to_owned(),
            refresh: tokens["refresh_token"].as_str().unwrap().to_owned(),
        }
    }

    /// Creates an item as `session` in `tenant`, returning its JSON.
    pub async fn create_item(&self, session: &Session, tenant: &str, name: &str) -> Value {
        let response = self
            .authed(Method::POST, "/api/items/", &session.access, Some(tenant))
            .json(&json!({ "name": name }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
    }
}

/// Sends a request and parses its JSON body, whatever the status.
pub trait RequestExt {
    /// Sends the request; the test fails if it could not be sent.
    fn sent(self) -> impl std::future::Future<Output = Response> + Send;
    /// The response body, deserialised.
    fn json_value<T: serde::de::DeserializeOwned>(
        self,
    ) -> impl std::future::Future<Output = T> + Send;
}

impl RequestExt for RequestBuilder {
    async fn sent(self) -> Response {
        self.send().await.unwrap()
    }

    async fn json_value<T: serde::de::DeserializeOwned>(self) -> T {
        self.sent().await.json().await.unwrap()
    }
}

/// Asserts the error shape and code of a response, returning its body.
pub async fn assert_error(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status, "status for expected {code}");
    let body: Value = response.json().await.expect("error body is JSON");
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    body
}

/// Runs the `tenant-api` binary with `args` on the embedded defaults in `dir` (its `DATA_DIR`),
/// with no other environment, so no AWS endpoint but a dead loopback port is ever reached.
pub fn tenant_api(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tenant-api"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("DATA_DIR", dir)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .unwrap()
}

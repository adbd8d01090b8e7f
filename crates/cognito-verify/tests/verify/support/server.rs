//! An in-process JWKS endpoint on 127.0.0.1:0 that counts fetches and can rotate keys, fail, or
//! hang, so the JWKS cache's behaviour can be observed from outside.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

/// How the endpoint answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// 200 with the current JWKS.
    Serve,
    /// 500.
    Fail,
    /// Never answers (well, after an hour).
    Hang,
}

struct Shared {
    jwks: Mutex<Value>,
    mode: Mutex<Mode>,
    fetches: AtomicUsize,
    /// Requests to any other path, e.g. a `jku` the verifier must never follow.
    other_requests: AtomicUsize,
}

/// Handle to a running fake JWKS server.
#[derive(Clone)]
pub struct JwksServer {
    shared: Arc<Shared>,
    pub base: String,
}

impl JwksServer {
    /// Starts serving `jwks` at `/pool/.well-known/jwks.json`.
    pub async fn start(jwks: Value) -> Self {
        let shared = Arc::new(Shared {
            jwks: Mutex::new(jwks),
            mode: Mutex::new(Mode::Serve),
            fetches: AtomicUsize::new(0),
            other_requests: AtomicUsize::new(0),
        });
        let app = Router::new()
            .route("/pool/.well-known/jwks.json", get(serve_jwks))
            .fallback(other)
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            shared,
            base: format!("http://{addr}"),
        }
    }

    /// The issuer whose well-known JWKS this server serves.
    pub fn issuer(&self) -> String {
        format!("{}/pool", self.base)
    }

    /// JWKS fetches answered (or hung) so far.
    pub fn fetches(&self) -> usize {
        self.shared.fetches.load(Ordering::SeqCst)
    }

    /// Requests to paths other than the JWKS.
    pub fn other_requests(&self) -> usize {
        self.shared.other_requests.load(Ordering::SeqCst)
    }

    /// Replaces the published key set.
    pub fn publish(&self, jwks: Value) {
        *self.shared.jwks.lock().unwrap() = jwks;
    }

    /// Changes how the endpoint answers.
    pub fn set_mode(&self, mode: Mode) {
        *self.shared.mode.lock().unwrap() = mode;
    }
}

async fn serve_jwks(State(shared): State<Arc<Shared>>) -> Response {
    shared.fetches.fetch_add(1, Ordering::SeqCst);
    let mode = *shared.mode.lock().unwrap();
    match mode {
        Mode::Serve => Json(shared.jwks.lock().unwrap().clone()).into_response(),
        Mode::Fail => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Mode::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
    }
}

async fn other(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.other_requests.fetch_add(1, Ordering::SeqCst);
    StatusCode::NOT_FOUND
}

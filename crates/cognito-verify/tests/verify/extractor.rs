//! The axum extractor: RFC 6750 challenges, a 401 body that never names the failed check, 403
//! for missing groups/scopes, 503 when no keys can be had.

use axum::body::Body;
use axum::extract::FromRef;
use axum::http::{header, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use cognito_verify::{CognitoUser, TokenUse, Verifier};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::support::{jwks, keys, Env, FakeClock, JwksServer, Mode};

/// A service state that holds more than the verifier, as a real one would.
#[derive(Clone)]
struct AppState {
    verifier: Verifier,
    _name: &'static str,
}

impl FromRef<AppState> for Verifier {
    fn from_ref(state: &AppState) -> Verifier {
        state.verifier.clone()
    }
}

async fn whoami(CognitoUser(claims): CognitoUser) -> String {
    claims.sub().to_owned()
}

fn app(verifier: Verifier) -> Router {
    Router::new()
        .route("/me", get(whoami))
        .with_state(AppState {
            verifier,
            _name: "test",
        })
}

/// Status, `WWW-Authenticate` and JSON body of `GET /me` with the given Authorization header.
async fn call(app: Router, authorization: Option<&str>) -> (StatusCode, Option<String>, Value) {
    let mut request = Request::get("/me");
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    let response = app
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let challenge = response
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, challenge, body)
}

#[tokio::test]
async fn a_valid_bearer_token_reaches_the_handler() {
    let env = Env::start().await;
    let token = env.access().sign(&keys()[0]);

    let (status, _, body) = call(
        app(env.access_verifier().await),
        Some(&format!("Bearer {token}")),
    )
    .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        Value::String("11111111-2222-3333-4444-555555555555".into())
    );
}

#[tokio::test]
async fn a_missing_token_gets_a_bare_bearer_challenge() {
    let env = Env::start().await;

    let (status, challenge, body) = call(app(env.access_verifier().await), None).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(challenge.as_deref(), Some("Bearer"));
    assert_eq!(body["code"], "invalid_token");
}

#[tokio::test]
async fn every_invalid_token_gets_the_same_401_whatever_check_failed() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    let now = env.clock.secs();
    let tokens = [
        env.access().claim("exp", json!(now - 10)).sign(&keys()[0]),
        env.access().sign(&keys()[1]),
        env.access().header("alg", json!("none")).with_signature(""),
        env.access()
            .claim("client_id", json!("other"))
            .sign(&keys()[0]),
        "not-a-jwt".to_owned(),
    ];
    let mut bodies = Vec::new();

    for token in tokens {
        let (status, challenge, body) =
            call(app(verifier.clone()), Some(&format!("Bearer {token}"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(challenge.as_deref(), Some("Bearer error=\"invalid_token\""));
        bodies.push(body);
    }

    assert!(
        bodies.windows(2).all(|pair| pair[0] == pair[1]),
        "{bodies:?}"
    );
    let text = bodies[0].to_string().to_lowercase();
    for leak in ["expired", "signature", "alg", "client", "exp"] {
        assert!(!text.contains(leak), "401 body names `{leak}`: {text}");
    }
}

#[tokio::test]
async fn a_token_lacking_a_group_gets_403_insufficient_scope() {
    let env = Env::start().await;
    let verifier = env
        .builder(TokenUse::Access)
        .groups_any_of(["billing"])
        .build()
        .unwrap();
    verifier.hydrate().await.unwrap();
    let token = env.access().sign(&keys()[0]);

    let (status, challenge, body) = call(app(verifier), Some(&format!("Bearer {token}"))).await;

    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        challenge.as_deref(),
        Some("Bearer error=\"insufficient_scope\"")
    );
    assert_eq!(body["code"], "insufficient_scope");
}

#[tokio::test]
async fn no_keys_at_all_gets_503() {
    let server = JwksServer::start(jwks(&[&keys()[0]])).await;
    server.set_mode(Mode::Fail);
    let env = Env {
        server,
        clock: FakeClock::new(),
    };
    let verifier = env.builder(TokenUse::Access).build().unwrap();
    let token = env.access().sign(&keys()[0]);

    let (status, _, body) = call(app(verifier), Some(&format!("Bearer {token}"))).await;

    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["code"], "auth_unavailable");
}

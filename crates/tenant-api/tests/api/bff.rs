//! The Backend-for-Frontend (`/auth/*`): sign-in through the Hosted UI with the code exchanged
//! on the server, sessions in the database behind an HttpOnly cookie, the API served by cookie
//! with the `X-CSRF` header, refresh once per session, and sign-out everywhere.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tenant_api::clock::ManualClock;

use crate::helpers::{
    assert_error, spawn_app, spawn_app_with_clock, RequestExt, TestApp, PASSWORD,
};
use crate::hosted_ui::{bff_to_callback, Browser};

const SESSION: &str = "tenant-api-session";
const LOGIN: &str = "tenant-api-login";

/// Signs `email` in through `/auth/login` and the Hosted UI (its temporary password replaced),
/// stopping at the Hosted UI's redirect to the callback; returns that callback URL.
async fn to_callback(app: &TestApp, browser: &mut Browser, email: &str, host: &str) -> String {
    let hosted = app.web.hosted_ui.clone().unwrap();
    bff_to_callback(browser, &app.url(""), &hosted, email, host).await
}

/// Where the Hosted UI sends `browser` when it starts a new sign-in through `/auth/login`.
async fn authorize_answer(app: &TestApp, browser: &mut Browser) -> String {
    let response = browser
        .http
        .get(app.url("/auth/login"))
        .header(COOKIE, browser.cookie_header())
        .send()
        .await
        .unwrap();
    let (_, authorize, _) = browser.read(response).await;
    let (_, login, _) = browser.get(&authorize.unwrap()).await;
    let hosted = app.web.hosted_ui.clone().unwrap();
    let login = login.unwrap();
    let login = if login.starts_with('/') {
        format!("{hosted}{login}")
    } else {
        login
    };
    // The login page shows its form (200), or redirects with a code when signed in already.
    let (status, next, _) = browser.get(&login).await;
    next.unwrap_or_else(|| format!("the login form ({status})"))
}

/// The callback as the browser follows it (with its cookies, `Host: host`).
async fn follow(
    app: &TestApp,
    browser: &mut Browser,
    callback: &str,
    host: &str,
) -> reqwest::Response {
    let url = url::Url::parse(callback).unwrap();
    browser
        .http
        .get(app.url(&format!(
            "{}?{}",
            url.path(),
            url.query().unwrap_or_default()
        )))
        .header("host", host)
        .header(COOKIE, browser.cookie_header())
        .send()
        .await
        .unwrap()
}

/// A new user of `tenant` signed in through the BFF: the browser holding the session cookie.
async fn bff_user(app: &TestApp, email: &str, tenant: &str) -> Browser {
    app.create_user(email, tenant).await;
    let mut browser = Browser::new();
    let host = format!("127.0.0.1:{}", app.addr.port());
    let callback = to_callback(app, &mut browser, email, &host).await;
    let response = follow(app, &mut browser, &callback, &host).await;
    let (status, location, _) = browser.read(response).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/items"));
    assert!(browser.cookies.contains_key(SESSION));
    assert!(
        !browser.cookies.contains_key(LOGIN),
        "the login cookie is cleared"
    );
    browser
}

/// An API request with the browser's cookies, the tenant header and (when `csrf`) `X-CSRF: 1`.
fn by_cookie(
    app: &TestApp,
    browser: &Browser,
    method: Method,
    path: &str,
    tenant: &str,
    csrf: bool,
) -> reqwest::RequestBuilder {
    let mut request = app
        .request(method, path)
        .header(COOKIE, browser.cookie_header())
        .header(app.tenant_header.as_str(), tenant);
    if csrf {
        request = request.header("x-csrf", "1");
    }
    request
}

#[tokio::test]
async fn a_browser_signs_in_uses_the_api_by_cookie_and_signs_out_everywhere() {
    let app = spawn_app().await;
    let browser = bff_user(&app, "ann@example.com", "acme").await;

    let session: Value = app
        .request(Method::GET, "/auth/session")
        .header(COOKIE, browser.cookie_header())
        .json_value()
        .await;
    assert_eq!(session["email"], "ann@example.com");
    assert_eq!(session["tenant"], "acme");
    assert!(
        session.get("access_token").is_none(),
        "no token leaves the server"
    );

    let created = by_cookie(&app, &browser, Method::POST, "/api/items/", "acme", true)
        .json(&serde_json::json!({"name": "by cookie"}))
        .sent()
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let listed: Vec<Value> = by_cookie(&app, &browser, Method::GET, "/api/items/", "acme", true)
        .json_value()
        .await;
    assert_eq!(listed.len(), 1);
    // The same proof as a bearer token: another tenant is refused.
    let other = by_cookie(&app, &browser, Method::GET, "/api/items/", "globex", true)
        .sent()
        .await;
    assert_error(other, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    // Without the custom header a cookie is not enough.
    let forged = by_cookie(&app, &browser, Method::POST, "/api/items/", "acme", false)
        .json(&serde_json::json!({"name": "cross-site"}))
        .sent()
        .await;
    assert_error(forged, StatusCode::FORBIDDEN, "csrf_header_required").await;

    // The Hosted UI remembers the browser: a new login goes straight back with a code.
    let mut browser = browser;
    let again = authorize_answer(&app, &mut browser).await;
    assert!(again.contains("/auth/callback?"), "{again}");

    let old_cookies = browser.cookie_header();
    let logout = app
        .request(Method::POST, "/auth/logout")
        .header(COOKIE, browser.cookie_header())
        .header("x-csrf", "1")
        .sent()
        .await;
    assert_eq!(logout.status(), StatusCode::OK);
    let cleared = logout
        .headers()
        .get(SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cleared.starts_with(&format!("{SESSION}=;")) && cleared.contains("Max-Age=0"));
    let body: Value = logout.json().await.unwrap();
    let hosted = app.web.hosted_ui.clone().unwrap();
    assert!(body["redirect"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{hosted}/logout?")));

    let replayed = app
        .request(Method::GET, "/api/items/")
        .header(COOKIE, old_cookies.as_str())
        .header("x-csrf", "1")
        .header(app.tenant_header.as_str(), "acme")
        .sent()
        .await;
    assert_eq!(replayed.status(), StatusCode::UNAUTHORIZED);
    let replayed = app
        .request(Method::GET, "/auth/session")
        .header(COOKIE, old_cookies.as_str())
        .sent()
        .await;
    assert_error(replayed, StatusCode::UNAUTHORIZED, "session_required").await;

    // Both ends of the browser session are in her home tenant's audit log.
    let scope = tenant_api::tenancy::ScopedTenant::unproven_for_tests(
        tenant_api::domain::tenant::TenantId::parse("acme").unwrap(),
    );
    let page = tenant_api::domain::page::PageRequest::parse(Some(50), None).unwrap();
    let logged: Vec<(String, Option<String>)> = app
        .state
        .stores
        .audit
        .list_audit(&scope, page)
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|e| (e.action, e.detail))
        .collect();
    assert_eq!(
        logged,
        [
            ("user.signed_in".to_owned(), Some("browser".to_owned())),
            ("user.signed_out".to_owned(), None),
        ],
        "the sign-in through the callback and the sign-out (the second authorize answer was \
         never taken to the callback)"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_database_holds_no_token_and_no_session_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dump.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let app = crate::helpers::spawn_app_with(|config| config.database_url = url).await;
    let browser = bff_user(&app, "zoe@example.com", "acme").await;
    let listed = by_cookie(&app, &browser, Method::GET, "/api/items/", "acme", true)
        .sent()
        .await;
    assert_eq!(listed.status(), StatusCode::OK);
    let session_id = browser.cookies[SESSION].clone();
    app.stop().await;
    let mut dump = Vec::new();
    for file in ["dump.db", "dump.db-wal"] {
        if let Ok(bytes) = std::fs::read(dir.path().join(file)) {
            dump.extend(bytes);
        }
    }
    let dump = String::from_utf8_lossy(&dump);
    assert!(
        dump.contains("zoe@example.com"),
        "the dump has the session row"
    );
    // Every JWT starts with the base64 of `{"`: none is stored in the clear.
    assert!(!dump.contains("eyJ"), "a token in the database");
    assert!(
        !dump.contains(&session_id),
        "the session id in the database"
    );
}

#[tokio::test]
async fn cookies_carry_the_flags_of_their_scheme() {
    let https = "https://api.tenant.test/auth/callback".to_owned();
    let app = crate::helpers::spawn_app_with(|config| {
        config.bff.callback_urls = vec![https.clone()];
    })
    .await;
    app.create_user("hal@example.com", "acme").await;
    let mut browser = Browser::new();
    let callback = to_callback(&app, &mut browser, "hal@example.com", "api.tenant.test").await;
    assert!(callback.starts_with(&https), "{callback}");
    assert!(browser.cookies.contains_key("__Host-tenant-api-login"));
    let response = follow(&app, &mut browser, &callback, "api.tenant.test").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set: Vec<String> = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session = set
        .iter()
        .find(|c| c.starts_with("__Host-tenant-api-session="))
        .unwrap_or_else(|| panic!("{set:?}"));
    for flag in ["Path=/", "HttpOnly", "SameSite=Strict", "Secure"] {
        assert!(
            session.split("; ").any(|f| f == flag),
            "{flag} in {session}"
        );
    }
    assert!(!session.contains("Domain"), "{session}");
    assert_eq!(
        session.split(';').next().unwrap().len() - "__Host-tenant-api-session=".len(),
        43
    );
    app.stop().await;

    let app = spawn_app().await;
    let login = Browser::new()
        .http
        .get(app.url("/auth/login"))
        .send()
        .await
        .unwrap();
    let set = login
        .headers()
        .get(SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set.starts_with("tenant-api-login="), "{set}");
    for flag in ["Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=600"] {
        assert!(set.split("; ").any(|f| f == flag), "{flag} in {set}");
    }
    assert!(!set.contains("Secure"), "no Secure over http: {set}");
    app.stop().await;
}

#[tokio::test]
async fn the_callback_refuses_forged_state_replayed_codes_missing_logins_and_foreign_return_paths()
{
    let app = spawn_app().await;
    let host = format!("127.0.0.1:{}", app.addr.port());

    for bad in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let refused = app
            .request(
                Method::GET,
                &format!("/auth/login?return_to={}", urlencode(bad)),
            )
            .sent()
            .await;
        assert_error(refused, StatusCode::BAD_REQUEST, "invalid_request").await;
    }

    app.create_user("sam@example.com", "acme").await;
    let mut browser = Browser::new();
    let callback = to_callback(&app, &mut browser, "sam@example.com", &host).await;
    let forged = callback.replace("state=", "state=x");
    let response = follow(&app, &mut browser.clone_jar(), &forged, &host).await;
    assert_error(response, StatusCode::BAD_REQUEST, "login_failed").await;
    // Without the login cookie (another browser) the callback is refused too.
    let response = follow(&app, &mut Browser::new(), &callback, &host).await;
    assert_error(response, StatusCode::BAD_REQUEST, "login_failed").await;

    let mut replay = browser.clone_jar();
    let response = follow(&app, &mut browser, &callback, &host).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The same code again, with the login cookie it was issued for: the code is spent.
    assert!(replay.cookies.contains_key(LOGIN));
    let response = follow(&app, &mut replay, &callback, &host).await;
    assert_error(response, StatusCode::BAD_REQUEST, "login_failed").await;
    app.stop().await;
}

#[tokio::test]
async fn a_session_cookie_set_before_sign_in_is_never_adopted() {
    let app = spawn_app().await;
    let host = format!("127.0.0.1:{}", app.addr.port());
    app.create_user("fay@example.com", "acme").await;
    let mut browser = Browser::new();
    let planted = "planted-by-an-attacker-0000000000000000000";
    browser.cookies.insert(SESSION.into(), planted.into());
    let callback = to_callback(&app, &mut browser, "fay@example.com", &host).await;
    let response = follow(&app, &mut browser, &callback, &host).await;
    browser.read(response).await;
    let issued = browser.cookies.get(SESSION).unwrap().clone();
    assert_ne!(issued, planted);
    let mut attacker = Browser::new();
    attacker.cookies.insert(SESSION.into(), planted.into());
    let refused = by_cookie(&app, &attacker, Method::GET, "/api/items/", "acme", true)
        .sent()
        .await;
    assert_error(refused, StatusCode::UNAUTHORIZED, "session_required").await;
    app.stop().await;
}

#[tokio::test]
async fn sessions_end_when_idle_and_at_their_lifetime() {
    let clock = ManualClock::new(std::time::SystemTime::now());
    let app = spawn_app_with_clock(
        |config| {
            config.bff.idle_timeout = Duration::from_secs(600);
            config.bff.max_lifetime = Duration::from_secs(3000);
        },
        Arc::new(clock.clone()),
    )
    .await;
    let browser = bff_user(&app, "ida@example.com", "acme").await;
    let ok = |b: &Browser| by_cookie(&app, b, Method::GET, "/api/items/", "acme", true).sent();
    // Used every 9 minutes, the session lives on (each use refreshes what is needed)...
    for _ in 0..5 {
        clock.advance(Duration::from_secs(540));
        assert_eq!(ok(&browser).await.status(), StatusCode::OK);
    }
    // ...until its lifetime (3000 s) is over.
    clock.advance(Duration::from_secs(400));
    assert_error(
        ok(&browser).await,
        StatusCode::UNAUTHORIZED,
        "session_expired",
    )
    .await;

    let idle = bff_user(&app, "ivy@example.com", "acme").await;
    assert_eq!(ok(&idle).await.status(), StatusCode::OK);
    clock.advance(Duration::from_secs(601));
    assert_error(ok(&idle).await, StatusCode::UNAUTHORIZED, "session_expired").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_requests_at_the_moment_of_expiry_refresh_once_and_all_succeed() {
    let clock = ManualClock::new(std::time::SystemTime::now());
    let app = spawn_app_with_clock(|_| {}, Arc::new(clock.clone())).await;
    let browser = bff_user(&app, "pat@example.com", "acme").await;
    let bff = app.state.bff.clone().expect("the BFF is on by default");
    assert_eq!(bff.refreshes(), 0);
    // The embedded pool's access tokens live an hour: 59 minutes on, every request is due.
    clock.advance(Duration::from_secs(59 * 60));
    let cookies = browser.cookie_header();
    let calls = (0..50).map(|_| {
        app.request(Method::GET, "/api/items/")
            .header(COOKIE, cookies.as_str())
            .header("x-csrf", "1")
            .header(app.tenant_header.as_str(), "acme")
            .sent()
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(calls)
        .await
        .iter()
        .map(|r| r.status())
        .collect();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(bff.refreshes(), 1, "one refresh for the session");
    // The refreshed (rotated) tokens serve on.
    clock.advance(Duration::from_secs(59 * 60));
    let after = by_cookie(&app, &browser, Method::GET, "/api/items/", "acme", true)
        .sent()
        .await;
    assert_eq!(after.status(), StatusCode::OK);
    assert_eq!(bff.refreshes(), 2);
    app.stop().await;
}

#[tokio::test]
async fn a_sign_out_elsewhere_ends_every_session_of_the_person() {
    let app = spawn_app().await;
    let laptop = bff_user(&app, "max@example.com", "acme").await;
    // The same person signs in through the JSON API elsewhere, and signs out there.
    let session = app
        .post_json(
            "/api/user/login",
            serde_json::json!({"email": "max@example.com", "password": PASSWORD}),
        )
        .await;
    let tokens: Value = session.json().await.unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        by_cookie(&app, &laptop, Method::GET, "/api/items/", "acme", true)
            .sent()
            .await
            .status(),
        StatusCode::OK
    );
    let logout = app
        .authed(Method::POST, "/api/user/logout", &access, None)
        .sent()
        .await;
    assert_eq!(logout.status(), StatusCode::OK);
    let refused = by_cookie(&app, &laptop, Method::GET, "/api/items/", "acme", true)
        .sent()
        .await;
    assert_error(refused, StatusCode::UNAUTHORIZED, "session_expired").await;
    app.stop().await;
}

#[tokio::test]
async fn the_operators_sign_out_ends_the_persons_browser_sessions() {
    let app = spawn_app().await;
    let browser = bff_user(&app, "oli@example.com", "acme").await;
    let ok = by_cookie(&app, &browser, Method::GET, "/api/items/", "acme", true);
    assert_eq!(ok.sent().await.status(), StatusCode::OK);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tenant-api"))
        .args(["users", "sign-out", "--email", "oli@example.com"])
        .env_clear()
        .env("DATA_DIR", &app.data_dir)
        .env("DATABASE_URL", &app.database_url)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The server reads sign-outs recorded by others every second.
    let at = std::time::Instant::now();
    loop {
        let status = by_cookie(&app, &browser, Method::GET, "/api/items/", "acme", true)
            .sent()
            .await
            .status();
        if status == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            at.elapsed() < Duration::from_secs(5),
            "still served after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.stop().await;
}

#[tokio::test]
async fn an_edited_login_cookie_is_refused() {
    let app = spawn_app().await;
    let host = format!("127.0.0.1:{}", app.addr.port());
    app.create_user("eda@example.com", "acme").await;
    let mut browser = Browser::new();
    let callback = to_callback(&app, &mut browser, "eda@example.com", &host).await;
    let login = browser.cookies.get_mut(LOGIN).unwrap();
    // One character of the sealed value changed (say, to point the return path elsewhere).
    let last = login.pop().unwrap();
    login.push(if last == 'A' { 'B' } else { 'A' });
    let response = follow(&app, &mut browser, &callback, &host).await;
    assert_error(response, StatusCode::BAD_REQUEST, "login_failed").await;
    app.stop().await;
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

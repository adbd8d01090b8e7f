//! The console at `/`: served from the binary under a strict CSP, with the settings its script
//! signs in with.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{spawn_app, RequestExt};

#[tokio::test]
async fn the_console_page_and_its_assets_are_served_under_a_strict_csp() {
    let app = spawn_app().await;
    for (path, kind) in [
        ("/", "text/html"),
        ("/callback", "text/html"),
        ("/console/app.js", "text/javascript"),
        ("/console/app.css", "text/css"),
    ] {
        let response = app.request(Method::GET, path).sent().await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers();
        assert!(headers["content-type"].to_str().unwrap().starts_with(kind));
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
    }
    let page = app
        .request(Method::GET, "/")
        .sent()
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(">Sign in</button>"));
    assert!(!page.contains("<script>"), "no inline script");
    let settings: Value = app
        .request(Method::GET, "/console/settings.json")
        .sent()
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["sign_in"], true);
    assert_eq!(
        settings["bff"], true,
        "the embedded defaults sign in through the BFF"
    );
    assert_eq!(settings["client_id"].as_str(), app.web.client_id.as_deref());
    assert_eq!(settings["hosted_ui"].as_str(), app.web.hosted_ui.as_deref());
    assert_eq!(settings["tenant_header"], "x-tenant-id");
    app.stop().await;
}

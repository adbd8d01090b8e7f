//! Tenants that run themselves: membership proofs, the tenant admin API and its audit log.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, tenant_api, RequestExt, Session, TestApp, PASSWORD};

/// A signed-in person who has made one request to their home `tenant` (so their membership row
/// exists: the first one of a tenant becomes its admin).
async fn member_of(app: &TestApp, email: &str, tenant: &str) -> (Session, String) {
    let session = app.signed_in_user(email, tenant).await;
    let me: Value = app
        .authed(Method::GET, "/api/items/me", &session.access, Some(tenant))
        .json_value()
        .await;
    let listed = app
        .authed(Method::GET, "/api/items/", &session.access, Some(tenant))
        .sent()
        .await;
    assert_eq!(listed.status(), StatusCode::OK);
    (session, me["sub"].as_str().unwrap().to_owned())
}

/// Every member of `tenant` as `admin` sees them, as (email, role, state).
async fn members(app: &TestApp, admin: &Session, tenant: &str) -> Vec<(String, String, String)> {
    let rows: Vec<Value> = app
        .authed(
            Method::GET,
            "/api/tenant/members",
            &admin.access,
            Some(tenant),
        )
        .json_value()
        .await;
    rows.iter()
        .map(|m| {
            let text = |k: &str| m[k].as_str().unwrap().to_owned();
            (text("email"), text("role"), text("state"))
        })
        .collect()
}

async fn items_status(app: &TestApp, who: &Session, tenant: &str) -> StatusCode {
    app.authed(Method::GET, "/api/items/", &who.access, Some(tenant))
        .sent()
        .await
        .status()
}

async fn invite(app: &TestApp, admin: &Session, tenant: &str, email: &str) -> reqwest::Response {
    app.authed(
        Method::POST,
        "/api/tenant/members",
        &admin.access,
        Some(tenant),
    )
    .json(&json!({"email": email, "role": "member"}))
    .sent()
    .await
}

#[tokio::test]
async fn a_member_cannot_call_admin_endpoints() {
    let app = spawn_app().await;
    let (alice, _) = member_of(&app, "alice@example.com", "acme").await;
    let (bob, _) = member_of(&app, "bob@example.com", "acme").await;

    for (method, path) in [
        (Method::GET, "/api/tenant/members"),
        (Method::GET, "/api/tenant/audit"),
        (Method::POST, "/api/tenant/members/x/suspend"),
        (Method::DELETE, "/api/tenant/members/x"),
    ] {
        let response = app
            .authed(method, path, &bob.access, Some("acme"))
            .sent()
            .await;
        assert_error(response, StatusCode::FORBIDDEN, "not_tenant_admin").await;
    }
    let refused = invite(&app, &bob, "acme", "eve@example.com").await;
    assert_error(refused, StatusCode::FORBIDDEN, "not_tenant_admin").await;

    assert_eq!(
        members(&app, &alice, "acme").await,
        [
            ("alice@example.com".into(), "admin".into(), "active".into()),
            ("bob@example.com".into(), "member".into(), "active".into())
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn an_admin_of_one_tenant_cannot_touch_another() {
    let app = spawn_app().await;
    let (alice, _) = member_of(&app, "alice@example.com", "tenant-a").await;
    let (bob, _) = member_of(&app, "bob@example.com", "tenant-b").await;
    let (_, carol) = member_of(&app, "carol@example.com", "tenant-b").await;
    let before = members(&app, &bob, "tenant-b").await;

    let listed = app
        .authed(
            Method::GET,
            "/api/tenant/members",
            &alice.access,
            Some("tenant-b"),
        )
        .sent()
        .await;
    assert_error(listed, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    let invited = invite(&app, &alice, "tenant-b", "eve@example.com").await;
    assert_error(invited, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    let suspend = format!("/api/tenant/members/{carol}/suspend");
    let suspended = app
        .authed(Method::POST, &suspend, &alice.access, Some("tenant-b"))
        .sent()
        .await;
    assert_error(suspended, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    // Under her own tenant, B's member does not exist.
    let suspended = app
        .authed(Method::POST, &suspend, &alice.access, Some("tenant-a"))
        .sent()
        .await;
    assert_error(suspended, StatusCode::NOT_FOUND, "not_found").await;

    // Nothing was written in B.
    assert_eq!(members(&app, &bob, "tenant-b").await, before);
    let audit: Vec<Value> = app
        .authed(
            Method::GET,
            "/api/tenant/audit",
            &bob.access,
            Some("tenant-b"),
        )
        .json_value()
        .await;
    // Only B's own people signing in.
    assert!(
        audit.iter().all(|e| e["action"] == "user.signed_in"),
        "{audit:?}"
    );
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert!(app.cognito.lookup("eve@example.com").await.is_err());
    app.stop().await;
}

#[tokio::test]
async fn one_person_in_two_tenants_proves_each_by_its_header_and_is_refused_a_third() {
    let app = spawn_app().await;
    let (alice, _) = member_of(&app, "alice@example.com", "acme").await;
    let (dave, dave_sub) = member_of(&app, "dave@example.com", "globex").await;
    assert_eq!(
        items_status(&app, &dave, "acme").await,
        StatusCode::FORBIDDEN
    );

    let invited = invite(&app, &alice, "acme", "Dave@Example.com").await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let invited: Value = invited.json().await.unwrap();
    assert_eq!(invited["sub"], dave_sub.as_str());
    assert_eq!(invited["state"], "invited");

    // The same token, straight after: both tenants, and the invitation is now active.
    assert_eq!(items_status(&app, &dave, "acme").await, StatusCode::OK);
    assert_eq!(items_status(&app, &dave, "globex").await, StatusCode::OK);
    let third = app
        .authed(Method::GET, "/api/items/", &dave.access, Some("initech"))
        .sent()
        .await;
    assert_error(third, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    assert!(members(&app, &alice, "acme").await.contains(&(
        "dave@example.com".into(),
        "member".into(),
        "active".into()
    )));

    // Removed from acme: refused there at once, still at home, and his Cognito user kept.
    let removed: Value = app
        .authed(
            Method::DELETE,
            &format!("/api/tenant/members/{dave_sub}"),
            &alice.access,
            Some("acme"),
        )
        .json_value()
        .await;
    assert_eq!(removed["cognito_user_deleted"], false);
    let refused = app
        .authed(Method::GET, "/api/items/", &dave.access, Some("acme"))
        .sent()
        .await;
    assert_error(refused, StatusCode::FORBIDDEN, "tenant_mismatch").await;
    assert_eq!(items_status(&app, &dave, "globex").await, StatusCode::OK);
    assert!(app.cognito.lookup("dave@example.com").await.is_ok());
    app.stop().await;
}

#[tokio::test]
async fn suspension_takes_effect_on_the_next_request() {
    let app = spawn_app().await;
    let (alice, _) = member_of(&app, "alice@example.com", "acme").await;
    let (bob, bob_sub) = member_of(&app, "bob@example.com", "acme").await;
    let path = |action: &str| format!("/api/tenant/members/{bob_sub}/{action}");

    let suspended: Value = app
        .authed(Method::POST, &path("suspend"), &alice.access, Some("acme"))
        .json_value()
        .await;
    assert_eq!(suspended["state"], "suspended");
    let refused = app
        .authed(Method::GET, "/api/items/", &bob.access, Some("acme"))
        .sent()
        .await;
    let body = assert_error(refused, StatusCode::FORBIDDEN, "tenant_suspended").await;
    assert_eq!(body["message"], "access to this tenant was suspended");

    let reactivated: Value = app
        .authed(
            Method::POST,
            &path("reactivate"),
            &alice.access,
            Some("acme"),
        )
        .json_value()
        .await;
    assert_eq!(reactivated["state"], "active");
    assert_eq!(items_status(&app, &bob, "acme").await, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_suspended_or_removed() {
    let app = spawn_app().await;
    let (alice, alice_sub) = member_of(&app, "alice@example.com", "acme").await;
    let (_, bob_sub) = member_of(&app, "bob@example.com", "acme").await;
    let me = format!("/api/tenant/members/{alice_sub}");

    let demote = app
        .authed(Method::PATCH, &me, &alice.access, Some("acme"))
        .json(&json!({"role": "member"}))
        .sent()
        .await;
    assert_error(demote, StatusCode::CONFLICT, "last_admin").await;
    let suspend = app
        .authed(
            Method::POST,
            &format!("{me}/suspend"),
            &alice.access,
            Some("acme"),
        )
        .sent()
        .await;
    assert_error(suspend, StatusCode::CONFLICT, "last_admin").await;
    let remove = app
        .authed(Method::DELETE, &me, &alice.access, Some("acme"))
        .sent()
        .await;
    assert_error(remove, StatusCode::CONFLICT, "last_admin").await;

    // With a second admin, the first may step down.
    let promoted = app
        .authed(
            Method::PATCH,
            &format!("/api/tenant/members/{bob_sub}"),
            &alice.access,
            Some("acme"),
        )
        .json(&json!({"role": "admin"}))
        .sent()
        .await;
    assert_eq!(promoted.status(), StatusCode::OK);
    let demoted: Value = app
        .authed(Method::PATCH, &me, &alice.access, Some("acme"))
        .json(&json!({"role": "member"}))
        .json_value()
        .await;
    assert_eq!(demoted["role"], "member");
    // No longer an admin: refused at once.
    let listed = app
        .authed(
            Method::GET,
            "/api/tenant/members",
            &alice.access,
            Some("acme"),
        )
        .sent()
        .await;
    assert_error(listed, StatusCode::FORBIDDEN, "not_tenant_admin").await;
    app.stop().await;
}

#[tokio::test]
async fn the_audit_log_records_each_action_once_with_its_actor() {
    let app = spawn_app().await;
    let (alice, alice_sub) = member_of(&app, "alice@example.com", "acme").await;
    let act = |method: Method, path: String, id: &str| {
        app.authed(method, &path, &alice.access, Some("acme"))
            .header("x-request-id", id)
    };

    let first = act(Method::POST, "/api/tenant/members".into(), "req-1")
        .json(&json!({"email": "erin@example.com", "role": "member"}))
        .sent()
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let erin: Value = first.json().await.unwrap();
    let erin = erin["sub"].as_str().unwrap().to_owned();
    // The new person has a Cognito user whose home is this tenant.
    assert_eq!(
        app.cognito.lookup("erin@example.com").await.unwrap().1,
        erin
    );
    let again = act(Method::POST, "/api/tenant/members".into(), "req-again")
        .json(&json!({"email": "erin@example.com", "role": "admin"}))
        .sent()
        .await;
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "a repeated invite is idempotent"
    );
    let member = format!("/api/tenant/members/{erin}");
    let role = act(Method::PATCH, member.clone(), "req-2").json(&json!({"role": "admin"}));
    assert_eq!(role.sent().await.status(), StatusCode::OK);
    for (action, id) in [("suspend", "req-3"), ("reactivate", "req-4")] {
        let response = act(Method::POST, format!("{member}/{action}"), id)
            .sent()
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let removed: Value = act(Method::DELETE, member, "req-5").json_value().await;
    assert_eq!(
        removed["cognito_user_deleted"], true,
        "erin belonged to no other tenant"
    );
    assert!(app.cognito.lookup("erin@example.com").await.is_err());

    let mut entries: Vec<Value> = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .authed(
                Method::GET,
                &format!("/api/tenant/audit?limit=2&cursor={cursor}"),
                &alice.access,
                Some("acme"),
            )
            .sent()
            .await;
        let next = page
            .headers()
            .get("x-next-cursor")
            .map(|c| c.to_str().unwrap().to_owned());
        entries.extend(page.json::<Vec<Value>>().await.unwrap());
        match next {
            Some(next) => cursor = next,
            None => break,
        }
    }
    // The admins' own sign-ins are in the log too (see the next test); here, the member actions.
    entries.retain(|e| e["action"].as_str().unwrap().starts_with("member."));
    let seen: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["request_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("member.invited", "req-1"),
            ("member.role_changed", "req-2"),
            ("member.suspended", "req-3"),
            ("member.reactivated", "req-4"),
            ("member.removed", "req-5"),
        ]
    );
    assert!(entries
        .iter()
        .all(|e| e["actor_sub"] == alice_sub.as_str() && e["target"] == erin.as_str()));
    assert_eq!(entries[1]["detail"], "admin");
    app.stop().await;
}

/// Every entry of `tenant`'s audit log as `admin` reads it, as (action, actor, detail, request id).
async fn audit_log(
    app: &TestApp,
    admin: &Session,
    tenant: &str,
) -> Vec<(String, String, String, String)> {
    let entries: Vec<Value> = app
        .authed(
            Method::GET,
            "/api/tenant/audit?limit=100",
            &admin.access,
            Some(tenant),
        )
        .json_value()
        .await;
    entries
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            assert_eq!(e["actor_sub"], e["target"], "a person acts on themself");
            (
                text("action"),
                text("actor_sub"),
                text("detail"),
                text("request_id"),
            )
        })
        .collect()
}

#[tokio::test]
async fn sign_ins_and_sign_outs_through_the_api_are_in_the_home_tenants_audit_log() {
    let app = spawn_app().await;
    let (alice, alice_sub) = member_of(&app, "alice@example.com", "acme").await;
    let (bob, bob_sub) = member_of(&app, "bob@example.com", "acme").await;
    member_of(&app, "olga@example.com", "other").await;

    let login = app
        .request(Method::POST, "/api/user/login")
        .header("x-request-id", "login-2")
        .json(&json!({"email": "bob@example.com", "password": PASSWORD}))
        .sent()
        .await;
    assert_eq!(login.status(), StatusCode::OK);
    let wrong = app
        .request(Method::POST, "/api/user/login")
        .json(&json!({"email": "bob@example.com", "password": "not-his-Passw0rd!"}))
        .sent()
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let logout = app
        .authed(Method::POST, "/api/user/logout", &bob.access, None)
        .header("x-request-id", "logout-1")
        .sent()
        .await;
    assert_eq!(logout.status(), StatusCode::OK);

    let log = audit_log(&app, &alice, "acme").await;
    let seen: Vec<(&str, &str, &str)> = log
        .iter()
        .map(|(action, sub, detail, _)| (action.as_str(), sub.as_str(), detail.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("user.signed_in", alice_sub.as_str(), "new_password"),
            ("user.signed_in", bob_sub.as_str(), "new_password"),
            ("user.signed_in", bob_sub.as_str(), "password"),
            ("user.signed_out", bob_sub.as_str(), ""),
        ],
        "one entry per sign-in and sign-out, none for the failed try nor for olga's tenant"
    );
    assert_eq!(log[2].3, "login-2");
    assert_eq!(log[3].3, "logout-1");
    app.stop().await;
}

#[tokio::test]
async fn invitations_are_rate_limited_per_tenant() {
    let app = spawn_app().await;
    let (alice, _) = member_of(&app, "alice@example.com", "acme").await;
    let limit = tenant_api::members::INVITES_PER_MINUTE;
    for n in 0..limit {
        let response = invite(&app, &alice, "acme", &format!("p{n}@example.com")).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let refused = invite(&app, &alice, "acme", "one-more@example.com").await;
    let retry_after = refused.headers().get("retry-after").cloned();
    assert_error(refused, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    assert!(retry_after.is_some());
    assert!(app.cognito.lookup("one-more@example.com").await.is_err());
    app.stop().await;
}

/// Benchmark-style, not a timer: the median of many interleaved requests, compared as a ratio
/// with a generous bound, so a noisy shared machine cannot make it flake.
#[tokio::test]
async fn a_member_proven_by_membership_is_served_about_as_fast_as_one_proven_by_attribute() {
    let app = spawn_app().await;
    let (alice, _) = member_of(&app, "alice@example.com", "acme").await;
    let (dave, _) = member_of(&app, "dave@example.com", "globex").await;
    assert_eq!(
        invite(&app, &alice, "acme", "dave@example.com")
            .await
            .status(),
        StatusCode::CREATED
    );
    for n in 0..3 {
        app.create_item(&alice, "acme", &format!("item {n}")).await;
    }
    let time = |who: &Session| {
        let request = app.authed(Method::GET, "/api/items/", &who.access, Some("acme"));
        async move {
            let started = std::time::Instant::now();
            let response = request.sent().await;
            assert_eq!(response.status(), StatusCode::OK);
            let rows: Vec<Value> = response.json().await.unwrap();
            assert_eq!(rows.len(), 3);
            started.elapsed()
        }
    };
    let (mut by_attribute, mut by_membership) = (Vec::new(), Vec::new());
    for _ in 0..200 {
        by_attribute.push(time(&alice).await);
        by_membership.push(time(&dave).await);
    }
    by_attribute.sort();
    by_membership.sort();
    let (a, m) = (by_attribute[100], by_membership[100]);
    eprintln!("median tenant list: by attribute {a:?}, by membership {m:?}");
    assert!(m < a * 3, "membership proof {m:?} vs attribute proof {a:?}");
    app.stop().await;
}

#[tokio::test]
async fn an_invited_person_reads_the_invitation_in_the_outbox_and_signs_in_with_it() {
    let app = spawn_app().await;
    let (alice, _) = member_of(&app, "alice@example.com", "acme").await;
    let invited = invite(&app, &alice, "acme", "Fay@Example.com").await;
    assert_eq!(invited.status(), StatusCode::CREATED);

    // The operator's command reads the embedded provider's outbox while the server runs.
    let output = tenant_api(
        &app.data_dir,
        &["outbox", "--to", "fay@example.com", "--json"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let messages: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(messages.len(), 1, "one invitation: {messages:?}");
    let body = messages[0]["body"].as_str().unwrap();
    let temporary = body
        .rsplit("temporary password is ")
        .next()
        .unwrap()
        .trim_end_matches('.');

    let challenge: Value = app
        .post_json(
            "/api/user/login",
            json!({"email": "fay@example.com", "password": temporary}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(challenge["challenge"], "NEW_PASSWORD_REQUIRED");
    let tokens = app
        .post_json(
            "/api/user/new-password",
            json!({"email": "fay@example.com", "new_password": PASSWORD, "session": challenge["session"]}),
        )
        .await;
    assert_eq!(tokens.status(), StatusCode::OK);
    let tokens: Value = tokens.json().await.unwrap();
    let fay = Session {
        email: "fay@example.com".into(),
        access: tokens["access_token"].as_str().unwrap().to_owned(),
        id: tokens["id_token"].as_str().unwrap().to_owned(),
        refresh: tokens["refresh_token"].as_str().unwrap().to_owned(),
    };
    assert_eq!(items_status(&app, &fay, "acme").await, StatusCode::OK);
    app.stop().await;
}

/// The caller's tenants as `GET /api/user/tenants` lists them: (tenant, role, state, home).
async fn own_tenants(app: &TestApp, who: &Session) -> Vec<(String, String, String, bool)> {
    let rows: Vec<Value> = app
        .authed(Method::GET, "/api/user/tenants", &who.access, None)
        .json_value()
        .await;
    rows.iter()
        .map(|t| {
            let text = |k: &str| t[k].as_str().unwrap().to_owned();
            (
                text("tenant"),
                text("role"),
                text("state"),
                t["home"] == true,
            )
        })
        .collect()
}

#[tokio::test]
async fn a_person_lists_the_tenants_they_may_switch_between() {
    let app = spawn_app().await;
    let (alice, _) = member_of(&app, "alice@example.com", "acme").await;
    let (_, _) = member_of(&app, "bob@example.com", "beta").await;
    // Dave has never made a request: listing writes his home membership, as a first request does.
    let dave = app.signed_in_user("dave@example.com", "globex").await;
    let home = |role: &str| {
        (
            "globex".to_owned(),
            role.to_owned(),
            "active".to_owned(),
            true,
        )
    };
    assert_eq!(own_tenants(&app, &dave).await, [home("admin")]);

    let invited = invite(&app, &alice, "acme", "dave@example.com").await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let acme = |state: &str| {
        (
            "acme".to_owned(),
            "member".to_owned(),
            state.to_owned(),
            false,
        )
    };
    assert_eq!(
        own_tenants(&app, &dave).await,
        [acme("invited"), home("admin")]
    );
    assert_eq!(items_status(&app, &dave, "acme").await, StatusCode::OK);
    assert_eq!(
        own_tenants(&app, &dave).await,
        [acme("active"), home("admin")]
    );

    let suspend = format!("/api/tenant/members/{}/suspend", own_sub(&app, &dave).await);
    let suspended = app
        .authed(Method::POST, &suspend, &alice.access, Some("acme"))
        .sent()
        .await;
    assert_eq!(suspended.status(), StatusCode::OK);
    assert_eq!(
        own_tenants(&app, &dave).await,
        [acme("suspended"), home("admin")],
        "a suspended tenant is listed as such"
    );
    // Nothing of beta, where dave has no membership; no tenant header is needed or used.
    assert!(!own_tenants(&app, &dave).await.iter().any(|t| t.0 == "beta"));
    let unauthenticated = app.request(Method::GET, "/api/user/tenants").sent().await;
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}

async fn own_sub(app: &TestApp, who: &Session) -> String {
    let me: Value = app
        .authed(Method::GET, "/api/items/me", &who.access, None)
        .json_value()
        .await;
    me["sub"].as_str().unwrap().to_owned()
}

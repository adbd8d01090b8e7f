//! The outbox: the invitation Cognito would have sent (with the temporary password it made)
//! lands where a developer can read it, on loopback only; SUPPRESS sends nothing.

use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, DeliveryMediumType, MessageActionType,
};
use serde_json::Value;

use crate::helpers::{attribute, spawn, ClientSpec, TestIdp};

/// AdminCreateUser in an email pool with Cognito choosing the temporary password.
async fn invite(t: &TestIdp, pool: &str, email: &str, action: Option<MessageActionType>) {
    t.sdk
        .admin_create_user()
        .user_pool_id(pool)
        .username(email)
        .set_message_action(action)
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .user_attributes(attribute("email", email))
        .user_attributes(attribute("email_verified", "true"))
        .send()
        .await
        .unwrap();
}

/// The temporary password in an invitation's text.
fn password_in(body: &str) -> &str {
    body.rsplit("temporary password is ")
        .next()
        .unwrap()
        .trim_end_matches('.')
}

#[tokio::test]
async fn an_invitation_carries_a_working_temporary_password_and_suppress_sends_nothing() {
    let t = spawn().await;
    let pool = t.create_pool(true).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    invite(&t, &pool, "Ann@Example.com", None).await;
    invite(
        &t,
        &pool,
        "quiet@example.com",
        Some(MessageActionType::Suppress),
    )
    .await;

    let all = t.idp.outbox(None, 10).await.unwrap();
    assert_eq!(all.len(), 1, "SUPPRESS sent nothing: {all:?}");
    let mine = t.idp.outbox(Some("ann@example.com"), 10).await.unwrap();
    assert_eq!(mine, all, "the filter ignores case");
    let message = &mine[0];
    assert_eq!(
        (message.medium.as_str(), message.destination.as_str()),
        ("EMAIL", "Ann@Example.com")
    );
    assert_eq!(message.subject, "Your temporary password");
    assert!(message.body.starts_with("Your username is Ann@Example.com"));
    let temporary = password_in(&message.body);
    let answer = t
        .admin_sign_in(&pool, &client.id, "ann@example.com", temporary)
        .await
        .unwrap();
    assert_eq!(
        answer.challenge_name,
        Some(ChallengeNameType::NewPasswordRequired)
    );

    // RESEND: a second message with a new password; the first one no longer works.
    invite(
        &t,
        &pool,
        "ann@example.com",
        Some(MessageActionType::Resend),
    )
    .await;
    let mine = t.idp.outbox(Some("ann@example.com"), 10).await.unwrap();
    assert_eq!(mine.len(), 2);
    assert!(mine[0].id > mine[1].id, "newest first");
    let second = password_in(&mine[0].body);
    assert_ne!(second, temporary);
    assert!(t
        .admin_sign_in(&pool, &client.id, "ann@example.com", temporary)
        .await
        .is_err());
    assert!(t
        .admin_sign_in(&pool, &client.id, "ann@example.com", second)
        .await
        .is_ok());
}

#[tokio::test]
async fn the_outbox_is_served_to_loopback_under_the_listeners_host_only() {
    let t = spawn().await;
    let pool = t.create_pool(true).await;
    invite(&t, &pool, "bob@example.com", None).await;
    let http = reqwest::Client::new();
    let json: Value = http
        .get(format!("{}/outbox.json?to=bob@example.com", t.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let messages = json["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["destination"], "bob@example.com");
    let none: Value = http
        .get(format!(
            "{}/outbox.json?to=nobody@example.com",
            t.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(none["messages"].as_array().unwrap().len(), 0);

    let page = http
        .get(format!("{}/outbox", t.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let text = page.text().await.unwrap();
    assert!(text.contains("bob@example.com") && text.contains("temporary password is"));

    // A page on a rebound name reaches loopback with a foreign Host: refused.
    for path in ["/outbox", "/outbox.json"] {
        let refused = http
            .get(format!("{}{path}", t.base_url()))
            .header("host", "evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403, "{path}");
        assert!(!refused.text().await.unwrap().contains("bob@example.com"));
    }
}

//! Administrative operations: listing, passwords, attributes, deletion, sign-out by admin.

use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, MessageActionType, UserStatusType,
};

use crate::helpers::{attribute, claims_of, error_of, spawn, ClientSpec, NEW_PASSWORD};

#[tokio::test]
async fn list_users_filters_by_email_and_username_and_paginates() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    for name in ["ann", "ben", "cat", "dan", "eve"] {
        t.create_user(&pool, name, &format!("{name}@example.com"), "t")
            .await;
    }
    let by_email = t
        .sdk
        .list_users()
        .user_pool_id(&pool)
        .filter("email = \"cat@example.com\"")
        .send()
        .await
        .unwrap();
    let names: Vec<_> = by_email
        .users()
        .iter()
        .map(|u| u.username().unwrap())
        .collect();
    assert_eq!(names, ["cat"]);
    let by_username = t
        .sdk
        .list_users()
        .user_pool_id(&pool)
        .filter("username = \"dan\"")
        .send()
        .await
        .unwrap();
    assert_eq!(by_username.users().len(), 1);
    assert_eq!(
        by_username.users()[0].user_status,
        Some(UserStatusType::ForceChangePassword)
    );

    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = t
            .sdk
            .list_users()
            .user_pool_id(&pool)
            .limit(2)
            .set_pagination_token(token)
            .send()
            .await
            .unwrap();
        assert!(page.users().len() <= 2);
        seen.extend(
            page.users()
                .iter()
                .map(|u| u.username().unwrap().to_owned()),
        );
        token = page.pagination_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, ["ann", "ben", "cat", "dan", "eve"]);
}

#[tokio::test]
async fn list_user_pools_requires_max_results_and_pages() {
    let t = spawn().await;
    let mut created = Vec::new();
    for _ in 0..3 {
        created.push(t.create_pool(false).await);
    }
    created.sort();
    let first = t.sdk.list_user_pools().max_results(2).send().await.unwrap();
    assert_eq!(first.user_pools().len(), 2);
    let rest = t
        .sdk
        .list_user_pools()
        .max_results(2)
        .set_next_token(first.next_token.clone())
        .send()
        .await
        .unwrap();
    let mut ids: Vec<String> = first
        .user_pools()
        .iter()
        .chain(rest.user_pools())
        .map(|p| p.id().unwrap().to_owned())
        .collect();
    ids.sort();
    assert_eq!(ids, created);
    let (code, _) = error_of(t.sdk.list_user_pools().max_results(0).send().await);
    assert_eq!(code, "InvalidParameterException");
}

#[tokio::test]
async fn a_permanent_password_skips_the_challenge_and_a_temporary_one_forces_it() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    let set = |permanent: bool| {
        t.sdk
            .admin_set_user_password()
            .user_pool_id(&pool)
            .username("alice")
            .password(NEW_PASSWORD)
            .permanent(permanent)
            .send()
    };
    set(true).await.unwrap();
    let answer = t
        .admin_sign_in(&pool, &client.id, "alice", NEW_PASSWORD)
        .await
        .unwrap();
    assert!(answer.challenge_name.is_none());
    assert!(answer.authentication_result.is_some());

    set(false).await.unwrap();
    let answer = t
        .admin_sign_in(&pool, &client.id, "alice", NEW_PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        answer.challenge_name,
        Some(ChallengeNameType::NewPasswordRequired)
    );
}

#[tokio::test]
async fn updated_attributes_show_in_the_next_id_token_and_immutable_ones_are_refused() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.confirmed_user(&pool, &client.id, "alice", "tenant-a")
        .await;
    t.sdk
        .admin_update_user_attributes()
        .user_pool_id(&pool)
        .username("alice")
        .user_attributes(attribute("custom:tenant_id", "tenant-z"))
        .user_attributes(attribute("name", "Alice"))
        .send()
        .await
        .unwrap();
    let tokens = t
        .admin_sign_in(&pool, &client.id, "alice", NEW_PASSWORD)
        .await
        .unwrap();
    let id = claims_of(&tokens.authentication_result.unwrap().id_token.unwrap());
    assert_eq!(id["custom:tenant_id"], "tenant-z");
    assert_eq!(id["name"], "Alice");

    let (code, _) = error_of(
        t.sdk
            .admin_update_user_attributes()
            .user_pool_id(&pool)
            .username("alice")
            .user_attributes(attribute("sub", "forged"))
            .send()
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
}

#[tokio::test]
async fn a_deleted_user_is_gone_with_their_tokens() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (_, tokens) = t.confirmed_user(&pool, &client.id, "alice", "t").await;
    t.sdk
        .admin_delete_user()
        .user_pool_id(&pool)
        .username("alice")
        .send()
        .await
        .unwrap();
    let (code, _) = error_of(
        t.sdk
            .admin_get_user()
            .user_pool_id(&pool)
            .username("alice")
            .send()
            .await,
    );
    assert_eq!(code, "UserNotFoundException");
    let (code, _) = error_of(
        t.sdk
            .get_user()
            .access_token(tokens.access_token.unwrap())
            .send()
            .await,
    );
    assert_eq!(code, "UserNotFoundException");
    let (code, _) = error_of(t.refresh(&client.id, tokens.refresh_token.unwrap()).await);
    assert_eq!(code, "NotAuthorizedException");
}

#[tokio::test]
async fn admin_global_sign_out_revokes_tokens_on_every_client() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let web = t.create_client(&pool, ClientSpec::default()).await;
    let cli = t.create_client(&pool, ClientSpec::default()).await;
    let (_, web_tokens) = t.confirmed_user(&pool, &web.id, "alice", "t").await;
    let cli_tokens = t
        .admin_sign_in(&pool, &cli.id, "alice", NEW_PASSWORD)
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    t.sdk
        .admin_user_global_sign_out()
        .user_pool_id(&pool)
        .username("alice")
        .send()
        .await
        .unwrap();
    for (client, tokens) in [(&web, &web_tokens), (&cli, &cli_tokens)] {
        let (_, message) = error_of(
            t.refresh(&client.id, tokens.refresh_token.clone().unwrap())
                .await,
        );
        assert_eq!(message, "Refresh Token has been revoked");
    }
}

#[tokio::test]
async fn revoke_token_revokes_that_refresh_token_and_its_access_tokens_only() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (_, first) = t.confirmed_user(&pool, &client.id, "alice", "t").await;
    let second = t
        .admin_sign_in(&pool, &client.id, "alice", NEW_PASSWORD)
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    t.sdk
        .revoke_token()
        .client_id(&client.id)
        .token(first.refresh_token.clone().unwrap())
        .send()
        .await
        .unwrap();
    let (_, message) = error_of(
        t.sdk
            .get_user()
            .access_token(first.access_token.unwrap())
            .send()
            .await,
    );
    assert_eq!(message, "Access Token has been revoked");
    assert!(t
        .sdk
        .get_user()
        .access_token(second.access_token.unwrap())
        .send()
        .await
        .is_ok());
    let (code, _) = error_of(
        t.sdk
            .revoke_token()
            .client_id(&client.id)
            .token(second.id_token.unwrap())
            .send()
            .await,
    );
    assert_eq!(code, "UnsupportedTokenTypeException");
}

#[tokio::test]
async fn resend_gives_an_unconfirmed_user_a_new_temporary_password() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.create_user(&pool, "alice", "alice@example.com", "t")
        .await;
    let resend = |password: &'static str| {
        t.sdk
            .admin_create_user()
            .user_pool_id(&pool)
            .username("alice")
            .temporary_password(password)
            .message_action(MessageActionType::Resend)
            .send()
    };
    resend("Other-Temp-1!").await.unwrap();
    let (code, _) = error_of(
        t.admin_sign_in(&pool, &client.id, "alice", crate::helpers::TEMP_PASSWORD)
            .await,
    );
    assert_eq!(code, "NotAuthorizedException");
    let answer = t
        .admin_sign_in(&pool, &client.id, "alice", "Other-Temp-1!")
        .await
        .unwrap();
    assert_eq!(
        answer.challenge_name,
        Some(ChallengeNameType::NewPasswordRequired)
    );

    t.sdk
        .admin_set_user_password()
        .user_pool_id(&pool)
        .username("alice")
        .password(NEW_PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    let (code, _) = error_of(resend("Third-Temp-1!").await);
    assert_eq!(code, "UnsupportedUserStateException");
}

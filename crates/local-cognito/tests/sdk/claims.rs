//! Claims that depend on pool state: group membership and the access-token attributes option.

use crate::helpers::{error_of, spawn, ClientSpec, NEW_PASSWORD};

#[tokio::test]
async fn group_members_get_cognito_groups_in_both_tokens() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    t.confirmed_user(&pool, &client.id, "dave", "tenant-d")
        .await;
    for (name, precedence) in [("readers", 2), ("admins", 1)] {
        t.sdk
            .create_group()
            .user_pool_id(&pool)
            .group_name(name)
            .precedence(precedence)
            .send()
            .await
            .unwrap();
        t.sdk
            .admin_add_user_to_group()
            .user_pool_id(&pool)
            .username("dave")
            .group_name(name)
            .send()
            .await
            .unwrap();
    }
    let tokens = t
        .admin_sign_in(&pool, &client.id, "dave", NEW_PASSWORD)
        .await
        .unwrap();
    let tokens = tokens.authentication_result.unwrap();
    let access = t
        .verified_claims(&pool, tokens.access_token.as_deref().unwrap())
        .await;
    let id = t
        .verified_claims(&pool, tokens.id_token.as_deref().unwrap())
        .await;
    assert_eq!(
        access["cognito:groups"],
        serde_json::json!(["admins", "readers"])
    );
    assert_eq!(id["cognito:groups"], access["cognito:groups"]);

    t.sdk
        .admin_remove_user_from_group()
        .user_pool_id(&pool)
        .username("dave")
        .group_name("admins")
        .send()
        .await
        .unwrap();
    let tokens = t
        .admin_sign_in(&pool, &client.id, "dave", NEW_PASSWORD)
        .await
        .unwrap();
    let access =
        crate::helpers::claims_of(&tokens.authentication_result.unwrap().access_token.unwrap());
    assert_eq!(access["cognito:groups"], serde_json::json!(["readers"]));

    let (code, _) = error_of(
        t.sdk
            .create_group()
            .user_pool_id(&pool)
            .group_name("readers")
            .send()
            .await,
    );
    assert_eq!(code, "GroupExistsException");
}

#[tokio::test]
async fn the_access_token_attributes_option_copies_tenant_id_into_access_tokens() {
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await;
    let (_, before) = t
        .confirmed_user(&pool, &client.id, "erin", "tenant-e")
        .await;
    assert!(
        !crate::helpers::claims_of(before.access_token.as_deref().unwrap())
            .contains_key("custom:tenant_id")
    );

    t.idp
        .set_access_token_attributes(&pool, &["custom:tenant_id".to_owned()])
        .await
        .unwrap();
    let after = t
        .admin_sign_in(&pool, &client.id, "erin", NEW_PASSWORD)
        .await
        .unwrap();
    let access = t
        .verified_claims(
            &pool,
            &after.authentication_result.unwrap().access_token.unwrap(),
        )
        .await;
    assert_eq!(access["custom:tenant_id"], "tenant-e");

    let missing = t
        .idp
        .set_access_token_attributes("us-east-1_nope", &[])
        .await;
    assert!(matches!(
        missing,
        Err(local_cognito::Error::PoolNotFound(_))
    ));
}

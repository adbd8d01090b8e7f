//! A genuine Cognito token is accepted and its claims read back.

use cognito_verify::{CognitoClaims, TokenUse};

use crate::support::{keys, Env, CLIENT};

#[tokio::test]
async fn a_valid_access_token_verifies_and_exposes_its_claims() {
    let env = Env::start().await;
    let verifier = env.access_verifier().await;
    let token = env.access().sign(&keys()[0]);

    let claims = verifier.verify(&token).await.unwrap();

    assert_eq!(claims.sub(), "11111111-2222-3333-4444-555555555555");
    assert_eq!(claims.token_use(), TokenUse::Access);
    assert_eq!(claims.username(), Some("alice"));
    assert_eq!(claims.groups(), ["admins", "tenant-acme"]);
    assert_eq!(
        claims.scope(),
        Some("aws.cognito.signin.user.admin items/read")
    );
    assert_eq!(claims.issuer(), env.issuer());
    assert_eq!(claims.exp(), env.clock.secs() + 3600);
    assert_eq!(claims.origin_jti(), Some("origin-1"));
    let CognitoClaims::Access(access) = &*claims else {
        panic!("expected access claims")
    };
    assert_eq!(access.client_id, CLIENT);
    assert!(verifier.is_ready());
}

#[tokio::test]
async fn a_valid_id_token_verifies_with_custom_attributes() {
    let env = Env::start().await;
    let verifier = env.builder(TokenUse::Id).build().unwrap();
    verifier.hydrate().await.unwrap();
    let token = env.id().sign(&keys()[0]);

    let claims = verifier.verify(&token).await.unwrap();

    assert_eq!(claims.token_use(), TokenUse::Id);
    assert_eq!(claims.username(), Some("alice"));
    assert_eq!(claims.email(), Some("alice@example.com"));
    assert_eq!(claims.claim_str("custom:tenant_id"), Some("acme"));
    assert_eq!(
        claims.claim("email_verified"),
        Some(&serde_json::Value::Bool(true))
    );
}

#[tokio::test]
async fn a_verifier_is_not_ready_before_hydration() {
    let env = Env::start().await;
    let verifier = env.builder(TokenUse::Access).build().unwrap();
    assert!(!verifier.is_ready());
    verifier.hydrate().await.unwrap();
    assert!(verifier.is_ready());
    assert_eq!(env.server.fetches(), 1);
}

//! The test harness: a provider on port 0 with a manual clock, an SDK client pointed at it,
//! set-up shortcuts, and JWT verification against the served JWKS.

use std::time::SystemTime;

use aws_lc_rs::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::operation::admin_initiate_auth::AdminInitiateAuthOutput;
use aws_sdk_cognitoidentityprovider::operation::admin_respond_to_auth_challenge::AdminRespondToAuthChallengeOutput;
use aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, AttributeType, AuthFlowType, AuthenticationResultType, ChallengeNameType,
    ExplicitAuthFlowsType, FeatureType, MessageActionType, PreventUserExistenceErrorTypes,
    RefreshTokenRotationType, SchemaAttributeType, UsernameAttributeType,
};
use aws_sdk_cognitoidentityprovider::Client;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, Mac as _};
use local_cognito::{LocalCognito, ManualClock, Options, RunningIdp};
use serde_json::{Map, Value};
use sha2::Sha256;

pub(crate) const TEMP_PASSWORD: &str = "Temp-Passw0rd!";
pub(crate) const NEW_PASSWORD: &str = "New-Passw0rd!";

pub(crate) struct TestIdp {
    pub(crate) idp: LocalCognito,
    pub(crate) running: RunningIdp,
    pub(crate) sdk: Client,
    pub(crate) clock: ManualClock,
}

/// An SDK client for `base_url` with static test credentials (never the AWS endpoint).
pub(crate) fn sdk_client(base_url: &str) -> Client {
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(base_url)
        .credentials_provider(Credentials::new("test", "test", None, None, "test"))
        .build();
    Client::from_conf(config)
}

/// An in-memory provider with a manual clock, started on 127.0.0.1:0.
pub(crate) async fn spawn() -> TestIdp {
    let clock = ManualClock::new(SystemTime::now());
    let options = Options {
        clock: std::sync::Arc::new(clock.clone()),
        ..Options::in_memory()
    };
    spawn_with(options, clock).await
}

pub(crate) async fn spawn_with(options: Options, clock: ManualClock) -> TestIdp {
    let idp = LocalCognito::open(options).await.unwrap();
    let running = idp
        .clone()
        .start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let sdk = sdk_client(&running.base_url());
    TestIdp {
        idp,
        running,
        sdk,
        clock,
    }
}

/// How a test client is configured.
pub(crate) struct ClientSpec {
    pub(crate) secret: bool,
    pub(crate) flows: Vec<ExplicitAuthFlowsType>,
    pub(crate) prevent_user_existence_errors: PreventUserExistenceErrorTypes,
    /// `RefreshTokenRotation` with this `RetryGracePeriodSeconds`; `None` = no rotation.
    pub(crate) rotation_grace: Option<i32>,
}

impl Default for ClientSpec {
    /// What tenant-api creates for itself: admin password sign-in, refresh, existence hidden.
    fn default() -> Self {
        Self {
            secret: false,
            flows: vec![
                ExplicitAuthFlowsType::AllowAdminUserPasswordAuth,
                ExplicitAuthFlowsType::AllowUserPasswordAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ],
            prevent_user_existence_errors: PreventUserExistenceErrorTypes::Enabled,
            rotation_grace: None,
        }
    }
}

pub(crate) struct TestClient {
    pub(crate) id: String,
    pub(crate) secret: Option<String>,
}

pub(crate) fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// The email of a test user: the username itself when it is one.
pub(crate) fn email_for(username: &str) -> String {
    if username.contains('@') {
        username.to_owned()
    } else {
        format!("{username}@example.com")
    }
}

/// `Base64(HMAC-SHA256(secret, username + client_id))`, computed independently of the crate.
pub(crate) fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The error code and message of a failed SDK call.
pub(crate) fn error_of<T: std::fmt::Debug, E: ProvideErrorMetadata + std::fmt::Debug>(
    result: Result<T, E>,
) -> (String, String) {
    let error = result.expect_err("the call should have failed");
    (
        error.code().unwrap_or_default().to_owned(),
        error.message().unwrap_or_default().to_owned(),
    )
}

impl TestIdp {
    pub(crate) fn base_url(&self) -> String {
        self.running.base_url()
    }

    /// A pool with `custom:tenant_id`; `email_username` makes users sign in with their email.
    pub(crate) async fn create_pool(&self, email_username: bool) -> String {
        let mut request = self.sdk.create_user_pool().pool_name("test-pool").schema(
            SchemaAttributeType::builder()
                .name("tenant_id")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .build(),
        );
        if email_username {
            request = request.username_attributes(UsernameAttributeType::Email);
        }
        request.send().await.unwrap().user_pool.unwrap().id.unwrap()
    }

    pub(crate) async fn create_client(&self, pool_id: &str, spec: ClientSpec) -> TestClient {
        let rotation = spec.rotation_grace.map(|grace| {
            RefreshTokenRotationType::builder()
                .feature(FeatureType::Enabled)
                .retry_grace_period_seconds(grace)
                .build()
                .unwrap()
        });
        let created = self
            .sdk
            .create_user_pool_client()
            .user_pool_id(pool_id)
            .client_name("test-client")
            .generate_secret(spec.secret)
            .set_explicit_auth_flows(Some(spec.flows))
            .prevent_user_existence_errors(spec.prevent_user_existence_errors)
            .set_refresh_token_rotation(rotation)
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap();
        TestClient {
            id: created.client_id.unwrap(),
            secret: created.client_secret,
        }
    }

    /// A user with [`TEMP_PASSWORD`], an email and `custom:tenant_id`; returns the internal
    /// username.
    pub(crate) async fn create_user(
        &self,
        pool_id: &str,
        username: &str,
        email: &str,
        tenant: &str,
    ) -> String {
        self.sdk
            .admin_create_user()
            .user_pool_id(pool_id)
            .username(username)
            .temporary_password(TEMP_PASSWORD)
            .message_action(MessageActionType::Suppress)
            .user_attributes(attribute("email", email))
            .user_attributes(attribute("email_verified", "true"))
            .user_attributes(attribute("custom:tenant_id", tenant))
            .send()
            .await
            .unwrap()
            .user
            .unwrap()
            .username
            .unwrap()
    }

    pub(crate) async fn admin_sign_in(
        &self,
        pool_id: &str,
        client_id: &str,
        username: &str,
        password: &str,
    ) -> Result<AdminInitiateAuthOutput, aws_sdk_cognitoidentityprovider::Error> {
        self.sdk
            .admin_initiate_auth()
            .user_pool_id(pool_id)
            .client_id(client_id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", password)
            .send()
            .await
            .map_err(Into::into)
    }

    /// REFRESH_TOKEN_AUTH through the public InitiateAuth.
    pub(crate) async fn refresh(
        &self,
        client_id: &str,
        refresh_token: impl Into<String>,
    ) -> Result<InitiateAuthOutput, aws_sdk_cognitoidentityprovider::Error> {
        self.sdk
            .initiate_auth()
            .client_id(client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", refresh_token)
            .send()
            .await
            .map_err(Into::into)
    }

    /// GetTokensFromRefreshToken (the rotating clients' refresh) for a client without secret.
    pub(crate) async fn tokens_from_refresh(
        &self,
        client_id: &str,
        refresh_token: impl Into<String>,
    ) -> Result<AuthenticationResultType, aws_sdk_cognitoidentityprovider::Error> {
        let output = self
            .sdk
            .get_tokens_from_refresh_token()
            .client_id(client_id)
            .refresh_token(refresh_token)
            .send()
            .await?;
        Ok(output.authentication_result.unwrap())
    }

    /// Answers NEW_PASSWORD_REQUIRED through AdminRespondToAuthChallenge.
    pub(crate) async fn respond_new_password(
        &self,
        pool_id: &str,
        client_id: &str,
        username: &str,
        session: impl Into<String>,
        new_password: &str,
    ) -> Result<AdminRespondToAuthChallengeOutput, aws_sdk_cognitoidentityprovider::Error> {
        self.sdk
            .admin_respond_to_auth_challenge()
            .user_pool_id(pool_id)
            .client_id(client_id)
            .challenge_name(ChallengeNameType::NewPasswordRequired)
            .session(session)
            .challenge_responses("USERNAME", username)
            .challenge_responses("NEW_PASSWORD", new_password)
            .send()
            .await
            .map_err(Into::into)
    }

    /// Creates a user and takes them through NEW_PASSWORD_REQUIRED; returns the internal
    /// username and the tokens.
    pub(crate) async fn confirmed_user(
        &self,
        pool_id: &str,
        client_id: &str,
        username: &str,
        tenant: &str,
    ) -> (String, AuthenticationResultType) {
        let internal = self
            .create_user(pool_id, username, &email_for(username), tenant)
            .await;
        let challenge = self
            .admin_sign_in(pool_id, client_id, username, TEMP_PASSWORD)
            .await
            .unwrap();
        let tokens = self
            .respond_new_password(
                pool_id,
                client_id,
                username,
                challenge.session.unwrap(),
                NEW_PASSWORD,
            )
            .await
            .unwrap()
            .authentication_result
            .unwrap();
        (internal, tokens)
    }

    pub(crate) async fn get_json(&self, path: &str) -> Value {
        reqwest::get(format!("{}{path}", self.base_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Verifies `token` with the key of its `kid` from the pool's served JWKS; returns claims.
    pub(crate) async fn verified_claims(&self, pool_id: &str, token: &str) -> Map<String, Value> {
        let jwks = self
            .get_json(&format!("/{pool_id}/.well-known/jwks.json"))
            .await;
        verify_with_jwks(&jwks, token).expect("token must verify against the served JWKS")
    }
}

/// Verifies an RS256 JWT against a JWKS document with aws-lc-rs; `None` when it does not verify.
pub(crate) fn verify_with_jwks(jwks: &Value, token: &str) -> Option<Map<String, Value>> {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three parts");
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).ok()?).ok()?;
    assert_eq!(header["alg"], "RS256");
    let kid = header["kid"].as_str()?;
    let jwk = jwks["keys"]
        .as_array()?
        .iter()
        .find(|key| key["kid"] == kid)?;
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["alg"], "RS256");
    assert_eq!(jwk["use"], "sig");
    let key = RsaPublicKeyComponents {
        n: URL_SAFE_NO_PAD.decode(jwk["n"].as_str()?).ok()?,
        e: URL_SAFE_NO_PAD.decode(jwk["e"].as_str()?).ok()?,
    };
    let signature = URL_SAFE_NO_PAD.decode(parts[2]).ok()?;
    let signed = format!("{}.{}", parts[0], parts[1]);
    key.verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
        .ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).ok()?).ok()
}

/// The claims of a JWT without verifying it (for tests that compare claims only).
pub(crate) fn claims_of(token: &str) -> Map<String, Value> {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

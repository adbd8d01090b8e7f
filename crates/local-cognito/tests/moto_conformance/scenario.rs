//! One sign-in scenario, run step by step against any Cognito endpoint through the SDK; each
//! step's outcome is recorded as text so two endpoints can be compared.

use std::collections::BTreeSet;

use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, AttributeType, AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType,
    MessageActionType, SchemaAttributeType,
};
use aws_sdk_cognitoidentityprovider::Client;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

const TEMP_PASSWORD: &str = "Temp-Passw0rd!";
const NEW_PASSWORD: &str = "New-Passw0rd!";
const USERNAME: &str = "conformance-user";

/// One step's name and what happened, e.g. `ok`, `error NotAuthorizedException`,
/// `claims [sub, ...]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub(crate) name: &'static str,
    pub(crate) outcome: String,
}

fn sdk(endpoint: &str) -> Client {
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("test", "test", None, None, "test"))
        .build();
    Client::from_conf(config)
}

fn failed<E: ProvideErrorMetadata>(error: &E) -> String {
    format!("error {}", error.code().unwrap_or("<no code>"))
}

fn claim_names(token: Option<&str>) -> String {
    let names: BTreeSet<String> = token
        .and_then(|t| t.split('.').nth(1))
        .and_then(|payload| URL_SAFE_NO_PAD.decode(payload).ok())
        .and_then(|json| {
            serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&json).ok()
        })
        .map(|claims| claims.keys().cloned().collect())
        .unwrap_or_default();
    format!("claims {names:?}")
}

fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// Runs the scenario against `endpoint`. Set-up calls (pool, client, user) must succeed on
/// every endpoint; everything after is recorded, not asserted.
pub(crate) async fn run(endpoint: &str) -> Vec<Step> {
    let sdk = sdk(endpoint);
    let mut steps = Vec::new();
    let mut record = |name: &'static str, outcome: String| steps.push(Step { name, outcome });

    let pool = sdk
        .create_user_pool()
        .pool_name("conformance")
        .schema(
            SchemaAttributeType::builder()
                .name("tenant_id")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .build(),
        )
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("conformance")
        .generate_secret(true)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .expect("client");
    let client_id = client.client_id.clone().expect("client id");
    let secret = client.client_secret.clone().expect("client secret");
    let hash = secret_hash(&secret, USERNAME, &client_id);
    let created = sdk
        .admin_create_user()
        .user_pool_id(&pool)
        .username(USERNAME)
        .temporary_password(TEMP_PASSWORD)
        .message_action(MessageActionType::Suppress)
        .user_attributes(attribute("email", "conformance@example.com"))
        .user_attributes(attribute("custom:tenant_id", "tenant-1"))
        .send()
        .await;
    record(
        "AdminCreateUser",
        created.as_ref().map_or_else(failed, |_| "ok".to_owned()),
    );

    let sign_in = |password: &'static str, username: &'static str, with_hash: bool| {
        let mut request = sdk
            .admin_initiate_auth()
            .user_pool_id(&pool)
            .client_id(&client_id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", password);
        if with_hash {
            request =
                request.auth_parameters("SECRET_HASH", secret_hash(&secret, username, &client_id));
        }
        request.send()
    };

    let missing_hash = sign_in(TEMP_PASSWORD, USERNAME, false).await;
    record(
        "admin sign-in without SECRET_HASH",
        missing_hash
            .as_ref()
            .map_or_else(failed, |_| "ok".to_owned()),
    );

    let challenge = sign_in(TEMP_PASSWORD, USERNAME, true).await;
    record(
        "admin sign-in with the temporary password",
        match &challenge {
            Ok(answer) => format!("challenge {:?}", answer.challenge_name),
            Err(error) => failed(error),
        },
    );
    let session = challenge
        .ok()
        .and_then(|answer| answer.session)
        .unwrap_or_default();

    let respond = |session: String| {
        sdk.admin_respond_to_auth_challenge()
            .user_pool_id(&pool)
            .client_id(&client_id)
            .challenge_name(ChallengeNameType::NewPasswordRequired)
            .session(session)
            .challenge_responses("USERNAME", USERNAME)
            .challenge_responses("NEW_PASSWORD", NEW_PASSWORD)
            .challenge_responses("SECRET_HASH", hash.clone())
            .send()
    };
    let bad_session = respond("bm90LWEtc2Vzc2lvbg".to_owned()).await;
    record(
        "respond with a bad session",
        bad_session
            .as_ref()
            .map_or_else(failed, |_| "ok".to_owned()),
    );
    let answered = respond(session).await;
    record(
        "respond to NEW_PASSWORD_REQUIRED",
        answered.as_ref().map_or_else(failed, |a| {
            format!("tokens {}", a.authentication_result.is_some())
        }),
    );
    let tokens = answered.ok().and_then(|a| a.authentication_result);
    let access = tokens
        .as_ref()
        .and_then(|t| t.access_token.clone())
        .unwrap_or_default();
    let refresh_token = tokens
        .as_ref()
        .and_then(|t| t.refresh_token.clone())
        .unwrap_or_default();
    record("access token claim names", claim_names(Some(&access)));
    record(
        "id token claim names",
        claim_names(tokens.as_ref().and_then(|t| t.id_token.as_deref())),
    );

    let wrong = sign_in("Wrong-Passw0rd!", USERNAME, true).await;
    record(
        "wrong password",
        wrong.as_ref().map_or_else(failed, |_| "ok".to_owned()),
    );
    let unknown = sign_in(NEW_PASSWORD, "nobody-here", true).await;
    record(
        "unknown user",
        unknown.as_ref().map_or_else(failed, |_| "ok".to_owned()),
    );
    let signed_in = sign_in(NEW_PASSWORD, USERNAME, true).await;
    record(
        "admin sign-in with the new password",
        signed_in.as_ref().map_or_else(failed, |a| {
            format!("tokens {}", a.authentication_result.is_some())
        }),
    );

    let refresh = || {
        sdk.admin_initiate_auth()
            .user_pool_id(&pool)
            .client_id(&client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", refresh_token.clone())
            .auth_parameters("SECRET_HASH", hash.clone())
            .send()
    };
    let refreshed = refresh().await;
    record(
        "refresh",
        refreshed.as_ref().map_or_else(failed, |a| {
            let result = a.authentication_result.as_ref();
            format!(
                "tokens {} new refresh token {}",
                result.is_some_and(|r| r.access_token.is_some()),
                result.is_some_and(|r| r.refresh_token.is_some())
            )
        }),
    );
    let me = sdk.get_user().access_token(&access).send().await;
    record(
        "GetUser",
        me.as_ref().map_or_else(failed, |u| {
            format!("ok username matches {}", u.username == USERNAME)
        }),
    );
    let signed_out = sdk.global_sign_out().access_token(&access).send().await;
    record(
        "GlobalSignOut",
        signed_out.as_ref().map_or_else(failed, |_| "ok".to_owned()),
    );
    let after = refresh().await;
    record(
        "refresh after sign-out",
        after.as_ref().map_or_else(failed, |_| "ok".to_owned()),
    );
    let me_after = sdk.get_user().access_token(&access).send().await;
    record(
        "GetUser after sign-out",
        me_after.as_ref().map_or_else(failed, |_| "ok".to_owned()),
    );
    let garbage = sdk
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", "garbage")
        .auth_parameters("SECRET_HASH", hash.clone())
        .send()
        .await;
    record(
        "garbage refresh token",
        garbage.as_ref().map_or_else(failed, |_| "ok".to_owned()),
    );
    steps
}

//! The embedded identity provider's browser clients: a public app client for code flow with
//! PKCE in the browser, a confidential one (with a secret) for the Backend-for-Frontend (both
//! scopes `openid email profile`, refresh-token rotation), and a Hosted UI domain, created once
//! per pool and remembered next to it; their URLs follow the configuration at every start.

use std::path::Path;

use anyhow::Context;
use aws_sdk_cognitoidentityprovider::types::{
    ExplicitAuthFlowsType, FeatureType, OAuthFlowType, PreventUserExistenceErrorTypes,
    RefreshTokenRotationType,
};
use aws_sdk_cognitoidentityprovider::Client;
use serde::{Deserialize, Serialize};

/// One of the browser clients: where it is remembered, its name, and whether it has a secret.
struct ClientKind {
    file: &'static str,
    name: &'static str,
    secret: bool,
}

const WEB: ClientKind = ClientKind {
    file: "embedded-web-client.json",
    name: "tenant-api-web",
    secret: false,
};
const BFF: ClientKind = ClientKind {
    file: "embedded-bff-client.json",
    name: "tenant-api-bff",
    secret: true,
};
/// Scopes a browser may ask for.
pub const WEB_SCOPES: [&str; 3] = ["openid", "email", "profile"];
/// Seconds a rotated-out refresh token keeps working (two tabs refreshing at once).
const ROTATION_GRACE_SECS: i32 = 10;

/// The remembered web client of one pool.
#[derive(Serialize, Deserialize)]
struct Remembered {
    pool_id: String,
    client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
}

/// The web client's settings, applied alike to CreateUserPoolClient and UpdateUserPoolClient
/// (whose builders share these setters but no type).
macro_rules! web_settings {
    ($request:expr, $name:expr, $callbacks:expr, $logouts:expr) => {{
        let rotation = RefreshTokenRotationType::builder()
            .feature(FeatureType::Enabled)
            .retry_grace_period_seconds(ROTATION_GRACE_SECS)
            .build()
            .context("refresh token rotation settings")?;
        let mut request = $request
            .client_name($name)
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_flows_user_pool_client(true)
            .supported_identity_providers("COGNITO")
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
            .refresh_token_rotation(rotation)
            .set_callback_urls(Some($callbacks.to_vec()))
            .set_logout_urls(Some($logouts.to_vec()));
        for scope in WEB_SCOPES {
            request = request.allowed_o_auth_scopes(scope);
        }
        request
    }};
}

/// Makes sure the pool has its web client (registering `callbacks` and `logouts`) and a
/// Hosted UI domain; returns the client id.
pub async fn ensure_web_client(
    client: &Client,
    data_dir: &Path,
    pool_id: &str,
    callbacks: &[String],
    logouts: &[String],
) -> anyhow::Result<String> {
    let (id, _) = ensure_client(&WEB, client, data_dir, pool_id, callbacks, logouts).await?;
    Ok(id)
}

/// Makes sure the pool has the BFF's confidential client (registering `callbacks` and
/// `logouts`) and a Hosted UI domain; returns its id and secret.
pub async fn ensure_bff_client(
    client: &Client,
    data_dir: &Path,
    pool_id: &str,
    callbacks: &[String],
    logouts: &[String],
) -> anyhow::Result<(String, String)> {
    let (id, secret) = ensure_client(&BFF, client, data_dir, pool_id, callbacks, logouts).await?;
    let secret = secret.context("the embedded BFF client has no secret")?;
    Ok((id, secret))
}

async fn ensure_client(
    kind: &ClientKind,
    client: &Client,
    data_dir: &Path,
    pool_id: &str,
    callbacks: &[String],
    logouts: &[String],
) -> anyhow::Result<(String, Option<String>)> {
    let path = data_dir.join(kind.file);
    let remembered = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_json::from_str::<Remembered>(&text).ok())
        .filter(|r| r.pool_id == pool_id && r.client_secret.is_some() == kind.secret);
    if let Some(r) = remembered {
        if let Some(urls) = registered_urls(client, pool_id, &r.client_id).await {
            if urls != (callbacks.to_vec(), logouts.to_vec()) {
                let request = client
                    .update_user_pool_client()
                    .user_pool_id(pool_id)
                    .client_id(&r.client_id);
                web_settings!(request, kind.name, callbacks, logouts)
                    .send()
                    .await
                    .context(URLS_HINT)?;
            }
            return Ok((r.client_id, r.client_secret));
        }
    }
    let (id, secret) = create(kind, client, pool_id, callbacks, logouts).await?;
    let text = serde_json::to_string_pretty(&Remembered {
        pool_id: pool_id.to_owned(),
        client_id: id.clone(),
        client_secret: secret.clone(),
    })?;
    write_private(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
    ensure_domain(client, pool_id).await?;
    Ok((id, secret))
}

/// Writes `text` readable by its owner only (the BFF client's file holds its secret).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

const URLS_HINT: &str =
    "cannot configure the embedded web client (check WEB_CALLBACK_URLS and WEB_LOGOUT_URLS)";

/// The callback and sign-out URLs of an existing client; `None` when it is gone.
async fn registered_urls(
    client: &Client,
    pool_id: &str,
    client_id: &str,
) -> Option<(Vec<String>, Vec<String>)> {
    let described = client
        .describe_user_pool_client()
        .user_pool_id(pool_id)
        .client_id(client_id)
        .send()
        .await
        .ok()?;
    let settings = described.user_pool_client()?;
    Some((
        settings.callback_urls().to_vec(),
        settings.logout_urls().to_vec(),
    ))
}

async fn create(
    kind: &ClientKind,
    client: &Client,
    pool_id: &str,
    callbacks: &[String],
    logouts: &[String],
) -> anyhow::Result<(String, Option<String>)> {
    let request = client
        .create_user_pool_client()
        .user_pool_id(pool_id)
        .generate_secret(kind.secret);
    let created = web_settings!(request, kind.name, callbacks, logouts)
        .send()
        .await
        .context(URLS_HINT)?;
    let settings = created
        .user_pool_client()
        .context("CreateUserPoolClient returned no client")?;
    let id = settings
        .client_id()
        .map(str::to_owned)
        .context("CreateUserPoolClient returned no id")?;
    Ok((id, settings.client_secret().map(str::to_owned)))
}

/// A Hosted UI domain for the pool, unless it has one.
async fn ensure_domain(client: &Client, pool_id: &str) -> anyhow::Result<()> {
    let pool = client
        .describe_user_pool()
        .user_pool_id(pool_id)
        .send()
        .await
        .context("cannot describe the embedded user pool")?;
    if pool.user_pool().and_then(|p| p.domain()).is_some() {
        return Ok(());
    }
    let prefix = format!(
        "tenant-api-{}",
        pool_id.to_ascii_lowercase().replace('_', "-")
    );
    client
        .create_user_pool_domain()
        .user_pool_id(pool_id)
        .domain(prefix)
        .send()
        .await
        .context("cannot create the embedded Hosted UI domain")?;
    Ok(())
}

/// `web` completed by the embedded identity provider: its web client (unless `WEB_CLIENT_ID`
/// names one) with URLs for `served`, and its listener as the Hosted UI (unless
/// `COGNITO_DOMAIN` names one).
pub async fn complete_web_config(
    idp: &crate::embedded::EmbeddedIdp,
    data_dir: &Path,
    web: &crate::config::WebConfig,
    served: std::net::SocketAddr,
) -> anyhow::Result<crate::config::WebConfig> {
    let mut web = web.clone();
    if web.client_id.is_none() {
        let id = ensure_web_client(
            &idp.client,
            data_dir,
            &idp.ids.pool_id,
            &web.callback_urls_for(served),
            &web.logout_urls_for(served),
        )
        .await?;
        web.client_id = Some(id);
    }
    web.hosted_ui.get_or_insert_with(|| idp.running.base_url());
    Ok(web)
}

/// `bff` completed by the embedded identity provider: its confidential client (unless
/// `BFF_CLIENT_ID` names one) with the BFF's callback URLs for `served`, and each callback's
/// origin as a sign-out URL.
pub async fn complete_bff_config(
    idp: &crate::embedded::EmbeddedIdp,
    data_dir: &Path,
    bff: &crate::config::BffConfig,
    served: std::net::SocketAddr,
) -> anyhow::Result<crate::config::BffConfig> {
    let mut bff = bff.clone();
    bff.callback_urls = bff.callback_urls_for(served);
    if bff.client_id.is_none() {
        let landings: Vec<String> = bff
            .callback_urls
            .iter()
            .map(|url| {
                url.trim_end_matches(crate::config::BFF_CALLBACK_PATH)
                    .to_owned()
                    + "/"
            })
            .collect();
        let (id, secret) = ensure_bff_client(
            &idp.client,
            data_dir,
            &idp.ids.pool_id,
            &bff.callback_urls,
            &landings,
        )
        .await?;
        bff.client_id = Some(id);
        bff.client_secret = Some(secret.into());
    }
    Ok(bff)
}

/// What a front end needs, as start-up prints it: issuer, client id, Hosted UI and the Auth.js
/// environment lines.
pub fn front_end_lines(issuer: &str, web: &crate::config::WebConfig) -> Vec<String> {
    let (Some(client_id), Some(hosted_ui)) = (&web.client_id, &web.hosted_ui) else {
        return vec![
            "  Web sign-in: off (set WEB_CLIENT_ID and COGNITO_DOMAIN for the console at /)".into(),
        ];
    };
    vec![
        format!("  Web client:  issuer {issuer}"),
        format!("               client id {client_id} (public: no secret, code flow with PKCE)"),
        format!("               Hosted UI {hosted_ui}"),
        "  Auth.js / NextAuth (Cognito provider; checks: [\"pkce\", \"state\"]):".into(),
        format!("    AUTH_COGNITO_ID={client_id}"),
        format!("    AUTH_COGNITO_ISSUER={issuer}"),
    ]
}

//! Tenancy settings: where the requested tenant comes from and how strictly it is checked, and
//! their parsing from the environment.

use std::str::FromStr;

use http::HeaderName;

use super::env::{ConfigError, EnvSource};

/// Where the requested tenant is read from (`TENANT_MODE`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum TenantMode {
    /// The tenant header (`TENANT_HEADER`, default `X-Tenant-Id`).
    Header,
    /// The first label of the Host below `TENANT_MAIN_DOMAIN`.
    Subdomain,
    /// The token's tenant claim only (`COGNITO_TENANT_CLAIM`).
    Claim,
}

/// Tenancy settings, with the original design's variable names.
#[derive(Clone, Debug)]
pub struct TenancyConfig {
    /// `MULTI_TENANT_ENABLED`: off means every request uses tenant `public`.
    pub enabled: bool,
    /// `TENANT_MODE`.
    pub mode: TenantMode,
    /// `TENANT_HEADER`.
    pub header: HeaderName,
    /// `TENANT_STRICT`: the requested tenant must be proven by the user's tenant attribute.
    pub strict: bool,
    /// `TENANT_MAIN_DOMAIN` (lower-case, no surrounding dots).
    pub main_domain: Option<String>,
    /// `COGNITO_TENANT_CLAIM`: claim (and user attribute) holding the user's tenant.
    pub claim: String,
}

impl Default for TenancyConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            mode: TenantMode::Header,
            header: HeaderName::from_static("x-tenant-id"),
            strict: true,
            main_domain: None,
            claim: "custom:tenant_id".into(),
        }
    }
}

/// `MULTI_TENANT_ENABLED`, `TENANT_MODE`, `TENANT_HEADER`, `TENANT_STRICT`,
/// `TENANT_MAIN_DOMAIN` and `COGNITO_TENANT_CLAIM`.
pub(super) fn from_env(env: &EnvSource) -> Result<TenancyConfig, ConfigError> {
    let mode = match env
        .get("TENANT_MODE")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("header") => TenantMode::Header,
        Some("subdomain") => TenantMode::Subdomain,
        Some("claim") => TenantMode::Claim,
        Some(other) => {
            return Err(ConfigError::new(
                "TENANT_MODE",
                format!("= {other:?}: expected header, subdomain or claim"),
            ))
        }
    };
    let header = env.get("TENANT_HEADER").unwrap_or("X-Tenant-Id");
    let header = http::HeaderName::from_str(header).map_err(|_| {
        ConfigError::new(
            "TENANT_HEADER",
            format!("= {header:?}: not a valid header name"),
        )
    })?;
    let main_domain = env
        .get("TENANT_MAIN_DOMAIN")
        .map(|d| d.trim_matches('.').to_ascii_lowercase());
    if mode == TenantMode::Subdomain && main_domain.is_none() {
        return Err(ConfigError::new(
            "TENANT_MAIN_DOMAIN",
            "is required when TENANT_MODE=subdomain (e.g. api.example.com)",
        ));
    }
    let claim = env
        .get("COGNITO_TENANT_CLAIM")
        .unwrap_or("custom:tenant_id")
        .to_owned();
    Ok(TenancyConfig {
        enabled: env.flag("MULTI_TENANT_ENABLED", true)?,
        mode,
        header,
        strict: env.flag("TENANT_STRICT", true)?,
        main_domain,
        claim,
    })
}

//! Tenancy settings: where the requested tenant comes from and how strictly it is checked.

use http::HeaderName;

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

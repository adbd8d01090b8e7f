//! The Hosted UI and OAuth2/OIDC endpoints driven by a real relying-party library (the
//! `openidconnect` crate) and a cookie-keeping HTTP browser submitting the sign-in forms.

mod browser;
mod flow;
mod lockout;
mod negative;
mod rotation;
mod settings;

use aws_sdk_cognitoidentityprovider::types::{
    FeatureType, OAuthFlowType, RefreshTokenRotationType,
};
use openidconnect::core::{CoreClient, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};

use crate::helpers::{spawn, TestIdp};
pub(crate) use browser::{Browser, Page};

/// The Auth.js callback of the original design's web client.
pub(crate) const CALLBACK: &str = "http://localhost:3000/api/auth/callback/cognito";
pub(crate) const SIGNED_OUT: &str = "http://localhost:3000/signed-out";

/// The relying party's client as built from discovery.
pub(crate) type Rp = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A provider with a pool, a web client and a user holding a temporary password.
pub(crate) struct Hosted {
    pub(crate) t: TestIdp,
    pub(crate) pool: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: Option<String>,
    pub(crate) http: reqwest::Client,
}

/// How the web client is registered.
pub(crate) struct WebClient {
    pub(crate) secret: bool,
    pub(crate) scopes: &'static [&'static str],
    pub(crate) rotation_grace: Option<i32>,
}

impl Default for WebClient {
    fn default() -> Self {
        Self {
            secret: false,
            scopes: &["openid", "email", "profile"],
            rotation_grace: None,
        }
    }
}

pub(crate) async fn web_client(
    t: &TestIdp,
    pool: &str,
    spec: &WebClient,
) -> (String, Option<String>) {
    let mut request = t
        .sdk
        .create_user_pool_client()
        .user_pool_id(pool)
        .client_name("Tenant web")
        .generate_secret(spec.secret)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_flows_user_pool_client(true)
        .callback_urls(CALLBACK)
        .logout_urls(SIGNED_OUT)
        .supported_identity_providers("COGNITO");
    for scope in spec.scopes {
        request = request.allowed_o_auth_scopes(*scope);
    }
    if let Some(grace) = spec.rotation_grace {
        request = request.refresh_token_rotation(
            RefreshTokenRotationType::builder()
                .feature(FeatureType::Enabled)
                .retry_grace_period_seconds(grace)
                .build()
                .unwrap(),
        );
    }
    let created = request.send().await.unwrap().user_pool_client.unwrap();
    (created.client_id.unwrap(), created.client_secret)
}

impl Hosted {
    pub(crate) async fn new(spec: WebClient) -> Self {
        let t = spawn().await;
        let pool = t.create_pool(true).await;
        let (client_id, client_secret) = web_client(&t, &pool, &spec).await;
        t.create_user(&pool, "ada@example.com", "ada@example.com", "tenant-a")
            .await;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            t,
            pool,
            client_id,
            client_secret,
            http,
        }
    }

    pub(crate) fn issuer(&self) -> String {
        format!("{}/{}", self.t.base_url(), self.pool)
    }

    pub(crate) fn browser(&self) -> Browser {
        Browser::new(&self.t.base_url())
    }

    /// Discovery, then a client for `client_id` with the callback as redirect.
    pub(crate) async fn rp_for(&self, client_id: &str, secret: Option<&str>) -> Rp {
        let metadata = CoreProviderMetadata::discover_async(
            IssuerUrl::new(self.issuer()).unwrap(),
            &self.http,
        )
        .await
        .unwrap();
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(client_id.to_owned()),
            secret.map(|s| ClientSecret::new(s.to_owned())),
        )
        .set_redirect_uri(RedirectUrl::new(CALLBACK.to_owned()).unwrap())
    }

    pub(crate) async fn rp(&self) -> Rp {
        self.rp_for(&self.client_id, self.client_secret.as_deref())
            .await
    }
}

/// An authorization request: its URL and what the relying party keeps to check the answer.
pub(crate) struct Request {
    pub(crate) url: String,
    pub(crate) state: CsrfToken,
    pub(crate) nonce: Nonce,
    pub(crate) verifier: PkceCodeVerifier,
}

pub(crate) fn authorize(rp: &Rp, scopes: &[&str]) -> Request {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut builder = rp
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for scope in scopes {
        builder = builder.add_scope(Scope::new((*scope).to_owned()));
    }
    let (url, state, nonce) = builder.url();
    Request {
        url: url.to_string(),
        state,
        nonce,
        verifier,
    }
}

/// Signs in through the form (and the new-password page when `new_password` is given);
/// returns the redirect to the callback.
pub(crate) async fn sign_in(
    browser: &mut Browser,
    url: &str,
    username: &str,
    password: &str,
    new_password: Option<&str>,
) -> Page {
    let form = browser.visit(url).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = form.field("_csrf").unwrap();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("username", username),
        ("password", password),
    ];
    let mut page = browser.post(&form.form_action(), &fields).await;
    if let Some(new_password) = new_password {
        assert_eq!(page.status, 200, "the new-password page: {}", page.body);
        let csrf = page.field("_csrf").unwrap();
        let session = page.field("session").unwrap();
        let user = page.field("username").unwrap();
        let fields = [
            ("_csrf", csrf.as_str()),
            ("session", session.as_str()),
            ("username", user.as_str()),
            ("new_password", new_password),
            ("confirm_password", new_password),
        ];
        page = browser.post(&page.form_action(), &fields).await;
    }
    assert_eq!(page.status, 302, "{}", page.body);
    page
}

//! Who may call the JSON API. The browser endpoints, discovery and the JWKS answer everyone;
//! the JSON API, which accepts any AWS credentials and so administers everything, answers
//! loopback peers only unless the operator opts in ([`ApiAccess`]), and only under a `Host`
//! that names this listener ([`ApiHosts`]), so a web page cannot reach it through DNS
//! rebinding.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::uri::Authority;
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::CognitoError;

/// Who may call the JSON API (`POST /`) from beyond loopback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ApiAccess {
    /// Loopback peers only (the default).
    #[default]
    LoopbackOnly,
    /// Also peers whose SigV4 `Authorization` names this access key id (set
    /// `AWS_ACCESS_KEY_ID` to it in the remote client). The signature itself is not verified.
    /// Must not be empty ([`crate::LocalCognito::open`] refuses it).
    AccessKey(String),
    /// Anyone who can reach the listener (an explicit opt-in).
    Anyone,
}

/// Why a caller may use the JSON API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Allowed {
    /// A loopback peer, an in-process caller, or anyone under [`ApiAccess::Anyone`]: the
    /// `Host` must still name this listener.
    ByAddress,
    /// It signs with the configured access key id, which a rebinding page cannot know.
    ByKey,
}

impl ApiAccess {
    /// One line for start-up output: what the listener at `addr` serves to whom.
    pub fn describe(&self, addr: SocketAddr) -> String {
        if addr.ip().is_loopback() {
            return "listening on loopback only: the JSON API and the Hosted UI answer this machine".to_owned();
        }
        match self {
            Self::LoopbackOnly => "the Hosted UI, discovery and JWKS answer any host; the JSON API answers loopback peers only".to_owned(),
            Self::AccessKey(_) => "the Hosted UI, discovery and JWKS answer any host; the JSON API answers loopback peers and callers signing with the configured access key id".to_owned(),
            Self::Anyone => "WARNING: the JSON API (which accepts any credentials) answers any host that can reach this listener".to_owned(),
        }
    }

    /// True for an access key that would match a request with `Credential=/…`.
    pub(crate) fn has_empty_key(&self) -> bool {
        matches!(self, Self::AccessKey(key) if key.trim().is_empty())
    }

    fn allows(&self, peer: Option<SocketAddr>, authorization: Option<&str>) -> Option<Allowed> {
        if let Self::AccessKey(key) = self {
            let signed_with_key = !key.is_empty()
                && authorization
                    .and_then(|value| value.split("Credential=").nth(1))
                    .and_then(|credential| credential.split('/').next())
                    .is_some_and(|given| {
                        bool::from(subtle::ConstantTimeEq::ct_eq(
                            given.as_bytes(),
                            key.as_bytes(),
                        ))
                    });
            if signed_with_key {
                return Some(Allowed::ByKey);
            }
        }
        // No peer address means an in-process caller (the router served without a socket).
        let local = peer.is_none_or(|peer| peer.ip().is_loopback() || is_mapped_loopback(peer));
        (local || *self == Self::Anyone).then_some(Allowed::ByAddress)
    }
}

fn is_mapped_loopback(peer: SocketAddr) -> bool {
    match peer.ip() {
        IpAddr::V6(ip) => ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        IpAddr::V4(_) => false,
    }
}

/// The `Host` values under which the JSON API answers: loopback names (`localhost`,
/// `127.0.0.1`, `[::1]`), any IP address literal, the public URL's host and the configured
/// names; with no port, the listener's port or the public URL's. A DNS rebinding attack needs
/// a name the attacker controls, which is none of these.
#[derive(Debug, Clone, Default)]
pub(crate) struct ApiHosts {
    names: Vec<String>,
    ports: Vec<u16>,
}

impl ApiHosts {
    /// The hosts of the listener at `listener_url`, the public URL and `names`.
    pub(crate) fn new(listener_url: &str, public_url: Option<&str>, names: &[String]) -> Self {
        let mut hosts = Self::default();
        for url in [Some(listener_url), public_url].into_iter().flatten() {
            if let Ok(url) = url::Url::parse(url) {
                if let Some(port) = url.port_or_known_default() {
                    hosts.ports.push(port);
                }
                if let Some(host) = url.host_str() {
                    hosts.names.push(normalize(host));
                }
            }
        }
        hosts.names.extend(names.iter().map(|name| normalize(name)));
        hosts
    }

    /// True when `host` (a `Host` header value) names this listener.
    fn allows(&self, host: &str) -> bool {
        let Ok(authority) = host.parse::<Authority>() else {
            return false;
        };
        let port_ok = authority
            .port_u16()
            .is_none_or(|port| self.ports.contains(&port));
        let name = normalize(authority.host());
        let literal = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok();
        port_ok && (name == "localhost" || literal || self.names.contains(&name))
    }
}

/// Lower case, without a trailing dot (`localhost.` names `localhost`).
fn normalize(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// The state of the JSON API's guard: who may call and under which hosts; shared by clones
/// of one router.
#[derive(Debug, Clone)]
pub(crate) struct ApiGuard {
    access: ApiAccess,
    hosts: Arc<ApiHosts>,
    warned_about_proxy: Arc<AtomicBool>,
}

impl ApiGuard {
    /// A guard for `access` under `hosts`.
    pub(crate) fn new(access: ApiAccess, hosts: ApiHosts) -> Self {
        Self {
            access,
            hosts: Arc::new(hosts),
            warned_about_proxy: Arc::new(AtomicBool::new(false)),
        }
    }

    /// True the first time a JSON API request shows it came through a reverse proxy while no
    /// access key guards the API: behind a proxy on this host every caller looks like loopback.
    fn first_proxied_request(&self, headers: &HeaderMap) -> bool {
        let proxied = ["x-forwarded-for", "forwarded", "x-real-ip"]
            .iter()
            .any(|name| headers.contains_key(*name));
        proxied
            && !matches!(self.access, ApiAccess::AccessKey(_))
            && !self.warned_about_proxy.swap(true, Ordering::Relaxed)
    }
}

fn denied(message: &str) -> Response {
    let mut response = CognitoError::new("AccessDeniedException", message).into_response();
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

/// Middleware of `POST /`: refuses callers [`ApiAccess`] does not allow, and requests whose
/// `Host` does not name this listener, with a Cognito-shaped 403 naming the reason.
pub(crate) async fn guard(State(guard): State<ApiGuard>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if guard.first_proxied_request(headers) {
        tracing::warn!(
            "local-cognito: a JSON API request carries forwarding headers (X-Forwarded-For, \
             Forwarded or X-Real-IP): behind a reverse proxy every caller looks like a loopback \
             peer. The proxy must not forward the JSON API (POST /), or the API must require an \
             access key (Options::api_access; tenant-api idp --api-access-key)"
        );
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let Some(allowed) = guard.access.allows(peer, authorization) else {
        return denied(
            "local-cognito answers its JSON API to loopback peers only; the operator can open it (ApiAccess)",
        );
    };
    // Browsers always send Host; a request without one is not a web page's.
    let host = headers.get(header::HOST).map(|value| value.to_str());
    let host_ok = match host {
        None => true,
        Some(Ok(host)) => guard.hosts.allows(host),
        Some(Err(_)) => false,
    };
    if allowed == Allowed::ByAddress && !host_ok {
        return denied(
            "local-cognito answers its JSON API only under a Host that names its listener \
             (localhost, an IP address, the public URL's host or a configured name)",
        );
    }
    next.run(request).await
}

/// Middleware of the developer pages (the outbox): loopback peers only, whatever
/// [`ApiAccess`] allows, and only under a `Host` naming this listener. They show temporary
/// passwords, so no access key or opt-in opens them to other hosts.
pub(crate) async fn loopback_only(
    State(guard): State<ApiGuard>,
    request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    let local = peer.is_none_or(|peer| peer.ip().is_loopback() || is_mapped_loopback(peer));
    let host_ok = match request
        .headers()
        .get(header::HOST)
        .map(|value| value.to_str())
    {
        None => true,
        Some(Ok(host)) => guard.hosts.allows(host),
        Some(Err(_)) => false,
    };
    if !local || !host_ok {
        return denied("local-cognito shows its outbox to loopback peers only, under a Host naming its listener");
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(ip: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(ip.parse().unwrap(), 1234))
    }

    #[test]
    fn remote_peers_need_an_opt_in() {
        let signed = "AWS4-HMAC-SHA256 Credential=shared-key/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00";
        let by_address = Some(Allowed::ByAddress);
        assert_eq!(
            ApiAccess::LoopbackOnly.allows(peer("127.0.0.1"), None),
            by_address
        );
        assert_eq!(
            ApiAccess::LoopbackOnly.allows(peer("::ffff:127.0.0.1"), None),
            by_address
        );
        assert_eq!(
            ApiAccess::LoopbackOnly.allows(peer("10.0.0.2"), Some(signed)),
            None
        );
        assert_eq!(ApiAccess::Anyone.allows(peer("10.0.0.2"), None), by_address);
        let key = ApiAccess::AccessKey("shared-key".into());
        assert_eq!(
            key.allows(peer("10.0.0.2"), Some(signed)),
            Some(Allowed::ByKey)
        );
        let other = signed.replace("shared-key", "other");
        assert_eq!(key.allows(peer("10.0.0.2"), Some(&other)), None);
        assert_eq!(key.allows(peer("10.0.0.2"), None), None);
    }

    /// `GET /page` behind [`loopback_only`], called in-process as a peer at `peer` (if any).
    async fn developer_page_status(
        access: ApiAccess,
        peer: Option<&str>,
        host: &str,
    ) -> StatusCode {
        use tower::ServiceExt as _;
        let guard = ApiGuard::new(access, ApiHosts::new("http://127.0.0.1:9229", None, &[]));
        let router = axum::Router::new()
            .route("/page", axum::routing::get(|| async { "secret" }))
            .layer(axum::middleware::from_fn_with_state(guard, loopback_only));
        let mut request = Request::builder()
            .uri("/page")
            .header(header::HOST, host)
            .body(axum::body::Body::empty())
            .unwrap();
        if let Some(peer) = peer {
            let addr = SocketAddr::new(peer.parse().unwrap(), 1234);
            request.extensions_mut().insert(ConnectInfo(addr));
        }
        router.oneshot(request).await.unwrap().status()
    }

    #[tokio::test]
    async fn developer_pages_answer_loopback_only_whatever_the_api_allows() {
        let host = "127.0.0.1:9229";
        for access in [
            ApiAccess::LoopbackOnly,
            ApiAccess::Anyone,
            ApiAccess::AccessKey("k".into()),
        ] {
            assert_eq!(
                developer_page_status(access.clone(), Some("127.0.0.1"), host).await,
                StatusCode::OK
            );
            assert_eq!(
                developer_page_status(access.clone(), Some("::1"), host).await,
                StatusCode::OK
            );
            assert_eq!(
                developer_page_status(access.clone(), None, host).await,
                StatusCode::OK
            );
            assert_eq!(
                developer_page_status(access.clone(), Some("10.0.0.2"), host).await,
                StatusCode::FORBIDDEN,
                "{access:?}"
            );
            assert_eq!(
                developer_page_status(access, Some("127.0.0.1"), "evil.example:9229").await,
                StatusCode::FORBIDDEN
            );
        }
    }

    #[test]
    fn an_empty_key_matches_nothing() {
        let empty = ApiAccess::AccessKey(String::new());
        assert!(empty.has_empty_key());
        assert!(ApiAccess::AccessKey(" ".into()).has_empty_key());
        assert!(!ApiAccess::AccessKey("k".into()).has_empty_key());
        let blank = "AWS4-HMAC-SHA256 Credential=/20260101/us-east-1/cognito-idp/aws4_request";
        assert_eq!(empty.allows(peer("10.0.0.2"), Some(blank)), None);
    }

    #[test]
    fn hosts_name_the_listener_or_are_refused() {
        let hosts = ApiHosts::new(
            "http://127.0.0.1:9229",
            Some("https://idp.example.com"),
            &["idp".to_owned()],
        );
        for good in [
            "localhost:9229",
            "LOCALHOST",
            "localhost.:9229",
            "127.0.0.1:9229",
            "127.0.0.1",
            "[::1]:9229",
            "[::1]",
            "192.168.1.5:9229",
            "idp.example.com",
            "idp.example.com:443",
            "idp:9229",
        ] {
            assert!(hosts.allows(good), "{good}");
        }
        for bad in [
            "evil.example:9229",
            "evil.example",
            "localhost:8080",
            "127.0.0.1:1",
            "idp.example.com.evil.example",
            "",
            "local host",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }

    #[test]
    fn a_proxied_request_is_reported_once_unless_a_key_guards_the_api() {
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        let guard = ApiGuard::new(ApiAccess::LoopbackOnly, ApiHosts::default());
        assert!(!guard.first_proxied_request(&HeaderMap::new()));
        assert!(guard.first_proxied_request(&proxied));
        assert!(!guard.first_proxied_request(&proxied));
        let keyed = ApiGuard::new(ApiAccess::AccessKey("k".into()), ApiHosts::default());
        assert!(!keyed.first_proxied_request(&proxied));
    }
}

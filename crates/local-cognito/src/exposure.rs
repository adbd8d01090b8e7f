//! Who may call the JSON API. The browser endpoints, discovery and the JWKS answer everyone;
//! the JSON API, which accepts any AWS credentials and so administers everything, answers
//! loopback peers only unless the operator opts in ([`ApiAccess`]).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
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
    AccessKey(String),
    /// Anyone who can reach the listener (an explicit opt-in).
    Anyone,
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

    fn allows(&self, peer: Option<SocketAddr>, authorization: Option<&str>) -> bool {
        // No peer address means an in-process caller (the router served without a socket).
        if peer.is_none_or(|peer| peer.ip().is_loopback() || is_mapped_loopback(peer)) {
            return true;
        }
        match self {
            Self::LoopbackOnly => false,
            Self::Anyone => true,
            Self::AccessKey(key) => authorization
                .and_then(|value| value.split("Credential=").nth(1))
                .and_then(|credential| credential.split('/').next())
                .is_some_and(|given| {
                    bool::from(subtle::ConstantTimeEq::ct_eq(
                        given.as_bytes(),
                        key.as_bytes(),
                    ))
                }),
        }
    }
}

fn is_mapped_loopback(peer: SocketAddr) -> bool {
    match peer.ip() {
        std::net::IpAddr::V6(ip) => ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        std::net::IpAddr::V4(_) => false,
    }
}

/// Middleware of `POST /`: refuses callers [`ApiAccess`] does not allow, with a Cognito-shaped
/// error naming the reason.
pub(crate) async fn guard(
    State(access): State<ApiAccess>,
    request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    if access.allows(peer, authorization) {
        return next.run(request).await;
    }
    let mut response = CognitoError::new(
        "AccessDeniedException",
        "local-cognito answers its JSON API to loopback peers only; the operator can open it (ApiAccess)",
    )
    .into_response();
    *response.status_mut() = axum::http::StatusCode::FORBIDDEN;
    response
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
        assert!(ApiAccess::LoopbackOnly.allows(peer("127.0.0.1"), None));
        assert!(ApiAccess::LoopbackOnly.allows(peer("::ffff:127.0.0.1"), None));
        assert!(!ApiAccess::LoopbackOnly.allows(peer("10.0.0.2"), Some(signed)));
        assert!(ApiAccess::Anyone.allows(peer("10.0.0.2"), None));
        let key = ApiAccess::AccessKey("shared-key".into());
        assert!(key.allows(peer("10.0.0.2"), Some(signed)));
        assert!(!key.allows(
            peer("10.0.0.2"),
            Some(&signed.replace("shared-key", "other"))
        ));
        assert!(!key.allows(peer("10.0.0.2"), None));
    }
}

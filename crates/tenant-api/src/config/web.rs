//! The browser client: the app client and Hosted UI a front end (the console at `/`, or an
//! Auth.js app) signs in with.

use std::net::SocketAddr;

use super::env::{endpoint, ConfigError, EnvSource};

/// Where NextAuth / Auth.js's Cognito provider receives the code, on its default port.
const NEXTAUTH_CALLBACK: &str = "http://localhost:3000/api/auth/callback/cognito";
/// Where a NextAuth front end on its default port lands after signing out.
const NEXTAUTH_SIGNED_OUT: &str = "http://localhost:3000/";
/// The console's callback path, on the service's own address.
pub const CONSOLE_CALLBACK_PATH: &str = "/callback";

/// The browser client's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebConfig {
    /// `WEB_CLIENT_ID`: the public app client browsers use. Set by the embedded identity
    /// provider on its defaults; required (with `COGNITO_DOMAIN`) for the console on a real pool.
    pub client_id: Option<String>,
    /// `COGNITO_DOMAIN`: the Hosted UI base URL (`https://<prefix>.auth.<region>.amazoncognito.com`).
    pub hosted_ui: Option<String>,
    /// `WEB_CALLBACK_URLS`: redirect URLs registered on the embedded web client.
    pub callback_urls: Vec<String>,
    /// `WEB_LOGOUT_URLS`: sign-out URLs registered on the embedded web client.
    pub logout_urls: Vec<String>,
}

impl WebConfig {
    /// Both the client and the Hosted UI are known: the console can sign in.
    pub fn is_complete(&self) -> bool {
        self.client_id.is_some() && self.hosted_ui.is_some()
    }

    /// The callback URLs to register: `WEB_CALLBACK_URLS`, or the console's own on `served`
    /// plus NextAuth's default.
    pub fn callback_urls_for(&self, served: SocketAddr) -> Vec<String> {
        if !self.callback_urls.is_empty() {
            return self.callback_urls.clone();
        }
        let mut urls = origins(served)
            .into_iter()
            .map(|origin| format!("{origin}{CONSOLE_CALLBACK_PATH}"))
            .collect::<Vec<_>>();
        urls.push(NEXTAUTH_CALLBACK.to_owned());
        urls
    }

    /// The sign-out URLs to register: `WEB_LOGOUT_URLS`, or the console on `served` plus
    /// NextAuth's default.
    pub fn logout_urls_for(&self, served: SocketAddr) -> Vec<String> {
        if !self.logout_urls.is_empty() {
            return self.logout_urls.clone();
        }
        let mut urls = origins(served)
            .into_iter()
            .map(|origin| format!("{origin}/"))
            .collect::<Vec<_>>();
        urls.push(NEXTAUTH_SIGNED_OUT.to_owned());
        urls
    }
}

/// The origins a browser on this machine reaches `served` by.
pub(super) fn origins(served: SocketAddr) -> Vec<String> {
    let port = served.port();
    let mut hosts = vec!["127.0.0.1".to_owned(), "localhost".to_owned()];
    let ip = served.ip();
    if !ip.is_unspecified() && !ip.is_loopback() {
        hosts.insert(0, ip.to_string());
    }
    hosts
        .into_iter()
        .map(|host| format!("http://{host}:{port}"))
        .collect()
}

pub(super) fn load(env: &EnvSource) -> Result<WebConfig, ConfigError> {
    let hosted_ui = match env.get("COGNITO_DOMAIN") {
        // A bare domain, as the Cognito console shows it.
        Some(raw) if !raw.contains("://") => Some(format!("https://{}", raw.trim_end_matches('/'))),
        _ => endpoint(env, "COGNITO_DOMAIN")?,
    };
    let web = WebConfig {
        client_id: env.get("WEB_CLIENT_ID").map(str::to_owned),
        hosted_ui,
        callback_urls: urls(env, "WEB_CALLBACK_URLS")?,
        logout_urls: urls(env, "WEB_LOGOUT_URLS")?,
    };
    Ok(web)
}

fn urls(env: &EnvSource, name: &str) -> Result<Vec<String>, ConfigError> {
    let list = env.list(name);
    for raw in &list {
        let ok = url::Url::parse(raw).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !ok {
            return Err(ConfigError::new(
                name,
                format!("= {raw:?}: expected a comma-separated list of http(s) URLs"),
            ));
        }
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_pairs(pairs: &[(&str, &str)]) -> Result<WebConfig, ConfigError> {
        load(&EnvSource::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn defaults_are_the_console_on_the_served_address_and_nextauth() {
        let web = load_pairs(&[]).unwrap();
        assert!(!web.is_complete());
        let served = SocketAddr::from(([0, 0, 0, 0], 8000));
        assert_eq!(
            web.callback_urls_for(served),
            vec![
                "http://127.0.0.1:8000/callback",
                "http://localhost:8000/callback",
                NEXTAUTH_CALLBACK
            ]
        );
        assert_eq!(
            web.logout_urls_for(served),
            vec![
                "http://127.0.0.1:8000/",
                "http://localhost:8000/",
                NEXTAUTH_SIGNED_OUT
            ]
        );
    }

    #[test]
    fn explicit_lists_replace_the_defaults_and_bad_urls_name_their_variable() {
        let web = load_pairs(&[("WEB_CALLBACK_URLS", "https://app.example.com/cb")]).unwrap();
        let served = SocketAddr::from(([127, 0, 0, 1], 8000));
        assert_eq!(
            web.callback_urls_for(served),
            vec!["https://app.example.com/cb"]
        );
        let err = load_pairs(&[("WEB_LOGOUT_URLS", "not a url")]).unwrap_err();
        assert_eq!(err.variable, "WEB_LOGOUT_URLS");
    }

    #[test]
    fn a_bare_cognito_domain_becomes_an_https_base_url() {
        let web = load_pairs(&[
            ("COGNITO_DOMAIN", "acme.auth.eu-west-1.amazoncognito.com"),
            ("WEB_CLIENT_ID", "web123"),
        ])
        .unwrap();
        assert_eq!(
            web.hosted_ui.as_deref(),
            Some("https://acme.auth.eu-west-1.amazoncognito.com")
        );
        assert!(web.is_complete());
    }
}

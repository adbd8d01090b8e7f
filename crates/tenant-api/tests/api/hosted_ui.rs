//! A browser's sign-in through the embedded Hosted UI (authorization code + PKCE), driven over
//! HTTP: what the console or an Auth.js front end does, without a browser.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Response, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, PASSWORD};

/// Tokens from the Hosted UI's token endpoint.
pub struct WebTokens {
    pub access: String,
    pub id: String,
    pub refresh: String,
}

/// A cookie-keeping client that follows no redirect on its own.
pub struct Browser {
    pub http: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn new() -> Self {
        Self {
            http: reqwest::Client::builder()
                .no_proxy()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    /// Another browser with a copy of this one's cookies.
    pub fn clone_jar(&self) -> Self {
        let mut other = Self::new();
        other.cookies = self.cookies.clone();
        other
    }

    pub fn keep_cookies(&mut self, response: &Response) {
        for value in response.headers().get_all(SET_COOKIE) {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub fn cookie_header(&self) -> String {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join("; ")
    }

    pub async fn get(&mut self, url: &str) -> (StatusCode, Option<String>, String) {
        let response = self
            .http
            .get(url)
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    pub async fn post(
        &mut self,
        url: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, Option<String>, String) {
        let response = self
            .http
            .post(url)
            .header(COOKIE, self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    pub async fn read(&mut self, response: Response) -> (StatusCode, Option<String>, String) {
        self.keep_cookies(&response);
        let location = response
            .headers()
            .get(LOCATION)
            .map(|l| l.to_str().unwrap().to_owned());
        (response.status(), location, response.text().await.unwrap())
    }
}

pub fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect(name) + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].replace("&amp;", "&")
}

pub fn form_action(html: &str, base: &str) -> String {
    let start = html.find("action=\"").expect("a form") + "action=\"".len();
    let end = html[start..].find('"').unwrap() + start;
    let action = html[start..end].replace("&amp;", "&");
    if action.starts_with('/') {
        format!("{base}{action}")
    } else {
        action
    }
}

pub fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Signs `email` in through the Hosted UI with `password` (setting `new_password` when the
/// password is temporary) and redeems the code at the token endpoint.
pub async fn hosted_sign_in(
    app: &TestApp,
    email: &str,
    password: &str,
    new_password: Option<&str>,
) -> WebTokens {
    let hosted = app.web.hosted_ui.clone().expect("a Hosted UI");
    let client_id = app.web.client_id.clone().expect("a web client");
    let redirect = format!("http://127.0.0.1:{}/callback", app.addr.port());
    let verifier = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let mut authorize = url::Url::parse(&format!("{hosted}/oauth2/authorize")).unwrap();
    authorize
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &client_id)
        .append_pair("redirect_uri", &redirect)
        .append_pair("state", "st4te")
        .append_pair("scope", "openid email profile")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    let mut browser = Browser::new();
    let (status, location, _) = browser.get(authorize.as_str()).await;
    assert_eq!(status, StatusCode::FOUND);
    let login = location.unwrap();
    let login = if login.starts_with('/') {
        format!("{hosted}{login}")
    } else {
        login
    };
    let (status, _, form) = browser.get(&login).await;
    assert_eq!(status, StatusCode::OK, "{form}");
    let csrf = field(&form, "_csrf");
    let fields = [
        ("_csrf", csrf.as_str()),
        ("username", email),
        ("password", password),
    ];
    let (mut status, mut location, page) =
        browser.post(&form_action(&form, &hosted), &fields).await;
    if let Some(new_password) = new_password {
        assert_eq!(status, StatusCode::OK, "the new-password page: {page}");
        let (csrf, session, user) = (
            field(&page, "_csrf"),
            field(&page, "session"),
            field(&page, "username"),
        );
        let fields = [
            ("_csrf", csrf.as_str()),
            ("session", session.as_str()),
            ("username", user.as_str()),
            ("new_password", new_password),
            ("confirm_password", new_password),
        ];
        (status, location, _) = browser.post(&form_action(&page, &hosted), &fields).await;
    }
    assert_eq!(status, StatusCode::FOUND);
    let callback = location.unwrap();
    assert!(callback.starts_with(&redirect), "{callback}");
    assert_eq!(query_param(&callback, "state").as_deref(), Some("st4te"));
    let code = query_param(&callback, "code").expect("a code");
    let tokens: Value = browser
        .http
        .post(format!("{hosted}/oauth2/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", client_id.as_str()),
            ("code", code.as_str()),
            ("redirect_uri", redirect.as_str()),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    WebTokens {
        access: tokens["access_token"]
            .as_str()
            .expect("access token")
            .to_owned(),
        id: tokens["id_token"].as_str().expect("id token").to_owned(),
        refresh: tokens["refresh_token"]
            .as_str()
            .expect("refresh token")
            .to_owned(),
    }
}

/// The Hosted UI's refresh grant for the web client: new tokens (a new refresh token, rotation).
pub async fn hosted_refresh(app: &TestApp, refresh: &str) -> Value {
    let hosted = app.web.hosted_ui.clone().unwrap();
    let client_id = app.web.client_id.clone().unwrap();
    reqwest::Client::new()
        .post(format!("{hosted}/oauth2/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", client_id.as_str()),
            ("refresh_token", refresh),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Through `base`'s `/auth/login` (sent with `Host: host`) and the Hosted UI at `hosted`: signs
/// `email` in with its temporary password, sets the new one ([`PASSWORD`]) and stops at the
/// Hosted UI's redirect to the BFF's callback, whose URL it returns.
pub async fn bff_to_callback(
    browser: &mut Browser,
    base: &str,
    hosted: &str,
    email: &str,
    host: &str,
) -> String {
    let response = browser
        .http
        .get(format!("{base}/auth/login?return_to=/items"))
        .header("host", host)
        .header(COOKIE, browser.cookie_header())
        .send()
        .await
        .unwrap();
    let (status, location, _) = browser.read(response).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let authorize = location.unwrap();
    assert!(authorize.starts_with(&format!("{hosted}/oauth2/authorize?")));
    assert_eq!(
        query_param(&authorize, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(query_param(&authorize, "nonce").is_some_and(|n| n.len() >= 43));
    let (status, location, _) = browser.get(&authorize).await;
    assert_eq!(status, StatusCode::FOUND);
    let login = location.unwrap();
    let login = if login.starts_with('/') {
        format!("{hosted}{login}")
    } else {
        login
    };
    let (_, _, form) = browser.get(&login).await;
    let csrf = field(&form, "_csrf");
    let fields = [
        ("_csrf", csrf.as_str()),
        ("username", email),
        ("password", "Temp-Passw0rd!"),
    ];
    let (status, _, page) = browser.post(&form_action(&form, hosted), &fields).await;
    assert_eq!(status, StatusCode::OK, "the new-password page: {page}");
    let (csrf, session, user) = (
        field(&page, "_csrf"),
        field(&page, "session"),
        field(&page, "username"),
    );
    let fields = [
        ("_csrf", csrf.as_str()),
        ("session", session.as_str()),
        ("username", user.as_str()),
        ("new_password", PASSWORD),
        ("confirm_password", PASSWORD),
    ];
    let (status, location, _) = browser.post(&form_action(&page, hosted), &fields).await;
    assert_eq!(status, StatusCode::FOUND);
    location.unwrap()
}

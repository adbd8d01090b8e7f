//! A minimal cookie-keeping browser over reqwest: no redirects followed on its own, cookies
//! set and deleted as `Set-Cookie` says, forms read from the served HTML.

use std::collections::BTreeMap;

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;

/// One answer as the browser saw it.
pub(crate) struct Page {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: String,
}

impl Page {
    /// The value attribute of the input named `name`, HTML-unescaped.
    pub(crate) fn field(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(unescape(&self.body[start..end]))
    }

    /// The action of the page's form, HTML-unescaped.
    pub(crate) fn form_action(&self) -> String {
        let start = self.body.find("action=\"").expect("a form") + "action=\"".len();
        let end = self.body[start..].find('"').unwrap() + start;
        unescape(&self.body[start..end])
    }

    /// The text of the visible error paragraph, if any.
    pub(crate) fn error_text(&self) -> Option<String> {
        let start = self
            .body
            .find("role=\"alert\" >")
            .map(|i| i + "role=\"alert\" >".len())?;
        let end = self.body[start..].find("</p>")? + start;
        Some(unescape(&self.body[start..end]))
    }

    /// A query parameter of the redirect.
    pub(crate) fn location_param(&self, name: &str) -> Option<String> {
        let location = url::Url::parse(self.location.as_deref()?).ok()?;
        location
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }
}

fn unescape(value: &str) -> String {
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// A browser bound to one provider.
pub(crate) struct Browser {
    http: reqwest::Client,
    base: String,
    pub(crate) cookies: BTreeMap<String, String>,
}

impl Browser {
    pub(crate) fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_owned(),
            cookies: BTreeMap::new(),
        }
    }

    fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.base)
        } else {
            url.to_owned()
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn read(&mut self, response: reqwest::Response) -> Page {
        for value in response.headers().get_all(SET_COOKIE) {
            let value = value.to_str().unwrap();
            assert!(
                value.contains("HttpOnly") && value.contains("SameSite=Lax"),
                "{value}"
            );
            let (pair, attributes) = value.split_once(';').unwrap_or((value, ""));
            let (name, cookie) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), cookie.to_owned());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let location = headers
            .get(LOCATION)
            .map(|value| self.absolute(value.to_str().unwrap()));
        Page {
            status,
            location,
            headers,
            body: response.text().await.unwrap(),
        }
    }

    pub(crate) async fn get(&mut self, url: &str) -> Page {
        let response = self
            .http
            .get(self.absolute(url))
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    pub(crate) async fn post(&mut self, url: &str, form: &[(&str, &str)]) -> Page {
        let response = self
            .http
            .post(self.absolute(url))
            .header(COOKIE, self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    /// Follows redirects inside the provider until a page or a redirect elsewhere.
    pub(crate) async fn visit(&mut self, url: &str) -> Page {
        let mut page = self.get(url).await;
        while let Some(next) = page.location.clone().filter(|l| l.starts_with(&self.base)) {
            page = self.get(&next).await;
        }
        page
    }
}

//! The Hosted UI's sign-in form: the account lockout over HTTP, and the per-address limit
//! (a burst of 10 posts, then one per 6 s) answered with 429 and the form.

use std::time::Duration;

use super::{authorize, sign_in, Hosted, Page, WebClient};
use crate::helpers::{NEW_PASSWORD, TEMP_PASSWORD};

/// The fixture with ada's password chosen (one form post); returns it and the sign-in URL.
async fn confirmed() -> (Hosted, String) {
    let h = Hosted::new(WebClient::default()).await;
    let request = authorize(&h.rp().await, &["openid"]);
    let mut browser = h.browser();
    let url = request.url.clone();
    sign_in(
        &mut browser,
        &url,
        "ada@example.com",
        TEMP_PASSWORD,
        Some(NEW_PASSWORD),
    )
    .await;
    (h, url)
}

/// Posts the sign-in form once, in a fresh browser.
async fn post(h: &Hosted, url: &str, username: &str, password: &str) -> Page {
    let mut browser = h.browser();
    let form = browser.visit(url).await;
    let csrf = form.field("_csrf").unwrap();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("username", username),
        ("password", password),
    ];
    browser.post(&form.form_action(), &fields).await
}

fn assert_refused(page: &Page) {
    assert_eq!(page.status, 400, "{}", page.body);
    assert_eq!(
        page.error_text().as_deref(),
        Some("Incorrect username or password.")
    );
}

#[tokio::test]
async fn five_wrong_passwords_on_the_form_lock_the_account_until_the_interval_passes() {
    let (h, url) = confirmed().await;
    for _ in 0..5 {
        assert_refused(&post(&h, &url, "ada@example.com", "Wrong-Passw0rd!").await);
    }
    assert_refused(&post(&h, &url, "ada@example.com", NEW_PASSWORD).await);

    h.t.clock.advance(Duration::from_secs(1));
    let page = post(&h, &url, "ada@example.com", NEW_PASSWORD).await;
    assert_eq!(page.status, 302, "{}", page.body);
    assert!(page.location_param("code").is_some());
}

#[tokio::test]
async fn one_address_posting_too_fast_gets_429_and_the_form_until_it_slows_down() {
    let (h, url) = confirmed().await;
    // The confirmation used one post of the burst of ten; nine more (other names, so no
    // account locks) use it up.
    for i in 0..9 {
        assert_refused(&post(&h, &url, &format!("nobody-{i}@example.com"), "x").await);
    }
    let page = post(&h, &url, "ada@example.com", NEW_PASSWORD).await;
    assert_eq!(page.status, 429, "{}", page.body);
    assert_eq!(
        page.error_text().as_deref(),
        Some("Too many sign-in attempts from your network. Wait a minute and try again.")
    );
    assert_eq!(page.headers["retry-after"], "6");
    assert!(page.field("_csrf").is_some(), "the form is shown again");

    h.t.clock.advance(Duration::from_secs(6));
    let page = post(&h, &url, "ada@example.com", NEW_PASSWORD).await;
    assert_eq!(page.status, 302, "{}", page.body);
}

//! Sign-in costs the same whether or not the account exists or is enabled: benchmark-style
//! tests that time many interleaved tries of each kind and compare medians with a generous
//! bound (a missing account answered without hashing costs about a tenth of a wrong password).

use std::future::Future;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::types::AuthFlowType;

use crate::helpers::{spawn, ClientSpec, TestIdp, NEW_PASSWORD};
use crate::hosted::{authorize, Hosted, WebClient};

/// Tries of each kind; interleaved, so machine noise hits every kind alike.
const TRIES: usize = 15;
const WRONG: &str = "Wrong-Passw0rd!";

async fn timed<T>(call: impl Future<Output = T>) -> (Duration, T) {
    let started = Instant::now();
    let output = call.await;
    (started.elapsed(), output)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Asserts that `kind`'s median costs at least half of `baseline`'s (a wrong password).
fn assert_costs_alike(kind: &str, baseline: Vec<Duration>, samples: Vec<Duration>) {
    let (baseline, other) = (median(baseline), median(samples));
    let ratio = other.as_secs_f64() / baseline.as_secs_f64();
    eprintln!("{kind}: median {other:?} vs a wrong password's {baseline:?} (ratio {ratio:.2})");
    assert!(
        ratio >= 0.5,
        "{kind} answers in {other:?}, a wrong password in {baseline:?}: timing tells them apart"
    );
}

/// The sign-in name of the `i`th account (or non-account) of a kind.
fn name(prefix: &str, i: usize) -> String {
    format!("{prefix}-{i}@example.com")
}

/// Creates `count` users named [`name`] holding the temporary password; disables them when
/// `disabled`.
async fn users(t: &TestIdp, pool: &str, prefix: &str, count: usize, disabled: bool) {
    for i in 0..count {
        let name = name(prefix, i);
        t.create_user(pool, &name, &name, "t").await;
        if disabled {
            let call = t
                .sdk
                .admin_disable_user()
                .user_pool_id(pool)
                .username(&name);
            call.send().await.unwrap();
        }
    }
}

#[tokio::test]
async fn api_sign_in_takes_as_long_for_unknown_and_disabled_accounts_as_for_a_wrong_password() {
    // Arrange: one account per try and kind, so no account reaches the lockout.
    let t = spawn().await;
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await.id;
    users(&t, &pool, "user", TRIES + 1, false).await;
    users(&t, &pool, "off", TRIES + 1, true).await;
    let public = |name: String| {
        let call = t.sdk.initiate_auth().client_id(&client);
        call.auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", name)
            .auth_parameters("PASSWORD", WRONG)
            .send()
    };

    // Act: interleaved tries; the first round warms up and is not counted.
    let mut samples: [Vec<Duration>; 5] = Default::default();
    for i in 0..=TRIES {
        let round = [
            timed(t.admin_sign_in(&pool, &client, &name("user", i), WRONG)).await,
            timed(t.admin_sign_in(&pool, &client, &name("nobody", i), WRONG)).await,
            timed(t.admin_sign_in(&pool, &client, &name("off", i), WRONG)).await,
        ];
        let public_round = [
            timed(public(name("user", i))).await,
            timed(public(name("nobody", i))).await,
        ];
        assert!(round.iter().all(|(_, result)| result.is_err()));
        assert!(public_round.iter().all(|(_, result)| result.is_err()));
        if i > 0 {
            let times = round.iter().map(|(time, _)| *time);
            let times = times.chain(public_round.iter().map(|(time, _)| *time));
            for (kind, time) in samples.iter_mut().zip(times) {
                kind.push(time);
            }
        }
    }

    // Assert
    let [admin_wrong, admin_unknown, admin_disabled, public_wrong, public_unknown] = samples;
    assert_costs_alike(
        "AdminInitiateAuth, unknown user",
        admin_wrong.clone(),
        admin_unknown,
    );
    assert_costs_alike(
        "AdminInitiateAuth, disabled user",
        admin_wrong,
        admin_disabled,
    );
    assert_costs_alike("InitiateAuth, unknown user", public_wrong, public_unknown);
}

#[tokio::test]
async fn hosted_ui_sign_in_takes_as_long_for_unknown_and_disabled_accounts_as_for_a_wrong_password()
{
    let h = Hosted::new(WebClient::default()).await;
    users(&h.t, &h.pool, "user", TRIES + 1, false).await;
    users(&h.t, &h.pool, "off", TRIES + 1, true).await;
    let request = authorize(&h.rp().await, &["openid"]);

    let mut samples: [Vec<Duration>; 3] = Default::default();
    for i in 0..=TRIES {
        for (kind, prefix) in ["user", "nobody", "off"].into_iter().enumerate() {
            // Past the per-address limit's refill time, so every try reaches the password.
            h.t.clock.advance(Duration::from_secs(60));
            let mut browser = h.browser();
            let form = browser.visit(&request.url).await;
            let csrf = form.field("_csrf").unwrap();
            let username = name(prefix, i);
            let fields = [
                ("_csrf", csrf.as_str()),
                ("username", username.as_str()),
                ("password", NEW_PASSWORD),
            ];
            let (time, page) = timed(browser.post(&form.form_action(), &fields)).await;
            assert_eq!(page.status, 400, "{}", page.body);
            if i > 0 {
                samples[kind].push(time);
            }
        }
    }

    let [wrong, unknown, disabled] = samples;
    assert_costs_alike("Hosted UI, unknown user", wrong.clone(), unknown);
    assert_costs_alike("Hosted UI, disabled user", wrong, disabled);
}

//! The lockout through the AWS SDK: five wrong passwords lock a name for a growing interval
//! (on the provider's clock), with the answer of a wrong password; a success resets the count;
//! every sign-in path and every process sharing the data directory share the lock.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use local_cognito::{ManualClock, Options};

use crate::helpers::{error_of, spawn, spawn_with, ClientSpec, TestIdp, NEW_PASSWORD};

const WRONG: &str = "Wrong-Passw0rd!";
const INCORRECT: (&str, &str) = ("NotAuthorizedException", "Incorrect username or password.");

/// A pool, the default client and the confirmed user "alice" (password [`NEW_PASSWORD`]).
async fn alice(t: &TestIdp) -> (String, String) {
    let pool = t.create_pool(false).await;
    let client = t.create_client(&pool, ClientSpec::default()).await.id;
    t.confirmed_user(&pool, &client, "alice", "t").await;
    (pool, client)
}

/// AdminInitiateAuth as alice: Ok, or the error's code and message.
async fn sign_in(
    t: &TestIdp,
    pool: &str,
    client: &str,
    password: &str,
) -> Result<(), (String, String)> {
    match t.admin_sign_in(pool, client, "alice", password).await {
        Ok(output) => {
            assert!(output.authentication_result.is_some());
            Ok(())
        }
        Err(error) => Err(error_of::<(), _>(Err(error))),
    }
}

fn incorrect() -> Result<(), (String, String)> {
    Err((INCORRECT.0.to_owned(), INCORRECT.1.to_owned()))
}

async fn fail_times(t: &TestIdp, pool: &str, client: &str, times: usize) {
    for _ in 0..times {
        assert_eq!(sign_in(t, pool, client, WRONG).await, incorrect());
    }
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_a_second_with_the_wrong_password_answer() {
    let t = spawn().await;
    let (pool, client) = alice(&t).await;

    fail_times(&t, &pool, &client, 5).await;
    // Locked: the right password reads exactly like a wrong one.
    assert_eq!(sign_in(&t, &pool, &client, NEW_PASSWORD).await, incorrect());

    t.clock.advance(Duration::from_secs(1));
    assert_eq!(sign_in(&t, &pool, &client, NEW_PASSWORD).await, Ok(()));
}

#[tokio::test]
async fn each_further_failure_doubles_the_lock_and_a_success_resets_the_count() {
    let t = spawn().await;
    let (pool, client) = alice(&t).await;

    // The sixth failure (after the first lock ends) locks for 2 s.
    fail_times(&t, &pool, &client, 5).await;
    t.clock.advance(Duration::from_secs(1));
    fail_times(&t, &pool, &client, 1).await;
    t.clock.advance(Duration::from_secs(1));
    assert_eq!(sign_in(&t, &pool, &client, NEW_PASSWORD).await, incorrect());
    t.clock.advance(Duration::from_secs(1));
    assert_eq!(sign_in(&t, &pool, &client, NEW_PASSWORD).await, Ok(()));

    // The success reset the count: four failures lock nothing, and five lock for 1 s again
    // (not the 8 s that nine consecutive failures would).
    fail_times(&t, &pool, &client, 4).await;
    assert_eq!(sign_in(&t, &pool, &client, NEW_PASSWORD).await, Ok(()));
    fail_times(&t, &pool, &client, 5).await;
    t.clock.advance(Duration::from_secs(1));
    assert_eq!(sign_in(&t, &pool, &client, NEW_PASSWORD).await, Ok(()));
}

#[tokio::test]
async fn the_lock_is_shared_by_the_public_api_and_by_processes_sharing_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(SystemTime::now());
    let options = || Options {
        clock: Arc::new(clock.clone()),
        ..Options::persistent(dir.path())
    };
    let service = spawn_with(options(), clock.clone()).await;
    let other = spawn_with(options(), clock.clone()).await;
    let (pool, client) = alice(&service).await;

    // Five failures through the public InitiateAuth on one provider...
    for _ in 0..5 {
        let call = other.sdk.initiate_auth().client_id(&client);
        let call = call.auth_flow(AuthFlowType::UserPasswordAuth);
        let result = call
            .auth_parameters("USERNAME", "alice")
            .auth_parameters("PASSWORD", WRONG)
            .send()
            .await;
        let (code, message) = error_of(result);
        assert_eq!((code.as_str(), message.as_str()), INCORRECT);
    }
    // ...lock AdminInitiateAuth on the other.
    assert_eq!(
        sign_in(&service, &pool, &client, NEW_PASSWORD).await,
        incorrect()
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        sign_in(&service, &pool, &client, NEW_PASSWORD).await,
        Ok(())
    );
}

#[tokio::test]
async fn fifteen_quiet_minutes_after_a_lock_start_the_count_afresh() {
    let t = spawn().await;
    let (pool, client) = alice(&t).await;
    fail_times(&t, &pool, &client, 5).await;
    t.clock.advance(Duration::from_secs(1 + 15 * 60));

    // Forgotten: five more failures lock for 1 s, not the 32 s of ten in a row.
    fail_times(&t, &pool, &client, 5).await;
    t.clock.advance(Duration::from_secs(1));
    assert_eq!(sign_in(&t, &pool, &client, NEW_PASSWORD).await, Ok(()));
}

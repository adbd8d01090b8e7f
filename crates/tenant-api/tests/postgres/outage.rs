//! PostgreSQL outages, through a loopback proxy that can refuse or hang: readiness and data
//! requests answer 503 with `Retry-After` within a bound, liveness stays 200, and the service
//! recovers by itself once the database is back.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::fresh_database;
use crate::helpers::{spawn_app_with, RequestExt, TestApp};

/// What the proxy does with traffic to the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Pass bytes both ways.
    Forward,
    /// Accept connections and bytes, answer nothing (a hung server).
    Hang,
    /// Close every connection and stop listening (a stopped server: connections are refused).
    Refuse,
}

/// A TCP proxy on 127.0.0.1 in front of the test PostgreSQL.
struct Proxy {
    addr: SocketAddr,
    mode: watch::Sender<Mode>,
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (mode, watcher) = watch::channel(Mode::Forward);
        tokio::spawn(accept_loop(listener, addr, upstream, watcher));
        Proxy { addr, mode }
    }

    fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }
}

async fn accept_loop(
    mut listener: TcpListener,
    addr: SocketAddr,
    upstream: SocketAddr,
    mut mode: watch::Receiver<Mode>,
) {
    loop {
        let now = *mode.borrow_and_update();
        if now == Mode::Refuse {
            drop(listener);
            while *mode.borrow_and_update() == Mode::Refuse {
                if mode.changed().await.is_err() {
                    return;
                }
            }
            listener = TcpListener::bind(addr).await.unwrap();
        }
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((client, _)) = accepted else { return };
                tokio::spawn(serve(client, upstream, mode.clone()));
            }
            changed = mode.changed() => if changed.is_err() { return },
        }
    }
}

/// Waits while the proxy hangs; `false` once it refuses (or is gone).
async fn forwarding(mode: &mut watch::Receiver<Mode>) -> bool {
    loop {
        let now = *mode.borrow_and_update();
        match now {
            Mode::Forward => return true,
            Mode::Refuse => return false,
            Mode::Hang => {
                if mode.changed().await.is_err() {
                    return false;
                }
            }
        }
    }
}

async fn serve(client: TcpStream, upstream: SocketAddr, mut mode: watch::Receiver<Mode>) {
    if !forwarding(&mut mode).await {
        return;
    }
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    tokio::spawn(pump(client_read, server_write, mode.clone()));
    tokio::spawn(pump(server_read, client_write, mode));
}

async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, mut mode: watch::Receiver<Mode>) {
    let mut buf = vec![0u8; 16 * 1024];
    while forwarding(&mut mode).await {
        tokio::select! {
            read = from.read(&mut buf) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => if to.write_all(&buf[..n]).await.is_err() { return },
            },
            changed = mode.changed() => if changed.is_err() { return },
        }
    }
}

/// The status, whether `Retry-After` was sent, and how long the answer took.
async fn timed(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
) -> (StatusCode, bool, Duration) {
    let started = Instant::now();
    let mut request = app.authed(method.clone(), path, token, Some("acme"));
    if method == Method::POST {
        request = request.json(&json!({ "name": "during an outage" }));
    }
    let response = request.sent().await;
    let retry_after = response.headers().contains_key("retry-after");
    (response.status(), retry_after, started.elapsed())
}

/// Every probe answers 503 with `Retry-After` within `bound`, and liveness stays 200.
async fn assert_fast_503s(app: &TestApp, token: &str, bound: Duration, what: &str) {
    for (method, path) in [
        (Method::GET, "/api/items/"),
        (Method::POST, "/api/items/"),
        (Method::GET, "/health/ready"),
    ] {
        let (status, retry_after, took) = timed(app, method.clone(), path, token).await;
        eprintln!("{what}: {method} {path} -> {status} in {took:?}");
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{what}: {method} {path}"
        );
        assert!(retry_after, "{what}: {method} {path} sends Retry-After");
        assert!(took < bound, "{what}: {method} {path} took {took:?}");
    }
    let live = app.request(Method::GET, "/health/live").sent().await;
    assert_eq!(live.status(), StatusCode::OK, "{what}: liveness");
}

/// Polls until a data request succeeds again; the time it took.
async fn recovery(app: &TestApp, token: &str) -> Duration {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if timed(app, Method::GET, "/api/items/", token).await.0 == StatusCode::OK {
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the service did not recover within 10 s of the database coming back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_or_hung_database_is_answered_fast_and_recovered_from_without_restart() {
    // Arrange: tenant-api on a database reached through the proxy.
    let database = url::Url::parse(&fresh_database().await).unwrap();
    let upstream = (
        database.host_str().unwrap(),
        database.port().unwrap_or(5432),
    );
    let upstream = tokio::net::lookup_host(upstream)
        .await
        .unwrap()
        .next()
        .unwrap();
    let proxy = Proxy::start(upstream).await;
    let mut via_proxy = database.clone();
    via_proxy.set_host(Some("127.0.0.1")).unwrap();
    via_proxy.set_port(Some(proxy.addr.port())).unwrap();
    let app = spawn_app_with(|c| c.database_url = via_proxy.to_string()).await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    app.create_item(&alice, "acme", "before").await;
    // The default budget is 0.8 s; the bound allows for a loaded CI machine on top.
    let bound = Duration::from_millis(1_500);

    // Act and assert: refused, back, hung, back.
    proxy.set(Mode::Refuse);
    assert_fast_503s(&app, &alice.access, bound, "refused").await;
    proxy.set(Mode::Forward);
    let back = recovery(&app, &alice.access).await;
    eprintln!("recovered {back:?} after the database accepted connections again");
    assert!(
        back < Duration::from_millis(2_500),
        "recovery took {back:?}"
    );

    proxy.set(Mode::Hang);
    assert_fast_503s(&app, &alice.access, bound, "hung").await;
    proxy.set(Mode::Forward);
    let back = recovery(&app, &alice.access).await;
    eprintln!("recovered {back:?} after the database answered again");
    assert!(
        back < Duration::from_millis(2_500),
        "recovery took {back:?}"
    );

    // Nothing written before the outage was lost, and writes work again.
    let created = app.create_item(&alice, "acme", "after").await;
    assert_eq!(created["name"], "after");
    let names: Vec<String> = app
        .authed(Method::GET, "/api/items/", &alice.access, Some("acme"))
        .json_value::<Vec<serde_json::Value>>()
        .await
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(names.contains(&"before".to_owned()) && names.contains(&"after".to_owned()));
    app.stop().await;
}

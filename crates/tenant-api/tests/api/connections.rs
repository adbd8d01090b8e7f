//! Connection hygiene: a half-sent request head and an idle keep-alive connection are closed
//! after their timeouts, and connections beyond the cap wait until one closes.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{spawn_app_with, TestApp};

const HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";

/// Generous: a closing that should take about a second may take this long on a busy machine.
const PATIENCE: Duration = Duration::from_secs(8);

async fn spawn(header_read: u64, idle: u64, max_connections: Option<usize>) -> TestApp {
    spawn_app_with(|c| {
        c.limits.header_read_timeout = Duration::from_secs(header_read);
        c.limits.idle_timeout = Duration::from_secs(idle);
        c.limits.max_connections = max_connections;
    })
    .await
}

/// Reads one response (head and a `Content-Length` body); `None` if the connection closed first.
async fn response(stream: &mut TcpStream) -> Option<String> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(str::to_owned)
                })
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if bytes.len() >= end + 4 + length {
                return Some(text);
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Whether the server closes `stream` within `within` (end of file or a reset).
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut chunk = [0u8; 1024];
    matches!(
        tokio::time::timeout(within, stream.read(&mut chunk)).await,
        Ok(Ok(0) | Err(_))
    )
}

#[tokio::test]
async fn a_half_sent_request_head_is_closed_after_the_header_read_timeout() {
    let app = spawn(1, 60, None).await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .await
        .unwrap();
    assert!(
        closed_within(&mut stream, PATIENCE).await,
        "a half-sent head kept its connection"
    );
    // A head sent in full on a new connection is answered.
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream.write_all(HEALTH).await.unwrap();
    let answer = response(&mut stream).await.expect("answered");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    app.stop().await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout_not_the_header_one() {
    // Idle longer than the header timeout: waiting for the next request is not a slow head.
    let app = spawn(1, 4, None).await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream.write_all(HEALTH).await.unwrap();
    assert!(response(&mut stream).await.is_some());
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    stream.write_all(HEALTH).await.unwrap();
    let again = response(&mut stream)
        .await
        .expect("kept alive past the header timeout");
    assert!(again.starts_with("HTTP/1.1 200"), "{again}");
    assert!(
        closed_within(&mut stream, PATIENCE).await,
        "an idle connection stayed open"
    );
    app.stop().await;
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let app = spawn(10, 60, Some(2)).await;
    let mut open = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(app.addr).await.unwrap();
        stream.write_all(HEALTH).await.unwrap();
        assert!(response(&mut stream).await.is_some());
        open.push(stream);
    }
    // A third connection is not served while two are open…
    let mut third = TcpStream::connect(app.addr).await.unwrap();
    third.write_all(HEALTH).await.unwrap();
    let waited = tokio::time::timeout(Duration::from_secs(1), response(&mut third)).await;
    assert!(waited.is_err(), "served beyond the cap: {waited:?}");
    // …and is once one of them closes.
    drop(open.pop());
    let served = tokio::time::timeout(PATIENCE, response(&mut third))
        .await
        .expect("served once a connection closed")
        .expect("answered");
    assert!(served.starts_with("HTTP/1.1 200"), "{served}");
    app.stop().await;
}

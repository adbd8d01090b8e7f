//! The yardstick of `scripts/bench.sh`: the least an axum server can do to answer tenant-api's
//! 3-row list — the same axum, tokio runtime, allocator and release profile, one route, no
//! middleware, no authentication, no database. Each request serialises the same three rows (the
//! same fields and values as a 3-row page of `GET /api/items/`) into a fresh body, as a real
//! handler would.
//!
//! `bare-axum [ADDR]` listens on `ADDR` (default `127.0.0.1:0`) and prints
//! `bare-axum listening on http://ADDR`. It answers `GET /items` and nothing else (404).

use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One row, shaped like tenant-api's `ItemOut`.
#[derive(Serialize)]
struct Row {
    id: i64,
    name: &'static str,
    tenant_id: &'static str,
    owner_sub: &'static str,
    created_at: &'static str,
    updated_at: &'static str,
}

const fn row(id: i64, name: &'static str) -> Row {
    Row {
        id,
        name,
        tenant_id: "t0001",
        owner_sub: "6f1c9d2e-51a7-4c34-9b0e-2f8f1a3c7d10",
        created_at: "2026-11-30T18:00:00.123456Z",
        updated_at: "2026-11-30T18:00:00.123456Z",
    }
}

static ROWS: [Row; 3] = [
    row(1, "seed item 1"),
    row(2, "seed item 2"),
    row(3, "seed item 3"),
];

async fn items() -> Json<&'static [Row]> {
    Json(&ROWS)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("bare-axum listening on http://{}", listener.local_addr()?);
    let app = Router::new().route("/items", get(items));
    axum::serve(listener, app).await
}

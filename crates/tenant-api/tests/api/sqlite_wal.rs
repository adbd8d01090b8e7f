//! SQLite under load and contention: the write-ahead log stays bounded while the service writes
//! and reads at once (and the rows reach the main database file), and a database locked by
//! another process is answered fast.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tenant_api::domain::item::ItemName;
use tenant_api::domain::page::PageRequest;
use tenant_api::domain::tenant::TenantId;
use tenant_api::store::connect;
use tenant_api::tenancy::ScopedTenant;

/// SQLite checkpoints automatically every 1,000 pages (4 MiB); allow for one checkpoint in flight.
const WAL_BOUND: u64 = 16 << 20;

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Rows of `tenant` in the main database file alone: `immutable=1` makes SQLite ignore the WAL.
/// Meaningful only after a complete checkpoint.
fn rows_in_main_file(db: &Path, tenant: &str) -> i64 {
    let uri = format!("file:{}?immutable=1", db.display());
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI;
    let conn = rusqlite::Connection::open_with_flags(uri, flags).unwrap();
    conn.query_row(
        "SELECT COUNT(*) FROM items WHERE tenant_id = ?1",
        [tenant],
        |row| row.get(0),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_stays_bounded_under_concurrent_writes_and_reads() {
    // Arrange: a fresh database and two readers paging (partial pages included) all along.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tenant-api.db");
    let wal = dir.path().join("tenant-api.db-wal");
    let stores = connect(&format!("sqlite://{}?mode=rwc", db.display()), true)
        .await
        .unwrap();
    let tenant = ScopedTenant::unproven_for_tests(TenantId::parse("acme").unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let mut readers = tokio::task::JoinSet::new();
    for _ in 0..2 {
        let (items, tenant, stop) = (stores.items.clone(), tenant.clone(), stop.clone());
        readers.spawn(async move {
            let mut reads = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let page = PageRequest::parse(Some(3), None).unwrap();
                items.list_items(&tenant, page).await.unwrap();
                reads += 1;
                tokio::task::yield_now().await;
            }
            reads
        });
    }

    // Act: 6,000 inserts (unchecked, they left an 87 MB WAL and a 4 KiB database file).
    let writes = 6_000;
    let mut largest_wal = 0;
    for n in 0..writes {
        let name = ItemName::parse(&format!("item {n:05}, a name of some length")).unwrap();
        let created = stores.items.create_item(&tenant, "sub", &name).await;
        created.unwrap();
        if n % 100 == 0 {
            largest_wal = largest_wal.max(file_len(&wal));
        }
    }
    stop.store(true, Ordering::Relaxed);
    let mut reads = 0;
    while let Some(done) = readers.join_next().await {
        reads += done.unwrap();
    }
    largest_wal = largest_wal.max(file_len(&wal));

    // Assert: the WAL stayed small, and once the last frames are checkpointed every row is in
    // the main file.
    assert!(reads > 0, "the readers ran");
    assert!(
        largest_wal < WAL_BOUND,
        "WAL grew to {largest_wal} bytes under {writes} writes"
    );
    // Only checkpoints write the main file in WAL mode, so its growth shows they ran while
    // writing. (Its rows are not counted here: after a checkpoint that a reader held back, the
    // main file is consistent only together with the WAL, and read alone it may look corrupt.)
    assert!(
        file_len(&db) > 64 * 4096,
        "automatic checkpoints moved rows into the main file while writing ({} bytes)",
        file_len(&db)
    );
    let checkpoint = rusqlite::Connection::open(&db).unwrap();
    let busy: i64 = checkpoint
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))
        .unwrap();
    assert_eq!(busy, 0, "no reader holds a snapshot once requests are done");
    assert_eq!(file_len(&wal), 0);
    assert_eq!(rows_in_main_file(&db, "acme"), writes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_locked_by_another_process_is_answered_503_fast_and_then_recovered() {
    use reqwest::{Method, StatusCode};
    use std::time::{Duration, Instant};

    use crate::helpers::{spawn_app_with, RequestExt};

    // Arrange: the service on a SQLite file, and another connection holding its write lock.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tenant-api.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let app = spawn_app_with(|c| c.database_url = url).await;
    let alice = app.signed_in_user("alice@example.com", "acme").await;
    app.create_item(&alice, "acme", "before").await;
    let locker = rusqlite::Connection::open(&db).unwrap();
    locker.execute_batch("BEGIN IMMEDIATE").unwrap();

    // Act: a write while the lock is held.
    let started = Instant::now();
    let response = app
        .authed(Method::POST, "/api/items/", &alice.access, Some("acme"))
        .json(&serde_json::json!({ "name": "while locked" }))
        .sent()
        .await;
    let took = started.elapsed();

    // Assert: 503 with Retry-After within the budget (0.8 s, plus room for a loaded machine),
    // and writes work again once the lock is gone.
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
    assert!(took < Duration::from_millis(1_500), "took {took:?}");
    locker.execute_batch("COMMIT").unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let response = app
            .authed(Method::POST, "/api/items/", &alice.access, Some("acme"))
            .json(&serde_json::json!({ "name": "after" }))
            .sent()
            .await;
        if response.status() == StatusCode::CREATED {
            break;
        }
        assert!(Instant::now() < deadline, "writes did not resume");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.stop().await;
}

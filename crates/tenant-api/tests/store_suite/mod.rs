//! One store test suite, expanded in `tests/api`: on SQLite by default, and on PostgreSQL when
//! `TENANT_API_TEST_POSTGRES` names an admin URL (`helpers::fresh_database_url`; `.ci/postgres.sh`
//! runs `tests/api` that way). `store_suite!(connect)` expands to one `#[tokio::test]` per check; `connect` yields a fresh,
//! migrated database as [`TestStores`], whose rows are stamped by a clock the test moves.

use std::any::Any;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tenant_api::clock::ManualClock;

use tenant_api::domain::alert::{AlertTitle, Severity};
use tenant_api::domain::item::ItemName;
use tenant_api::domain::page::PageRequest;
use tenant_api::domain::tenant::TenantId;
use tenant_api::store::{StoreError, Stores};
use tenant_api::tenancy::ScopedTenant;

/// Where every suite's clock starts: 2023-11-14T22:13:20Z.
pub fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// Stores plus their clock and whatever keeps their database alive (a temp dir).
pub struct TestStores {
    pub stores: Stores,
    pub clock: ManualClock,
    pub _guard: Box<dyn Any + Send>,
}

fn tenant(name: &str) -> ScopedTenant {
    ScopedTenant::unproven_for_tests(TenantId::parse(name).unwrap())
}

fn name(text: &str) -> ItemName {
    ItemName::parse(text).unwrap()
}

fn first_page(limit: u32) -> PageRequest {
    PageRequest::parse(Some(limit), None).unwrap()
}

pub async fn items_are_invisible_to_other_tenants(db: TestStores) {
    let items = &db.stores.items;
    let (a, b) = (tenant("a"), tenant("b"));
    let mine = items.create_item(&a, "sub-a", &name("mine")).await.unwrap();
    assert_eq!(&mine.tenant_id, a.id());
    assert!(items
        .list_items(&b, first_page(10))
        .await
        .unwrap()
        .rows
        .is_empty());
    assert!(matches!(
        items.get_item(&b, mine.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        items.rename_item(&b, mine.id, &name("x")).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        items.delete_item(&b, mine.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(items.get_item(&a, mine.id).await.unwrap().name, "mine");
}

pub async fn items_round_trip_rename_and_delete(db: TestStores) {
    let items = &db.stores.items;
    let a = tenant("a");
    let created = items.create_item(&a, "sub", &name("one")).await.unwrap();
    assert_eq!(created.created_at, time::OffsetDateTime::from(start()));
    assert_eq!(created.updated_at, created.created_at);
    assert_eq!(items.get_item(&a, created.id).await.unwrap(), created);
    db.clock.advance(Duration::from_secs(90));
    let renamed = items
        .rename_item(&a, created.id, &name("two"))
        .await
        .unwrap();
    assert_eq!(renamed.name, "two");
    assert_eq!(renamed.created_at, created.created_at);
    assert_eq!(
        renamed.updated_at,
        created.updated_at + Duration::from_secs(90)
    );
    items.delete_item(&a, created.id).await.unwrap();
    assert!(matches!(
        items.get_item(&a, created.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        items.delete_item(&a, created.id).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn pages_cover_every_row_once_in_order(db: TestStores) {
    let items = &db.stores.items;
    let a = tenant("a");
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            items
                .create_item(&a, "sub", &name(&format!("i{n}")))
                .await
                .unwrap()
                .id,
        );
        items
            .create_item(&tenant("noise"), "sub", &name("noise"))
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut page = first_page(2);
    loop {
        let result = items.list_items(&a, page).await.unwrap();
        seen.extend(result.rows.iter().map(|i| i.id));
        match result.next_cursor {
            Some(cursor) => page = PageRequest::parse(Some(2), Some(&cursor)).unwrap(),
            None => break,
        }
    }
    assert_eq!(seen, ids);
}

pub async fn alerts_belong_to_their_owner_within_the_tenant(db: TestStores) {
    let alerts = &db.stores.alerts;
    let a = tenant("a");
    let title = AlertTitle::parse("disk").unwrap();
    let alert = alerts
        .create_alert(&a, "owner", &title, Severity::Critical)
        .await
        .unwrap();
    assert_eq!(alert.severity, Severity::Critical);
    assert!(alerts
        .list_alerts(&a, "other", first_page(10))
        .await
        .unwrap()
        .rows
        .is_empty());
    assert!(alerts
        .list_alerts(&tenant("b"), "owner", first_page(10))
        .await
        .unwrap()
        .rows
        .is_empty());
    assert!(matches!(
        alerts.get_alert(&a, "other", alert.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        alerts
            .acknowledge_alert(&tenant("b"), "owner", alert.id)
            .await,
        Err(StoreError::NotFound)
    ));
    let acked = alerts
        .acknowledge_alert(&a, "owner", alert.id)
        .await
        .unwrap();
    let first = acked.acknowledged_at.unwrap();
    assert_eq!(first, time::OffsetDateTime::from(start()));
    db.clock.advance(Duration::from_secs(30));
    let again = alerts
        .acknowledge_alert(&a, "owner", alert.id)
        .await
        .unwrap();
    assert_eq!(again.acknowledged_at, Some(first));
    assert!(matches!(
        alerts.delete_alert(&a, "other", alert.id).await,
        Err(StoreError::NotFound)
    ));
    alerts.delete_alert(&a, "owner", alert.id).await.unwrap();
    assert!(matches!(
        alerts.get_alert(&a, "owner", alert.id).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn sign_outs_are_upserted_listed_and_purged(db: TestStores) {
    let sign_outs = &db.stores.sign_outs;
    sign_outs.record_sign_out("u1", 100, 200).await.unwrap();
    sign_outs.record_sign_out("u1", 150, 250).await.unwrap();
    sign_outs.record_sign_out("u2", 50, 60).await.unwrap();
    let mut recent = sign_outs.sign_outs_since(100).await.unwrap();
    recent.sort();
    assert_eq!(recent, vec![("u1".to_owned(), 150)]);
    assert_eq!(sign_outs.purge_sign_outs(100).await.unwrap(), 1);
    assert_eq!(sign_outs.sign_outs_since(0).await.unwrap().len(), 1);
    db.stores.ping.ping().await.unwrap();
}

/// Writers and readers at once, across tenants: every write is visible to the very next read
/// (on SQLite the two go through different connections), and no tenant sees another's rows.
pub async fn concurrent_writes_are_read_back_at_once(db: TestStores) {
    let mut tasks = tokio::task::JoinSet::new();
    for writer in 0..8 {
        let items = db.stores.items.clone();
        tasks.spawn(async move {
            let tenant = tenant(&format!("t{}", writer % 2));
            for n in 0..25 {
                let label = format!("w{writer}-{n}");
                let created = items
                    .create_item(&tenant, "sub", &name(&label))
                    .await
                    .unwrap();
                let read = items.get_item(&tenant, created.id).await.unwrap();
                assert_eq!(read, created);
                let page = items
                    .list_items(&tenant, PageRequest::parse(Some(100), None).unwrap())
                    .await
                    .unwrap();
                assert!(page.rows.iter().all(|item| item.tenant_id == *tenant.id()));
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    for (t, expected) in [("t0", 100), ("t1", 100)] {
        let mut seen = 0;
        let mut page = first_page(100);
        loop {
            let got = db.stores.items.list_items(&tenant(t), page).await.unwrap();
            seen += got.rows.len();
            match got.next_cursor {
                Some(cursor) => page = PageRequest::parse(Some(100), Some(&cursor)).unwrap(),
                None => break,
            }
        }
        assert_eq!(seen, expected, "tenant {t}");
    }
}

/// One `#[tokio::test]` per suite check, each on a fresh database from `$connect`.
#[macro_export]
macro_rules! store_suite {
    ($connect:path) => {
        #[tokio::test]
        async fn items_are_invisible_to_other_tenants() {
            $crate::store_suite::items_are_invisible_to_other_tenants($connect().await).await;
        }
        #[tokio::test]
        async fn items_round_trip_rename_and_delete() {
            $crate::store_suite::items_round_trip_rename_and_delete($connect().await).await;
        }
        #[tokio::test]
        async fn pages_cover_every_row_once_in_order() {
            $crate::store_suite::pages_cover_every_row_once_in_order($connect().await).await;
        }
        #[tokio::test]
        async fn alerts_belong_to_their_owner_within_the_tenant() {
            $crate::store_suite::alerts_belong_to_their_owner_within_the_tenant($connect().await)
                .await;
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn concurrent_writes_are_read_back_at_once() {
            $crate::store_suite::concurrent_writes_are_read_back_at_once($connect().await).await;
        }
        #[tokio::test]
        async fn sign_outs_are_upserted_listed_and_purged() {
            $crate::store_suite::sign_outs_are_upserted_listed_and_purged($connect().await).await;
        }
    };
}

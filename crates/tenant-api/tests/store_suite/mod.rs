//! One store test suite, expanded in `tests/api`: on SQLite by default, and on PostgreSQL when
//! `TENANT_API_TEST_POSTGRES` names an admin URL (`helpers::fresh_database_url`; `.ci/postgres.sh`
//! runs `tests/api` that way). `store_suite!(connect)` expands to one `#[tokio::test]` per check; `connect` yields a fresh,
//! migrated database as [`TestStores`], whose rows are stamped by a clock the test moves.

use std::any::Any;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tenant_api::clock::ManualClock;

use tenant_api::domain::alert::{AlertTitle, Severity};
use tenant_api::domain::item::ItemName;
use tenant_api::domain::membership::{
    AuditAction, Email, MemberFilter, MemberState, NewAuditEntry, Role, Standing,
};
use tenant_api::domain::page::PageRequest;
use tenant_api::domain::session::StoredSession;
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

fn email(text: &str) -> Email {
    Email::parse(text).unwrap()
}

/// The membership of `sub` in `tenant`, which must exist.
async fn member(db: &TestStores, tenant: &ScopedTenant, sub: &str) -> (Role, MemberState) {
    match db.stores.memberships.standing(tenant, sub).await.unwrap() {
        Standing::Member(m) => (m.role, m.state),
        other => panic!("{sub} is not a member of {tenant}: {other:?}"),
    }
}

pub async fn home_members_are_admitted_once_and_only_in_their_tenant(db: TestStores) {
    let members = &db.stores.memberships;
    let (a, b) = (tenant("a"), tenant("b"));
    assert_eq!(members.standing(&a, "s1").await.unwrap(), Standing::Unknown);
    members.admit_home(&a, "s1", "one@x.io").await.unwrap();
    members.admit_home(&a, "s1", "one@x.io").await.unwrap();
    members.admit_home(&a, "s2", "two@x.io").await.unwrap();
    // The first home member of a tenant without an admin becomes its admin; later ones members.
    assert_eq!(
        member(&db, &a, "s1").await,
        (Role::Admin, MemberState::Active)
    );
    assert_eq!(
        member(&db, &a, "s2").await,
        (Role::Member, MemberState::Active)
    );
    assert_eq!(members.standing(&b, "s1").await.unwrap(), Standing::Unknown);
    let all = MemberFilter::default();
    assert!(members
        .list_members(&b, &all, first_page(10))
        .await
        .unwrap()
        .rows
        .is_empty());
    assert_eq!(
        members
            .list_members(&a, &all, first_page(10))
            .await
            .unwrap()
            .rows
            .len(),
        2
    );
    assert_eq!(members.tenant_count("s1").await.unwrap(), 1);
    assert!(matches!(
        members.set_role(&b, "s2", Role::Admin).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        members.remove_member(&b, "s2").await,
        Err(StoreError::NotFound)
    ));
}

pub async fn invites_are_idempotent_and_activated_on_first_use(db: TestStores) {
    let members = &db.stores.memberships;
    let a = tenant("a");
    let (first, created) = members
        .invite(&a, "s1", &email("p@x.io"), Role::Member)
        .await
        .unwrap();
    assert!(created);
    assert_eq!(
        (first.role, first.state),
        (Role::Member, MemberState::Invited)
    );
    assert_eq!(first.email, "p@x.io");
    db.clock.advance(Duration::from_secs(5));
    let (again, created) = members
        .invite(&a, "s1", &email("p@x.io"), Role::Admin)
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(again, first, "a repeated invite changes nothing");
    members.activate(&a, "s1").await.unwrap();
    assert_eq!(
        member(&db, &a, "s1").await,
        (Role::Member, MemberState::Active)
    );
    // Home admission leaves an existing row alone.
    members.admit_home(&a, "s1", "p@x.io").await.unwrap();
    assert_eq!(
        member(&db, &a, "s1").await,
        (Role::Member, MemberState::Active)
    );
}

pub async fn a_person_reads_their_own_memberships_in_every_tenant_and_no_one_elses(db: TestStores) {
    let members = &db.stores.memberships;
    let (a, b, c) = (tenant("a"), tenant("b"), tenant("c"));
    members.admit_home(&b, "s1", "one@x.io").await.unwrap();
    members.admit_home(&b, "s2", "two@x.io").await.unwrap();
    members
        .invite(&a, "s1", &email("one@x.io"), Role::Member)
        .await
        .unwrap();
    members.admit_home(&c, "s2", "two@x.io").await.unwrap();
    members.activate(&a, "s1").await.unwrap();
    members
        .set_state(&a, "s1", MemberState::Suspended)
        .await
        .unwrap();
    let own: Vec<(String, Role, MemberState)> = members
        .own_memberships("s1")
        .await
        .unwrap()
        .into_iter()
        .map(|m| {
            assert_eq!(m.sub, "s1");
            (m.tenant_id.as_str().to_owned(), m.role, m.state)
        })
        .collect();
    assert_eq!(
        own,
        [
            ("a".to_owned(), Role::Member, MemberState::Suspended),
            ("b".to_owned(), Role::Admin, MemberState::Active),
        ],
        "by tenant, with role and state; never s2's rows"
    );
    assert!(members.own_memberships("nobody").await.unwrap().is_empty());
}

pub async fn the_last_active_admin_stays(db: TestStores) {
    let members = &db.stores.memberships;
    let a = tenant("a");
    members.admit_home(&a, "boss", "boss@x.io").await.unwrap();
    members.admit_home(&a, "m", "m@x.io").await.unwrap();
    for refused in [
        members.set_role(&a, "boss", Role::Member).await.map(drop),
        members
            .set_state(&a, "boss", MemberState::Suspended)
            .await
            .map(drop),
        members.remove_member(&a, "boss").await,
    ] {
        assert!(matches!(refused, Err(StoreError::LastAdmin)), "{refused:?}");
    }
    assert_eq!(
        member(&db, &a, "boss").await,
        (Role::Admin, MemberState::Active)
    );
    // Another active admin: now the first may step down.
    let promoted = members.set_role(&a, "m", Role::Admin).await.unwrap();
    assert_eq!(promoted.role, Role::Admin);
    let demoted = members.set_role(&a, "boss", Role::Member).await.unwrap();
    assert_eq!(demoted.role, Role::Member);
    assert!(matches!(
        members.remove_member(&a, "m").await,
        Err(StoreError::LastAdmin)
    ));
    let suspended = members
        .set_state(&a, "boss", MemberState::Suspended)
        .await
        .unwrap();
    assert_eq!(suspended.state, MemberState::Suspended);
    assert!(matches!(
        members.set_role(&a, "ghost", Role::Admin).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn a_removal_is_remembered_until_the_next_invite(db: TestStores) {
    let members = &db.stores.memberships;
    let (a, b) = (tenant("a"), tenant("b"));
    members.admit_home(&a, "boss", "boss@x.io").await.unwrap();
    members
        .invite(&a, "p", &email("p@x.io"), Role::Member)
        .await
        .unwrap();
    members
        .invite(&b, "p", &email("p@x.io"), Role::Member)
        .await
        .unwrap();
    assert_eq!(members.tenant_count("p").await.unwrap(), 2);
    members.remove_member(&a, "p").await.unwrap();
    assert_eq!(members.standing(&a, "p").await.unwrap(), Standing::Removed);
    assert_eq!(members.tenant_count("p").await.unwrap(), 1);
    // Their home attribute no longer admits them, and tenant b is untouched.
    members.admit_home(&a, "p", "p@x.io").await.unwrap();
    assert_eq!(members.standing(&a, "p").await.unwrap(), Standing::Removed);
    assert_eq!(
        member(&db, &b, "p").await,
        (Role::Member, MemberState::Invited)
    );
    assert!(matches!(
        members.remove_member(&a, "p").await,
        Err(StoreError::NotFound)
    ));
    members
        .invite(&a, "p", &email("p@x.io"), Role::Member)
        .await
        .unwrap();
    assert_eq!(
        member(&db, &a, "p").await,
        (Role::Member, MemberState::Invited)
    );
    assert_eq!(members.tenant_count("p").await.unwrap(), 2);
    assert_eq!(members.tenant_count("nobody").await.unwrap(), 0);
}

pub async fn members_are_filtered_and_paged(db: TestStores) {
    let members = &db.stores.memberships;
    let a = tenant("a");
    members.admit_home(&a, "boss", "boss@x.io").await.unwrap();
    for n in 0..5 {
        let role = if n % 2 == 0 {
            Role::Member
        } else {
            Role::Admin
        };
        members
            .invite(&a, &format!("s{n}"), &email(&format!("ann{n}@x.io")), role)
            .await
            .unwrap();
        members
            .invite(
                &tenant("noise"),
                &format!("s{n}"),
                &email(&format!("ann{n}@x.io")),
                role,
            )
            .await
            .unwrap();
    }
    members
        .set_state(&a, "s0", MemberState::Suspended)
        .await
        .unwrap();
    let mut seen = Vec::new();
    let prefix = MemberFilter {
        email_prefix: Some("ann".into()),
        ..MemberFilter::default()
    };
    let mut page = first_page(2);
    loop {
        let got = members.list_members(&a, &prefix, page).await.unwrap();
        seen.extend(got.rows.iter().map(|m| m.sub.clone()));
        match got.next_cursor {
            Some(cursor) => page = PageRequest::parse(Some(2), Some(&cursor)).unwrap(),
            None => break,
        }
    }
    assert_eq!(seen, ["s0", "s1", "s2", "s3", "s4"]);
    let admins = MemberFilter {
        role: Some(Role::Admin),
        ..MemberFilter::default()
    };
    let subs: Vec<_> = members
        .list_members(&a, &admins, first_page(10))
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|m| m.sub)
        .collect();
    assert_eq!(subs, ["boss", "s1", "s3"]);
    let suspended = MemberFilter {
        state: Some(MemberState::Suspended),
        email_prefix: Some("ann0".into()),
        ..MemberFilter::default()
    };
    let subs: Vec<_> = members
        .list_members(&a, &suspended, first_page(10))
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|m| m.sub)
        .collect();
    assert_eq!(subs, ["s0"]);
    let none = MemberFilter {
        email_prefix: Some("%".into()),
        ..MemberFilter::default()
    };
    assert!(members
        .list_members(&a, &none, first_page(10))
        .await
        .unwrap()
        .rows
        .is_empty());
}

pub async fn audit_entries_are_per_tenant_and_paged(db: TestStores) {
    let audit = &db.stores.audit;
    let (a, b) = (tenant("a"), tenant("b"));
    for n in 0..3 {
        let entry = NewAuditEntry {
            actor_sub: "boss".into(),
            action: AuditAction::Suspended,
            target: format!("s{n}"),
            detail: (n == 1).then(|| "x".to_owned()),
            request_id: format!("r{n}"),
        };
        audit.record_audit(&a, &entry).await.unwrap();
        db.clock.advance(Duration::from_secs(1));
    }
    assert!(audit
        .list_audit(&b, first_page(10))
        .await
        .unwrap()
        .rows
        .is_empty());
    let first = audit.list_audit(&a, first_page(2)).await.unwrap();
    assert_eq!(first.rows.len(), 2);
    assert_eq!(first.rows[0].action, "member.suspended");
    assert_eq!(first.rows[0].actor_sub, "boss");
    assert_eq!(first.rows[0].at, time::OffsetDateTime::from(start()));
    assert_eq!(first.rows[1].detail.as_deref(), Some("x"));
    let next = PageRequest::parse(Some(2), first.next_cursor.as_deref()).unwrap();
    let rest = audit.list_audit(&a, next).await.unwrap();
    assert_eq!(rest.rows.len(), 1);
    assert_eq!(
        (
            rest.rows[0].target.as_str(),
            rest.rows[0].request_id.as_str()
        ),
        ("s2", "r2")
    );
}

pub async fn the_tenant_directory_counts_members_across_tenants(db: TestStores) {
    let members = &db.stores.memberships;
    let (a, b, c) = (tenant("a"), tenant("b"), tenant("c"));
    assert!(members
        .tenants(first_page(10))
        .await
        .unwrap()
        .rows
        .is_empty());
    members.admit_home(&b, "boss-b", "boss@b.io").await.unwrap();
    db.clock.advance(Duration::from_secs(60));
    members.admit_home(&a, "boss-a", "boss@a.io").await.unwrap();
    members
        .invite(&a, "p", &email("p@x.io"), Role::Member)
        .await
        .unwrap();
    // A repeated invite and a repeated home admission write nothing, so count nothing.
    members
        .invite(&a, "p", &email("p@x.io"), Role::Member)
        .await
        .unwrap();
    members.admit_home(&a, "boss-a", "boss@a.io").await.unwrap();
    members.admit_home(&c, "boss-c", "boss@c.io").await.unwrap();
    members.remove_member(&a, "p").await.unwrap();

    // Oldest first, across tenants, paged.
    let first = members.tenants(first_page(2)).await.unwrap();
    let summary: Vec<(&str, i64)> = first
        .rows
        .iter()
        .map(|t| (t.tenant_id.as_str(), t.members))
        .collect();
    assert_eq!(summary, [("b", 1), ("a", 1)]);
    assert_eq!(
        first.rows[1].created_at.unix_timestamp() - first.rows[0].created_at.unix_timestamp(),
        60
    );
    let cursor = first.next_cursor.expect("a second page");
    let rest = members
        .tenants(PageRequest::parse(Some(2), Some(&cursor)).unwrap())
        .await
        .unwrap();
    assert_eq!(rest.rows.len(), 1);
    assert_eq!(
        (rest.rows[0].tenant_id.as_str(), rest.rows[0].members),
        ("c", 1)
    );
    assert!(rest.next_cursor.is_none());
}

fn session(id_hash: &str, sub: &str, at: i64) -> StoredSession {
    StoredSession {
        id_hash: id_hash.into(),
        sub: sub.into(),
        email: format!("{sub}@x.io"),
        tenant: Some("a".into()),
        tokens: "sealed".into(),
        access_expires_at: at + 3600,
        version: 0,
        created_at: at,
        last_seen_at: at,
        expires_at: at + 86_400,
    }
}

pub async fn sessions_refresh_by_compare_and_swap_and_are_purged(db: TestStores) {
    let sessions = &db.stores.sessions;
    let t = 1_700_000_000;
    sessions
        .create_session(&session("h1", "ann", t))
        .await
        .unwrap();
    sessions
        .create_session(&session("h2", "ann", t))
        .await
        .unwrap();
    sessions
        .create_session(&session("h3", "bob", t))
        .await
        .unwrap();
    assert_eq!(
        sessions.session("h1").await.unwrap(),
        Some(session("h1", "ann", t))
    );
    assert_eq!(sessions.session("nope").await.unwrap(), None);

    // One claim at a time, until it lapses; a claim on a stale version fails.
    assert!(sessions.claim_refresh("h1", 0, t, t + 15).await.unwrap());
    assert!(!sessions
        .claim_refresh("h1", 0, t + 1, t + 16)
        .await
        .unwrap());
    assert!(
        sessions
            .claim_refresh("h1", 0, t + 16, t + 31)
            .await
            .unwrap(),
        "lapsed"
    );
    assert!(sessions
        .store_refresh("h1", 0, "new", t + 7200)
        .await
        .unwrap());
    assert!(
        !sessions
            .store_refresh("h1", 0, "newer", t + 9000)
            .await
            .unwrap(),
        "stale"
    );
    assert!(
        !sessions
            .claim_refresh("h1", 0, t + 40, t + 55)
            .await
            .unwrap(),
        "stale"
    );
    let refreshed = sessions.session("h1").await.unwrap().unwrap();
    assert_eq!(
        (
            refreshed.tokens.as_str(),
            refreshed.version,
            refreshed.access_expires_at
        ),
        ("new", 1, t + 7200)
    );
    assert!(sessions
        .claim_refresh("h1", 1, t + 40, t + 55)
        .await
        .unwrap());

    sessions.touch_session("h2", t + 100).await.unwrap();
    sessions.touch_session("h2", t + 50).await.unwrap();
    assert_eq!(
        sessions.session("h2").await.unwrap().unwrap().last_seen_at,
        t + 100
    );

    // Idle since before t + 60: h1 and h3 go, h2 (seen at t + 100) stays.
    assert_eq!(sessions.purge_sessions(t + 200, t + 60).await.unwrap(), 2);
    assert!(sessions.session("h2").await.unwrap().is_some());
    sessions
        .create_session(&session("h4", "ann", t))
        .await
        .unwrap();
    assert_eq!(sessions.delete_sessions_of("ann").await.unwrap(), 2);
    assert!(!sessions.delete_session("h2").await.unwrap());
    sessions
        .create_session(&session("h5", "cy", t))
        .await
        .unwrap();
    assert!(sessions.delete_session("h5").await.unwrap());
    // Past its end, whatever its use.
    sessions
        .create_session(&session("h6", "di", t))
        .await
        .unwrap();
    assert_eq!(sessions.purge_sessions(t + 86_401, t).await.unwrap(), 1);
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
        async fn home_members_are_admitted_once_and_only_in_their_tenant() {
            $crate::store_suite::home_members_are_admitted_once_and_only_in_their_tenant(
                $connect().await,
            )
            .await;
        }
        #[tokio::test]
        async fn invites_are_idempotent_and_activated_on_first_use() {
            $crate::store_suite::invites_are_idempotent_and_activated_on_first_use(
                $connect().await,
            )
            .await;
        }
        #[tokio::test]
        async fn a_person_reads_their_own_memberships_in_every_tenant_and_no_one_elses() {
            $crate::store_suite::a_person_reads_their_own_memberships_in_every_tenant_and_no_one_elses(
                $connect().await,
            )
            .await;
        }
        #[tokio::test]
        async fn the_last_active_admin_stays() {
            $crate::store_suite::the_last_active_admin_stays($connect().await).await;
        }
        #[tokio::test]
        async fn a_removal_is_remembered_until_the_next_invite() {
            $crate::store_suite::a_removal_is_remembered_until_the_next_invite($connect().await)
                .await;
        }
        #[tokio::test]
        async fn members_are_filtered_and_paged() {
            $crate::store_suite::members_are_filtered_and_paged($connect().await).await;
        }
        #[tokio::test]
        async fn the_tenant_directory_counts_members_across_tenants() {
            $crate::store_suite::the_tenant_directory_counts_members_across_tenants(
                $connect().await,
            )
            .await;
        }
        #[tokio::test]
        async fn sessions_refresh_by_compare_and_swap_and_are_purged() {
            $crate::store_suite::sessions_refresh_by_compare_and_swap_and_are_purged(
                $connect().await,
            )
            .await;
        }
        #[tokio::test]
        async fn audit_entries_are_per_tenant_and_paged() {
            $crate::store_suite::audit_entries_are_per_tenant_and_paged($connect().await).await;
        }
        #[tokio::test]
        async fn sign_outs_are_upserted_listed_and_purged() {
            $crate::store_suite::sign_outs_are_upserted_listed_and_purged($connect().await).await;
        }
    };
}

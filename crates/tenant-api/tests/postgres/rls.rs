//! Row-level security: a query that forgets its tenant filter still sees only its own tenant.

use sqlx::{Connection, Executor, PgConnection};
use tenant_api::domain::item::ItemName;
use tenant_api::domain::tenant::TenantId;
use tenant_api::tenancy::ScopedTenant;

use crate::fresh_database;

#[tokio::test]
async fn an_unscoped_query_sees_only_the_tenant_of_its_transaction() {
    let url = fresh_database().await;
    let stores = tenant_api::store::connect(&url, true).await.unwrap();
    let scope = |name| ScopedTenant::unproven_for_tests(TenantId::parse(name).unwrap());
    let (a, b) = (scope("a"), scope("b"));
    for _ in 0..3 {
        stores
            .items
            .create_item(&a, "sa", &ItemName::parse("a row").unwrap())
            .await
            .unwrap();
    }
    stores
        .items
        .create_item(&b, "sb", &ItemName::parse("b row").unwrap())
        .await
        .unwrap();

    let mut conn = PgConnection::connect(&url).await.unwrap();
    let is_superuser: bool = sqlx::query_scalar(
        "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert!(
        !is_superuser,
        "the test role must not bypass row-level security"
    );

    // No tenant set: nothing at all, although the query has no WHERE clause.
    let unscoped: i64 = sqlx::query_scalar("SELECT count(*) FROM items")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(unscoped, 0);

    // Tenant a's transaction: only a's rows, and it cannot write b's.
    let mut tx = conn.begin().await.unwrap();
    tx.execute("SELECT set_config('app.tenant_id', 'a', true)")
        .await
        .unwrap();
    let seen: Vec<String> = sqlx::query_scalar("SELECT tenant_id FROM items")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, vec!["a"; 3]);
    let smuggled = sqlx::query(
        "INSERT INTO items (tenant_id, owner_sub, name, created_at, updated_at) VALUES ('b', 'x', 'smuggled', now(), now())",
    )
    .execute(&mut *tx)
    .await;
    assert!(
        smuggled.is_err(),
        "WITH CHECK must refuse another tenant's row"
    );
    tx.rollback().await.unwrap();

    let mut tx = conn.begin().await.unwrap();
    tx.execute("SELECT set_config('app.tenant_id', 'a', true)")
        .await
        .unwrap();
    let updated = sqlx::query("UPDATE items SET name = 'pwned'")
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(updated.rows_affected(), 3, "only a's rows are updatable");
    tx.rollback().await.unwrap();

    // The setting ended with the transaction.
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM items")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(after, 0);
}

#[tokio::test]
async fn memberships_and_the_audit_log_are_under_row_level_security_too() {
    use tenant_api::domain::membership::{AuditAction, NewAuditEntry};

    let url = fresh_database().await;
    let stores = tenant_api::store::connect(&url, true).await.unwrap();
    let scope = |name| ScopedTenant::unproven_for_tests(TenantId::parse(name).unwrap());
    let (a, b) = (scope("a"), scope("b"));
    for (tenant, sub) in [(&a, "sa"), (&b, "sb")] {
        stores
            .memberships
            .admit_home(tenant, sub, "x@example.com")
            .await
            .unwrap();
        stores
            .memberships
            .remove_member(tenant, "nobody")
            .await
            .unwrap_err();
        let entry = NewAuditEntry {
            actor_sub: sub.into(),
            action: AuditAction::Invited,
            target: sub.into(),
            detail: None,
            request_id: "r".into(),
        };
        stores.audit.record_audit(tenant, &entry).await.unwrap();
    }

    let mut conn = PgConnection::connect(&url).await.unwrap();
    for table in ["memberships", "audit_log"] {
        let unscoped: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(unscoped, 0, "{table} without a tenant");
    }
    let mut tx = conn.begin().await.unwrap();
    tx.execute("SELECT set_config('app.tenant_id', 'a', true)")
        .await
        .unwrap();
    let seen: Vec<String> = sqlx::query_scalar("SELECT sub FROM memberships")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, vec!["sa"]);
    let smuggled = sqlx::query(
        "INSERT INTO memberships (tenant_id, sub, email, role, state, via, created_at, updated_at) \
         VALUES ('b', 'x', 'x@example.com', 'admin', 'active', 'invite', now(), now())",
    )
    .execute(&mut *tx)
    .await;
    assert!(
        smuggled.is_err(),
        "WITH CHECK must refuse another tenant's membership"
    );
    tx.rollback().await.unwrap();
    // The per-person count is not tenant data: it is readable, and holds counts only.
    assert_eq!(stores.memberships.tenant_count("sb").await.unwrap(), 1);
}

#[tokio::test]
async fn the_person_scope_reads_their_own_memberships_and_nothing_else() {
    let url = fresh_database().await;
    let stores = tenant_api::store::connect(&url, true).await.unwrap();
    let scope = |name| ScopedTenant::unproven_for_tests(TenantId::parse(name).unwrap());
    let (a, b) = (scope("a"), scope("b"));
    for (tenant, sub) in [(&a, "me"), (&b, "me"), (&b, "other")] {
        stores
            .memberships
            .admit_home(tenant, sub, "x@example.com")
            .await
            .unwrap();
    }
    stores
        .items
        .create_item(&a, "me", &ItemName::parse("x").unwrap())
        .await
        .unwrap();

    let mut conn = PgConnection::connect(&url).await.unwrap();
    let mut tx = conn.begin().await.unwrap();
    tx.execute("SELECT set_config('app.sub', 'me', true)")
        .await
        .unwrap();
    let seen: Vec<(String, String)> =
        sqlx::query_as("SELECT tenant_id, sub FROM memberships ORDER BY tenant_id")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
    assert_eq!(
        seen,
        [("a".into(), "me".into()), ("b".into(), "me".into())],
        "their own rows in every tenant, never another person's"
    );
    for table in ["items", "audit_log", "membership_removals"] {
        let count: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        assert_eq!(count, 0, "{table} in the person scope");
    }
    // Read only: the person scope changes nothing, not even their own rows.
    let changed = sqlx::query("UPDATE memberships SET role = 'admin' WHERE sub = 'me'")
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(changed.rows_affected(), 0);
    let smuggled = sqlx::query(
        "INSERT INTO memberships (tenant_id, sub, email, role, state, via, created_at, updated_at) \
         VALUES ('c', 'me', 'x@example.com', 'admin', 'active', 'invite', now(), now())",
    )
    .execute(&mut *tx)
    .await;
    assert!(
        smuggled.is_err(),
        "no membership written outside a tenant scope"
    );
    tx.rollback().await.unwrap();
}

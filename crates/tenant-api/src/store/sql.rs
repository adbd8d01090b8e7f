//! SQL shared by both backends (`$n` placeholders work in SQLite and PostgreSQL alike).
//! Every statement on tenant data filters on `tenant_id = $1`.

pub(super) const LIST_ITEMS: &str =
    "SELECT id, tenant_id, owner_sub, name, created_at, updated_at \
     FROM items WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3";
pub(super) const INSERT_ITEM: &str =
    "INSERT INTO items (tenant_id, owner_sub, name, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $4) RETURNING id, tenant_id, owner_sub, name, created_at, updated_at";
pub(super) const GET_ITEM: &str = "SELECT id, tenant_id, owner_sub, name, created_at, updated_at \
     FROM items WHERE tenant_id = $1 AND id = $2";
pub(super) const RENAME_ITEM: &str = "UPDATE items SET name = $3, updated_at = $4 \
     WHERE tenant_id = $1 AND id = $2 \
     RETURNING id, tenant_id, owner_sub, name, created_at, updated_at";
pub(super) const DELETE_ITEM: &str = "DELETE FROM items WHERE tenant_id = $1 AND id = $2";

pub(super) const LIST_ALERTS: &str =
    "SELECT id, tenant_id, owner_sub, title, severity, created_at, acknowledged_at \
     FROM alerts WHERE tenant_id = $1 AND owner_sub = $2 AND id > $3 ORDER BY id LIMIT $4";
pub(super) const INSERT_ALERT: &str =
    "INSERT INTO alerts (tenant_id, owner_sub, title, severity, created_at) \
     VALUES ($1, $2, $3, $4, $5) \
     RETURNING id, tenant_id, owner_sub, title, severity, created_at, acknowledged_at";
pub(super) const GET_ALERT: &str =
    "SELECT id, tenant_id, owner_sub, title, severity, created_at, acknowledged_at \
     FROM alerts WHERE tenant_id = $1 AND owner_sub = $2 AND id = $3";
pub(super) const ACK_ALERT: &str =
    "UPDATE alerts SET acknowledged_at = COALESCE(acknowledged_at, $4) \
     WHERE tenant_id = $1 AND owner_sub = $2 AND id = $3 \
     RETURNING id, tenant_id, owner_sub, title, severity, created_at, acknowledged_at";
pub(super) const DELETE_ALERT: &str =
    "DELETE FROM alerts WHERE tenant_id = $1 AND owner_sub = $2 AND id = $3";

pub(super) const UPSERT_SIGN_OUT: &str = "INSERT INTO sign_outs (sub, signed_out_at, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (sub) DO UPDATE SET signed_out_at = excluded.signed_out_at, expires_at = excluded.expires_at";
pub(super) const SIGN_OUTS_SINCE: &str =
    "SELECT sub, signed_out_at FROM sign_outs WHERE signed_out_at >= $1";
pub(super) const PURGE_SIGN_OUTS: &str = "DELETE FROM sign_outs WHERE expires_at < $1";

-- Items are shared within a tenant; alerts belong to one user within a tenant.
CREATE TABLE items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  TEXT NOT NULL,
    owner_sub  TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX items_tenant_id_id ON items (tenant_id, id);

CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       TEXT NOT NULL,
    owner_sub       TEXT NOT NULL,
    title           TEXT NOT NULL,
    severity        TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    created_at      TEXT NOT NULL,
    acknowledged_at TEXT
);
CREATE INDEX alerts_tenant_owner_id ON alerts (tenant_id, owner_sub, id);

-- A user's last sign-out: tokens issued before it are refused. Users span tenants.
CREATE TABLE sign_outs (
    sub           TEXT PRIMARY KEY,
    signed_out_at BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sign_outs_signed_out_at ON sign_outs (signed_out_at);

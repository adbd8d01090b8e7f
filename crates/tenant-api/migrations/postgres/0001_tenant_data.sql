-- Items are shared within a tenant; alerts belong to one user within a tenant.
CREATE TABLE items (
    id         BIGSERIAL PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    owner_sub  TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX items_tenant_id_id ON items (tenant_id, id);

CREATE TABLE alerts (
    id              BIGSERIAL PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    owner_sub       TEXT NOT NULL,
    title           TEXT NOT NULL,
    severity        TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    created_at      TIMESTAMPTZ NOT NULL,
    acknowledged_at TIMESTAMPTZ
);
CREATE INDEX alerts_tenant_owner_id ON alerts (tenant_id, owner_sub, id);

-- Row-level security: every statement sees only the rows of the tenant named by the
-- transaction-local setting app.tenant_id, even a query that forgets its tenant filter.
-- FORCE makes the policies bind the table owner too; only superusers and BYPASSRLS roles escape,
-- so the service must connect as an ordinary role.
ALTER TABLE items ENABLE ROW LEVEL SECURITY;
ALTER TABLE items FORCE ROW LEVEL SECURITY;
CREATE POLICY items_tenant_isolation ON items
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY alerts_tenant_isolation ON alerts
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

-- A user's last sign-out: tokens issued before it are refused. Users span tenants.
CREATE TABLE sign_outs (
    sub           TEXT PRIMARY KEY,
    signed_out_at BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sign_outs_signed_out_at ON sign_outs (signed_out_at);

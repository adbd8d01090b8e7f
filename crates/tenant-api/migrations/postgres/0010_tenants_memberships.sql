-- Tenants that run themselves: who belongs to which tenant, with what role and state; which
-- people were removed from a tenant (so their home attribute no longer admits them there); how
-- many tenants each person belongs to (so a removal knows when the Cognito user may go); and
-- each tenant's audit log. Memberships, removals and the audit log are tenant data, under the
-- same row-level security as items: a statement sees only the rows of app.tenant_id.
CREATE TABLE memberships (
    id         BIGSERIAL PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    sub        TEXT NOT NULL,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    state      TEXT NOT NULL CHECK (state IN ('invited', 'active', 'suspended')),
    -- 'home': written on the first request of a person whose tenant attribute names this
    -- tenant, and admitting them only while it still does; 'invite': written by an admin.
    via        TEXT NOT NULL CHECK (via IN ('home', 'invite')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, sub)
);
CREATE INDEX memberships_tenant_id_id ON memberships (tenant_id, id);

CREATE TABLE membership_removals (
    tenant_id  TEXT NOT NULL,
    sub        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, sub)
);

-- Not tenant data: one count per person, across tenants (as sign_outs are per person); kept by
-- the triggers below, inside the scoped transaction that adds or removes the membership.
CREATE TABLE member_counts (
    sub     TEXT PRIMARY KEY,
    tenants BIGINT NOT NULL
);

CREATE FUNCTION memberships_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM membership_removals WHERE tenant_id = NEW.tenant_id AND sub = NEW.sub;
    INSERT INTO member_counts (sub, tenants) VALUES (NEW.sub, 1)
        ON CONFLICT (sub) DO UPDATE SET tenants = member_counts.tenants + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER memberships_added AFTER INSERT ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_added();

CREATE FUNCTION memberships_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO membership_removals (tenant_id, sub) VALUES (OLD.tenant_id, OLD.sub)
        ON CONFLICT DO NOTHING;
    UPDATE member_counts SET tenants = tenants - 1 WHERE sub = OLD.sub;
    RETURN NULL;
END $$;
CREATE TRIGGER memberships_removed AFTER DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_removed();

CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    actor_sub  TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT,
    request_id TEXT NOT NULL,
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_tenant_id_id ON audit_log (tenant_id, id);

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY memberships_tenant_isolation ON memberships
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

ALTER TABLE membership_removals ENABLE ROW LEVEL SECURITY;
ALTER TABLE membership_removals FORCE ROW LEVEL SECURITY;
CREATE POLICY membership_removals_tenant_isolation ON membership_removals
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_tenant_isolation ON audit_log
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

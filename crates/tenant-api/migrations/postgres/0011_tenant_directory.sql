-- The directory of tenants: one row per tenant that has (or had) members, with how many it has
-- now. Not tenant data (no row-level security): it is how an operator lists tenants across all
-- of them. Kept by the triggers below, inside the scoped transaction that adds or removes a
-- membership.
CREATE TABLE tenant_directory (
    id         BIGSERIAL PRIMARY KEY,
    tenant_id  TEXT NOT NULL UNIQUE,
    members    BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- The backfill reads every tenant's memberships: row-level security is lifted for this
-- statement only (the migration is one transaction, run by the tables' owner).
ALTER TABLE memberships NO FORCE ROW LEVEL SECURITY;
INSERT INTO tenant_directory (tenant_id, members, created_at)
    SELECT tenant_id, COUNT(*), MIN(created_at) FROM memberships
    GROUP BY tenant_id ORDER BY MIN(id);
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;

CREATE FUNCTION memberships_directory_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tenant_directory (tenant_id, members, created_at)
        VALUES (NEW.tenant_id, 1, NEW.created_at)
        ON CONFLICT (tenant_id) DO UPDATE SET members = tenant_directory.members + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER memberships_directory_added AFTER INSERT ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_directory_added();

CREATE FUNCTION memberships_directory_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenant_directory SET members = members - 1 WHERE tenant_id = OLD.tenant_id;
    RETURN NULL;
END $$;
CREATE TRIGGER memberships_directory_removed AFTER DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_directory_removed();

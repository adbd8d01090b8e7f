-- The directory of tenants: one row per tenant that has (or had) members, with how many it has
-- now. Not tenant data: it is how an operator lists tenants across all of them. Kept by the
-- triggers below in the statement that adds or removes a membership.
CREATE TABLE tenant_directory (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  TEXT NOT NULL UNIQUE,
    members    BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

INSERT INTO tenant_directory (tenant_id, members, created_at)
    SELECT tenant_id, COUNT(*), MIN(created_at) FROM memberships
    GROUP BY tenant_id ORDER BY MIN(id);

CREATE TRIGGER memberships_directory_added AFTER INSERT ON memberships
BEGIN
    INSERT OR IGNORE INTO tenant_directory (tenant_id, members, created_at)
        VALUES (NEW.tenant_id, 0, NEW.created_at);
    UPDATE tenant_directory SET members = members + 1 WHERE tenant_id = NEW.tenant_id;
END;

CREATE TRIGGER memberships_directory_removed AFTER DELETE ON memberships
BEGIN
    UPDATE tenant_directory SET members = members - 1 WHERE tenant_id = OLD.tenant_id;
END;

-- Tenants that run themselves: who belongs to which tenant, with what role and state; which
-- people were removed from a tenant (so their home attribute no longer admits them there); how
-- many tenants each person belongs to (so a removal knows when the Cognito user may go); and
-- each tenant's audit log.
CREATE TABLE memberships (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  TEXT NOT NULL,
    sub        TEXT NOT NULL,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    state      TEXT NOT NULL CHECK (state IN ('invited', 'active', 'suspended')),
    -- 'home': written on the first request of a person whose tenant attribute names this
    -- tenant, and admitting them only while it still does; 'invite': written by an admin.
    via        TEXT NOT NULL CHECK (via IN ('home', 'invite')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, sub)
);
CREATE INDEX memberships_tenant_id_id ON memberships (tenant_id, id);

CREATE TABLE membership_removals (
    tenant_id  TEXT NOT NULL,
    sub        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, sub)
);

-- Not tenant data: one count per person, across tenants (as sign_outs are per person).
CREATE TABLE member_counts (
    sub     TEXT PRIMARY KEY,
    tenants BIGINT NOT NULL
);

CREATE TRIGGER memberships_added AFTER INSERT ON memberships
BEGIN
    DELETE FROM membership_removals WHERE tenant_id = NEW.tenant_id AND sub = NEW.sub;
    INSERT OR IGNORE INTO member_counts (sub, tenants) VALUES (NEW.sub, 0);
    UPDATE member_counts SET tenants = tenants + 1 WHERE sub = NEW.sub;
END;

CREATE TRIGGER memberships_removed AFTER DELETE ON memberships
BEGIN
    INSERT OR IGNORE INTO membership_removals (tenant_id, sub) VALUES (OLD.tenant_id, OLD.sub);
    UPDATE member_counts SET tenants = tenants - 1 WHERE sub = OLD.sub;
END;

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  TEXT NOT NULL,
    actor_sub  TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT,
    request_id TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX audit_log_tenant_id_id ON audit_log (tenant_id, id);

-- Pages are read from these indexes alone (they hold every column a page returns), so a
-- tenant's rows sit next to each other whatever order they were written in: on a table shared
-- by many tenants, a page costs a few index pages instead of one table lookup per row.
CREATE INDEX items_tenant_page ON items (tenant_id, id, owner_sub, name, created_at, updated_at);
DROP INDEX items_tenant_id_id;

CREATE INDEX alerts_tenant_owner_page
    ON alerts (tenant_id, owner_sub, id, title, severity, created_at, acknowledged_at);
DROP INDEX alerts_tenant_owner_id;

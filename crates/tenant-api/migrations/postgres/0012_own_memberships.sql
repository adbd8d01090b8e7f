-- A person may read their own memberships in every tenant (the console's tenant switcher):
-- a statement run in a person's scope (app.sub, set for that transaction only) sees the rows
-- whose sub is theirs, and no other row of any tenant. Read only: every change to a membership
-- still runs in its tenant's scope. Permissive policies combine with OR, so tenant-scoped
-- statements (which never set app.sub) see exactly what they saw before.
CREATE POLICY memberships_own_rows ON memberships FOR SELECT
    USING (sub = current_setting('app.sub', true));

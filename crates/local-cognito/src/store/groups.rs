//! Persisted groups and memberships.

use super::{Store, StoreError};

/// A stored group.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) pool_id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) precedence: Option<i64>,
    pub(crate) created_at: i64,
    pub(crate) modified_at: i64,
}

impl Store {
    /// Inserts a group; false when the name is taken in the pool.
    pub(crate) async fn insert_group(&self, group: &Group) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT OR IGNORE INTO groups (pool_id, name, description, precedence, created_at, modified_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&group.pool_id)
        .bind(&group.name)
        .bind(&group.description)
        .bind(group.precedence)
        .bind(group.created_at)
        .bind(group.modified_at)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// True when the group exists.
    pub(crate) async fn group_exists(&self, pool_id: &str, name: &str) -> Result<bool, StoreError> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM groups WHERE pool_id = ? AND name = ?")
                .bind(pool_id)
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// Adds a membership (idempotent, as in Cognito).
    pub(crate) async fn add_member(
        &self,
        pool_id: &str,
        group: &str,
        username: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT OR IGNORE INTO group_members (pool_id, group_name, username) VALUES (?, ?, ?)",
        )
        .bind(pool_id)
        .bind(group)
        .bind(username)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes a membership (idempotent).
    pub(crate) async fn remove_member(
        &self,
        pool_id: &str,
        group: &str,
        username: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND username = ?",
        )
        .bind(pool_id)
        .bind(group)
        .bind(username)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The user's group names, by precedence then name (the order of `cognito:groups`).
    pub(crate) async fn user_groups(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT g.name FROM group_members m
             JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
             WHERE m.pool_id = ? AND m.username = ?
             ORDER BY g.precedence IS NULL, g.precedence, g.name",
        )
        .bind(pool_id)
        .bind(username)
        .fetch_all(&self.pool)
        .await?)
    }
}

//! Persisted users. Writes take the whole row; the email alias column enforces one account per
//! email in pools whose users sign in with their email.

use std::collections::BTreeMap;

use super::{Store, StoreError};
use crate::domain::user::{User, UserStatus};

type UserRow = (
    String,
    String,
    String,
    String,
    bool,
    Option<String>,
    Option<i64>,
    i64,
    i64,
    String,
);

const COLUMNS: &str = "pool_id, username, sub, status, enabled, password_hash,
    temp_password_expires_at, created_at, modified_at, attributes";

fn from_row(row: UserRow) -> Result<User, StoreError> {
    let (pool_id, username, sub, status, enabled, password_hash, temp, created, modified, attrs) =
        row;
    Ok(User {
        pool_id,
        username,
        sub,
        status: UserStatus::parse(&status),
        enabled,
        password_hash,
        temp_password_expires_at: temp,
        created_at: created,
        modified_at: modified,
        attributes: serde_json::from_str::<BTreeMap<String, String>>(&attrs)?,
    })
}

/// The outcome of a write that may hit a uniqueness rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NewUser {
    /// Written.
    Saved,
    /// The username or the email alias is taken.
    Taken,
}

/// One page of `ListUsers`.
#[derive(Debug)]
pub(crate) struct UserPage {
    pub(crate) users: Vec<User>,
    /// The username to continue after, when more users may follow.
    pub(crate) next: Option<String>,
}

/// Maps a write's result: a unique-constraint violation means the name or email is taken.
fn saved<T>(result: Result<T, sqlx::Error>) -> Result<NewUser, StoreError> {
    match result {
        Ok(_) => Ok(NewUser::Saved),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Ok(NewUser::Taken),
        Err(error) => Err(error.into()),
    }
}

impl Store {
    /// Inserts a new user; `email_alias` is the lower-cased email in email-username pools.
    pub(crate) async fn insert_user(
        &self,
        user: &User,
        email_alias: Option<&str>,
    ) -> Result<NewUser, StoreError> {
        let result = sqlx::query(
            "INSERT INTO users (pool_id, username, sub, email_alias, status, enabled, password_hash,
                temp_password_expires_at, created_at, modified_at, attributes)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&user.pool_id)
        .bind(&user.username)
        .bind(&user.sub)
        .bind(email_alias)
        .bind(user.status.as_str())
        .bind(user.enabled)
        .bind(&user.password_hash)
        .bind(user.temp_password_expires_at)
        .bind(user.created_at)
        .bind(user.modified_at)
        .bind(serde_json::to_string(&user.attributes)?)
        .execute(&self.pool)
        .await;
        saved(result)
    }

    /// Rewrites a user's mutable columns.
    pub(crate) async fn save_user(
        &self,
        user: &User,
        email_alias: Option<&str>,
    ) -> Result<NewUser, StoreError> {
        let result = sqlx::query(
            "UPDATE users SET email_alias = ?, status = ?, enabled = ?, password_hash = ?,
                temp_password_expires_at = ?, modified_at = ?, attributes = ?
             WHERE pool_id = ? AND username = ?",
        )
        .bind(email_alias)
        .bind(user.status.as_str())
        .bind(user.enabled)
        .bind(&user.password_hash)
        .bind(user.temp_password_expires_at)
        .bind(user.modified_at)
        .bind(serde_json::to_string(&user.attributes)?)
        .bind(&user.pool_id)
        .bind(&user.username)
        .execute(&self.pool)
        .await;
        saved(result)
    }

    /// The user with this internal username.
    pub(crate) async fn user(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<Option<User>, StoreError> {
        sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {COLUMNS} FROM users WHERE pool_id = ? AND username = ?"
        ))
        .bind(pool_id)
        .bind(username)
        .fetch_optional(&self.pool)
        .await?
        .map(from_row)
        .transpose()
    }

    /// The user whose (lower-cased) email alias is `alias`.
    pub(crate) async fn user_by_email_alias(
        &self,
        pool_id: &str,
        alias: &str,
    ) -> Result<Option<User>, StoreError> {
        sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {COLUMNS} FROM users WHERE pool_id = ? AND email_alias = ?"
        ))
        .bind(pool_id)
        .bind(alias)
        .fetch_optional(&self.pool)
        .await?
        .map(from_row)
        .transpose()
    }

    /// Users with usernames after `after`, in username order, up to `limit`, keeping only those
    /// `keep` accepts (filters are evaluated here, in Rust, over each batch).
    pub(crate) async fn list_users(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
        keep: impl Fn(&User) -> bool,
    ) -> Result<UserPage, StoreError> {
        const BATCH: i64 = 200;
        let mut users = Vec::new();
        let mut cursor = after.unwrap_or("").to_owned();
        loop {
            let batch = sqlx::query_as::<_, UserRow>(&format!(
                "SELECT {COLUMNS} FROM users WHERE pool_id = ? AND username > ?
                 ORDER BY username LIMIT ?"
            ))
            .bind(pool_id)
            .bind(&cursor)
            .bind(BATCH)
            .fetch_all(&self.pool)
            .await?;
            let exhausted = batch.len() < usize::try_from(BATCH).unwrap_or(usize::MAX);
            for row in batch {
                let user = from_row(row)?;
                cursor.clone_from(&user.username);
                if keep(&user) {
                    users.push(user);
                    if users.len() == limit {
                        // A full page may be followed by nothing; the next call then returns
                        // an empty page, which Cognito also does.
                        return Ok(UserPage {
                            users,
                            next: Some(cursor),
                        });
                    }
                }
            }
            if exhausted {
                return Ok(UserPage { users, next: None });
            }
        }
    }

    /// Deletes a user with their memberships, sessions and refresh tokens; false if absent.
    pub(crate) async fn delete_user(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        for table in ["group_members", "sessions", "refresh_tokens"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE pool_id = ? AND username = ?"
            ))
            .bind(pool_id)
            .bind(username)
            .execute(&mut *tx)
            .await?;
        }
        let deleted = sqlx::query("DELETE FROM users WHERE pool_id = ? AND username = ?")
            .bind(pool_id)
            .bind(username)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(deleted == 1)
    }
}

impl Store {
    /// How many users the pool has (`EstimatedNumberOfUsers`).
    pub(crate) async fn count_users(&self, pool_id: &str) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE pool_id = ?")
                .bind(pool_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

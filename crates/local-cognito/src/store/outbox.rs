//! The outbox: messages Cognito would have delivered, kept for developers to read.

use serde::Serialize;

use super::{Store, StoreError};

/// How many messages the outbox keeps; older ones are dropped as new ones arrive.
const KEPT: i64 = 500;

/// A message the provider would have sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OutboxMessage {
    /// Its position in the outbox (increasing).
    pub id: i64,
    /// The pool whose user it was for.
    pub pool_id: String,
    /// The user's internal username.
    pub username: String,
    /// `EMAIL` or `SMS`.
    pub medium: String,
    /// The email address or phone number it would have gone to.
    pub destination: String,
    /// Its subject (empty for SMS).
    pub subject: String,
    /// Its text.
    pub body: String,
    /// When it was "sent" (Unix seconds).
    pub sent_at: i64,
}

impl Store {
    /// Appends a message (its `id` is assigned here) and drops all but the newest [`KEPT`].
    pub(crate) async fn post_message(&self, message: &OutboxMessage) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO outbox (pool_id, username, medium, destination, subject, body, sent_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&message.pool_id)
        .bind(&message.username)
        .bind(&message.medium)
        .bind(&message.destination)
        .bind(&message.subject)
        .bind(&message.body)
        .bind(message.sent_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM outbox WHERE id <= (SELECT MAX(id) FROM outbox) - ?")
            .bind(KEPT)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The messages, newest first, optionally only those to `destination` (case-insensitive).
    pub(crate) async fn messages(
        &self,
        destination: Option<&str>,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, pool_id, username, medium, destination, subject, body, sent_at
             FROM outbox WHERE (?1 IS NULL OR lower(destination) = lower(?1))
             ORDER BY id DESC LIMIT ?2",
        )
        .bind(destination)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}

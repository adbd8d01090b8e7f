//! Persisted app clients.

use super::{Store, StoreError};
use crate::domain::client::{Client, ClientSettings};

type ClientRow = (String, String, String, Option<String>, i64, i64, String);

fn from_row(row: ClientRow) -> Result<Client, StoreError> {
    let (id, pool_id, name, secret, created_at, modified_at, settings) = row;
    Ok(Client {
        id,
        pool_id,
        name,
        secret,
        created_at,
        modified_at,
        settings: serde_json::from_str::<ClientSettings>(&settings)?,
    })
}

impl Store {
    /// Stores a new client.
    pub(crate) async fn insert_client(&self, client: &Client) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO clients (id, pool_id, name, secret, created_at, modified_at, settings)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&client.id)
        .bind(&client.pool_id)
        .bind(&client.name)
        .bind(&client.secret)
        .bind(client.created_at)
        .bind(client.modified_at)
        .bind(serde_json::to_string(&client.settings)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The client with this id, in any pool.
    pub(crate) async fn client(&self, id: &str) -> Result<Option<Client>, StoreError> {
        sqlx::query_as::<_, ClientRow>(
            "SELECT id, pool_id, name, secret, created_at, modified_at, settings
             FROM clients WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(from_row)
        .transpose()
    }

    /// Replaces a client's name and settings.
    pub(crate) async fn update_client(&self, client: &Client) -> Result<(), StoreError> {
        sqlx::query("UPDATE clients SET name = ?, modified_at = ?, settings = ? WHERE id = ?")
            .bind(&client.name)
            .bind(client.modified_at)
            .bind(serde_json::to_string(&client.settings)?)
            .bind(&client.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

//! [`SessionStore`] on SQLite: the shared session SQL (`store/sessions.rs`); reads in place,
//! writes on the writer thread.

use async_trait::async_trait;
use rusqlite::{named_params, params, OptionalExtension, Row};

use super::rows::execute;
use super::SqliteStore;
use crate::domain::session::StoredSession;
use crate::store::sessions::{
    CLAIM_REFRESH, CREATE_SESSION, DELETE_SESSION, DELETE_SESSIONS_OF, GET_SESSION, PURGE_SESSIONS,
    STORE_REFRESH, TOUCH_SESSION,
};
use crate::store::{SessionStore, StoreError};

#[async_trait]
impl SessionStore for SqliteStore {
    async fn create_session(&self, session: &StoredSession) -> Result<(), StoreError> {
        let s = session.clone();
        self.write(move |c| {
            let params = named_params! {
                "$1": s.id_hash, "$2": s.sub, "$3": s.email, "$4": s.tenant, "$5": s.tokens,
                "$6": s.access_expires_at, "$7": s.version, "$8": s.created_at,
                "$9": s.last_seen_at, "$10": s.expires_at
            };
            execute(c, CREATE_SESSION, params).map(drop)
        })
        .await
    }

    async fn session(&self, id_hash: &str) -> Result<Option<StoredSession>, StoreError> {
        self.read(|conn| {
            conn.prepare_cached(GET_SESSION)?
                .query_row(params![id_hash], session_from)
                .optional()
        })
    }

    async fn touch_session(&self, id_hash: &str, at: i64) -> Result<(), StoreError> {
        let id_hash = id_hash.to_owned();
        self.write(move |c| {
            execute(c, TOUCH_SESSION, named_params! {"$1": id_hash, "$2": at}).map(drop)
        })
        .await
    }

    async fn claim_refresh(
        &self,
        id_hash: &str,
        version: i64,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        let id_hash = id_hash.to_owned();
        let changed = self
            .write(move |c| {
                let params = named_params! {"$1": id_hash, "$2": version, "$3": now, "$4": until};
                execute(c, CLAIM_REFRESH, params)
            })
            .await?;
        Ok(changed == 1)
    }

    async fn store_refresh(
        &self,
        id_hash: &str,
        version: i64,
        tokens: &str,
        access_expires_at: i64,
    ) -> Result<bool, StoreError> {
        let (id_hash, tokens) = (id_hash.to_owned(), tokens.to_owned());
        let changed = self
            .write(move |c| {
                let params = named_params! {
                    "$1": id_hash, "$2": version, "$3": tokens, "$4": access_expires_at
                };
                execute(c, STORE_REFRESH, params)
            })
            .await?;
        Ok(changed == 1)
    }

    async fn delete_session(&self, id_hash: &str) -> Result<bool, StoreError> {
        let id_hash = id_hash.to_owned();
        let changed = self
            .write(move |c| execute(c, DELETE_SESSION, named_params! {"$1": id_hash}))
            .await?;
        Ok(changed == 1)
    }

    async fn delete_sessions_of(&self, sub: &str) -> Result<u64, StoreError> {
        let sub = sub.to_owned();
        self.write(move |c| execute(c, DELETE_SESSIONS_OF, named_params! {"$1": sub}))
            .await
    }

    async fn purge_sessions(&self, now: i64, idle_before: i64) -> Result<u64, StoreError> {
        self.write(move |c| {
            execute(
                c,
                PURGE_SESSIONS,
                named_params! {"$1": now, "$2": idle_before},
            )
        })
        .await
    }
}

fn session_from(row: &Row<'_>) -> rusqlite::Result<StoredSession> {
    Ok(StoredSession {
        id_hash: row.get(0)?,
        sub: row.get(1)?,
        email: row.get(2)?,
        tenant: row.get(3)?,
        tokens: row.get(4)?,
        access_expires_at: row.get(5)?,
        version: row.get(6)?,
        created_at: row.get(7)?,
        last_seen_at: row.get(8)?,
        expires_at: row.get(9)?,
    })
}

//! SQLite writes on one thread of their own, committed in groups.
//!
//! SQLite takes one writer at a time, so writes queue somewhere whatever we do. They used to
//! queue for sqlx's single pooled connection, where each one paid the pool hand-off and several
//! trips to sqlx's connection thread, and a commit of its own. Here they queue in a channel to
//! one thread that owns the write connection: it takes every write waiting (up to
//! [`MAX_BATCH`]), runs them in one `BEGIN IMMEDIATE … COMMIT`, and only then answers each. Under
//! load that is one commit, one WAL append and one thread wake-up per group instead of per write;
//! alone, a write costs what it did. Each write is a single statement, which SQLite undoes on its
//! own when it fails (its default `ABORT` conflict handling), so one write's error leaves the
//! others of its group in place; a write whose caller has gone (the guard's budget ran out) is
//! skipped, not run.
//!
//! Every statement is stepped to `SQLITE_DONE` (see `store::returned`): the automatic
//! WAL checkpoint runs when the `COMMIT` completes.
//!
//! A full disk fails writes with [`StoreError::DiskFull`] while reads go on; the thread logs when
//! that starts and when a write next succeeds, not once per write.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

use crate::store::StoreError;

/// The most writes committed together; a larger queue is served in several groups.
pub(super) const MAX_BATCH: usize = 64;

/// One queued write: its statement, and where its outcome goes once the group has committed.
trait Job: Send {
    /// Runs the write inside the group's open transaction (skipped if nobody waits for it).
    fn run(&mut self, connection: &Connection) -> Ran;
    /// Answers the caller: the write's own outcome if the group committed, else `group`'s error.
    fn finish(self: Box<Self>, group: Result<(), &StoreError>);
}

struct Pending<T, F> {
    work: Option<F>,
    outcome: Option<Result<T, StoreError>>,
    reply: oneshot::Sender<Result<T, StoreError>>,
}

impl<T, F> Job for Pending<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T, StoreError> + Send,
{
    fn run(&mut self, connection: &Connection) -> Ran {
        if self.reply.is_closed() {
            return Ran::Skipped;
        }
        let Some(work) = self.work.take() else {
            return Ran::Skipped;
        };
        let outcome = work(connection);
        let ran = match &outcome {
            Ok(_) => Ran::Wrote,
            Err(StoreError::DiskFull) => Ran::DiskFull,
            Err(_) => Ran::Failed,
        };
        self.outcome = Some(outcome);
        ran
    }

    fn finish(self: Box<Self>, group: Result<(), &StoreError>) {
        let outcome = match group {
            Ok(()) => self.outcome.unwrap_or(Err(StoreError::Unavailable)),
            Err(err) => Err(replica(err)),
        };
        let _ = self.reply.send(outcome);
    }
}

/// How one write went, as far as its group is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ran {
    /// Not run: its caller had gone.
    Skipped,
    /// The statement succeeded.
    Wrote,
    /// The database had no room for it.
    DiskFull,
    /// It failed otherwise (a conflict, a missing row…).
    Failed,
}

/// What a committed group did: whether a write took effect, and whether one found no room.
#[derive(Clone, Copy, Debug, Default)]
struct Effect {
    wrote: bool,
    disk_full: bool,
}

/// The queue of the write connection's thread.
type Jobs = mpsc::Sender<Box<dyn Job>>;

/// The write connection's thread, reached through a channel.
#[derive(Debug)]
pub(super) struct Writer {
    /// Shared only with the test hook's registry, which holds it weakly.
    jobs: Arc<Jobs>,
}

impl Writer {
    /// Opens the write connection to the (migrated) database at `path` and starts its thread;
    /// a group waits at most `busy_timeout` for a lock held by another process.
    pub(super) fn open(path: &Path, busy_timeout: Duration) -> Result<Self, StoreError> {
        let connection = connect(path, busy_timeout)?;
        let (jobs, queue) = mpsc::channel::<Box<dyn Job>>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || serve(&connection, &queue))
            .map_err(|e| StoreError::Database(Box::new(e)))?;
        let jobs = Arc::new(jobs);
        #[cfg(feature = "test-support")]
        test_hook::register(path, &jobs);
        Ok(Self { jobs })
    }

    /// Runs `work` (one statement) on the write connection, in the next group to commit.
    pub(super) async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, outcome) = oneshot::channel();
        let job = Box::new(Pending {
            work: Some(work),
            outcome: None,
            reply,
        });
        self.jobs.send(job).map_err(|_| StoreError::Unavailable)?;
        outcome.await.unwrap_or(Err(StoreError::Unavailable))
    }
}

fn connect(path: &Path, busy_timeout: Duration) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags)?;
    connection.busy_timeout(busy_timeout)?;
    // The same settings as the sqlx connection that created and migrated the file (see
    // `SqliteStore::connect`); all but `journal_mode` are per connection.
    connection.pragma_update(None, "journal_mode", "wal")?;
    connection.pragma_update(None, "synchronous", "normal")?;
    connection.pragma_update(None, "foreign_keys", true)?;
    connection.pragma_update(None, "journal_size_limit", super::JOURNAL_SIZE_LIMIT)?;
    Ok(connection)
}

/// The writer thread: until every `Writer` handle is gone, takes what is queued and commits it
/// as one group.
fn serve(connection: &Connection, queue: &mpsc::Receiver<Box<dyn Job>>) {
    let mut disk = DiskEpisode::default();
    while let Ok(first) = queue.recv() {
        let mut group = Vec::with_capacity(MAX_BATCH.min(8));
        group.push(first);
        while group.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let committed =
            std::panic::catch_unwind(AssertUnwindSafe(|| commit(connection, &mut group)))
                .unwrap_or_else(|_| {
                    let _ = connection.execute_batch("ROLLBACK");
                    Err(StoreError::Database("a write panicked".into()))
                });
        disk.observe(&committed);
        for job in group {
            job.finish(committed.as_ref().map(|_| ()));
        }
    }
}

/// Runs `group` in one transaction.
fn commit(connection: &Connection, group: &mut [Box<dyn Job>]) -> Result<Effect, StoreError> {
    connection.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
    let mut effect = Effect::default();
    for job in group.iter_mut() {
        let ran = job.run(connection);
        effect.wrote |= ran == Ran::Wrote;
        effect.disk_full |= ran == Ran::DiskFull;
        // An I/O or disk-full error can roll the whole transaction back (SQLite does so when
        // the disk fills): the writes before it are gone too, and each of their callers must
        // hear so. Only a full disk leaves the database readable.
        if connection.is_autocommit() {
            return Err(match ran {
                Ran::DiskFull => StoreError::DiskFull,
                _ => StoreError::Unavailable,
            });
        }
    }
    if let Err(err) = connection.prepare_cached("COMMIT")?.execute([]) {
        if !connection.is_autocommit() {
            let _ = connection.execute_batch("ROLLBACK");
        }
        return Err(err.into());
    }
    Ok(effect)
}

/// Whether the last writes found the database full, so that a full disk is logged when it
/// starts and when it ends instead of once per refused write.
#[derive(Debug, Default)]
struct DiskEpisode {
    full: bool,
}

impl DiskEpisode {
    /// Takes note of a group's outcome, logging a change; returns whether there was one.
    fn observe(&mut self, group: &Result<Effect, StoreError>) -> bool {
        let (full, wrote) = match group {
            Ok(effect) => (effect.disk_full, effect.wrote),
            Err(err) => (matches!(err, StoreError::DiskFull), false),
        };
        if full && !self.full {
            self.full = true;
            tracing::warn!(
                "database or disk is full: writes are refused (507) until there is room; \
                 reads go on"
            );
            return true;
        }
        if wrote && !full && self.full {
            self.full = false;
            tracing::info!("database writes succeed again: the disk has room");
            return true;
        }
        false
    }
}

/// The same failure for another caller of the group (errors are not `Clone`: their sources are
/// boxed).
fn replica(err: &StoreError) -> StoreError {
    match err {
        StoreError::NotFound => StoreError::NotFound,
        StoreError::Busy => StoreError::Busy,
        StoreError::Conflict => StoreError::Conflict,
        StoreError::DiskFull => StoreError::DiskFull,
        StoreError::Database(source) => StoreError::Database(source.to_string().into()),
        _ => StoreError::Unavailable,
    }
}

/// Test hook: the write connection of a running service, found by its database file, for
/// settings that SQLite keeps per connection (`PRAGMA max_page_count`, which makes a write find
/// the database full without filling a disk).
#[cfg(feature = "test-support")]
pub(crate) mod test_hook {
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex, PoisonError, Weak};

    use super::{Jobs, Writer};
    use crate::store::StoreError;

    /// The writers of this process; an entry dies with its writer.
    static WRITERS: Mutex<Vec<(PathBuf, Weak<Jobs>)>> = Mutex::new(Vec::new());

    pub(super) fn register(path: &Path, jobs: &Arc<Jobs>) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        let mut writers = WRITERS.lock().unwrap_or_else(PoisonError::into_inner);
        writers.retain(|(_, jobs)| jobs.strong_count() > 0);
        writers.push((path, Arc::downgrade(jobs)));
    }

    /// Sets `PRAGMA max_page_count` on the write connection of the database file `db`, returning
    /// the limit in effect (SQLite raises one below the current size to that size, and takes 0
    /// as a question). Writes that need a page beyond it fail as on a full disk.
    pub async fn set_max_page_count_for_tests(db: &Path, pages: u64) -> Result<u64, StoreError> {
        let db = std::fs::canonicalize(db).map_err(|e| StoreError::Database(Box::new(e)))?;
        let jobs = WRITERS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .rev()
            .find(|(path, _)| *path == db)
            .and_then(|(_, jobs)| jobs.upgrade())
            .ok_or_else(|| {
                StoreError::Database(format!("no writer for {}", db.display()).into())
            })?;
        Writer { jobs }
            .write(move |c| {
                let sql = format!("PRAGMA max_page_count = {pages}");
                Ok(c.query_row(&sql, [], |row| row.get(0))?)
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::sync::Arc;

    use super::*;

    fn writer_on_new_file() -> (tempfile::TempDir, Arc<Writer>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA journal_mode = wal; CREATE TABLE t (k TEXT PRIMARY KEY)")
            .unwrap();
        let writer = Writer::open(&path, Duration::from_millis(200)).unwrap();
        (dir, Arc::new(writer))
    }

    fn insert(writer: &Arc<Writer>, key: &str) -> impl Future<Output = Result<u64, StoreError>> {
        let (writer, key) = (Arc::clone(writer), key.to_owned());
        async move {
            writer
                .write(move |c| {
                    let changed = c.execute("INSERT INTO t (k) VALUES (?1)", [&key])?;
                    Ok(changed as u64)
                })
                .await
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_waiting_together_commit_together_and_one_failure_spares_the_others() {
        let (dir, writer) = writer_on_new_file();
        // 200 writes at once, one of them a duplicate key: every other one is committed.
        let mut tasks = Vec::new();
        for i in 0..200 {
            let key = if i == 150 {
                "k-7".to_owned()
            } else {
                format!("k-{i}")
            };
            tasks.push(tokio::spawn(insert(&writer, &key)));
        }
        let mut conflicts = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(1) => {}
                Err(StoreError::Conflict) => conflicts += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(conflicts, 1);
        let count: i64 = Connection::open(dir.path().join("w.db"))
            .unwrap()
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 199);
    }

    #[tokio::test]
    async fn a_database_that_cannot_grow_fails_writes_as_disk_full_until_it_can() {
        let (dir, writer) = writer_on_new_file();
        let limit = |pages: u64| {
            writer.write(move |c| {
                let sql = format!("PRAGMA max_page_count = {pages}");
                Ok(c.query_row(&sql, [], |row| row.get::<_, u64>(0))?)
            })
        };
        limit(1).await.unwrap();
        let mut written = 0;
        let full = loop {
            match insert(&writer, &format!("{written:04} {}", "x".repeat(200))).await {
                Ok(_) => written += 1,
                Err(err) => break err,
            }
            assert!(written < 1_000, "the database never filled");
        };
        assert!(matches!(full, StoreError::DiskFull), "{full:?}");
        limit(1 << 30).await.unwrap();
        assert_eq!(insert(&writer, "after").await.unwrap(), 1);
        let count: i64 = Connection::open(dir.path().join("w.db"))
            .unwrap()
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, written + 1);
    }

    #[test]
    fn a_full_disk_is_logged_when_it_starts_and_when_a_write_next_succeeds() {
        let mut disk = DiskEpisode::default();
        let wrote = Effect {
            wrote: true,
            disk_full: false,
        };
        let one_full = Effect {
            wrote: true,
            disk_full: true,
        };
        assert!(
            !disk.observe(&Ok(wrote)),
            "nothing to say while there is room"
        );
        assert!(disk.observe(&Ok(one_full)), "the first write without room");
        assert!(!disk.observe(&Err(StoreError::DiskFull)), "not again");
        assert!(!disk.observe(&Ok(one_full)), "still full");
        assert!(!disk.observe(&Err(StoreError::Busy)), "no sign of room");
        assert!(
            disk.observe(&Ok(wrote)),
            "a write succeeded with none refused"
        );
        assert!(!disk.observe(&Ok(wrote)));
        assert!(disk.observe(&Err(StoreError::DiskFull)), "a new episode");
    }

    #[tokio::test]
    async fn a_lock_held_elsewhere_is_busy_for_the_group_and_a_caller_gone_is_not_written() {
        let (dir, writer) = writer_on_new_file();
        let other = Connection::open(dir.path().join("w.db")).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert!(matches!(insert(&writer, "a").await, Err(StoreError::Busy)));
        // While the lock is held: "b" waits in a group; "gone" queues behind it and its caller
        // gives up. Once the lock is released, "b" is written and "gone" is not.
        let waiting = tokio::spawn(insert(&writer, "b"));
        tokio::time::sleep(Duration::from_millis(20)).await;
        let abandoned = tokio::time::timeout(Duration::from_millis(20), insert(&writer, "gone"));
        assert!(abandoned.await.is_err());
        other.execute_batch("COMMIT").unwrap();
        assert_eq!(waiting.await.unwrap().unwrap(), 1);
        assert_eq!(insert(&writer, "c").await.unwrap(), 1);
        let keys: Vec<String> = other
            .prepare("SELECT k FROM t ORDER BY k")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(keys, ["b", "c"]);
    }
}

//! Backups of a live store and restores into one, by SQLite's online backup API: a backup is
//! the store as it was at one moment (one read transaction, so an ingest or a server writing
//! beside it neither waits nor tears it), a restore replaces a store's content under the
//! locks every other connection honours, so a running server sees the restored store on its
//! next read instead of a file swapped under it.

use crate::{Result, Store, StoreError, DB_FILE, SCHEMA_VERSION};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Pages copied between two reports of progress (of 4 KiB: 16 MiB).
const PAGES_PER_STEP: i32 = 4096;

/// How far a copy has come: pages copied and pages in all.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// What a finished backup or restore holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub bytes: u64,
    pub schema: i64,
}

fn io_error(path: &Path, what: &str, cause: std::io::Error) -> StoreError {
    StoreError::Copy {
        path: path.to_path_buf(),
        reason: format!("{what}: {cause}"),
    }
}

/// Copies every page of `from` into `to`, reporting progress; the source's snapshot stays
/// the one its open read transaction holds.
fn copy_pages(from: &Connection, to: &mut Connection, progress: Progress) -> Result<()> {
    let backup = Backup::new(from, to)?;
    // A lock held this long is not a moment's: said, not waited on for ever.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let step = backup.step(PAGES_PER_STEP)?;
        let p = backup.progress();
        let total = u64::try_from(p.pagecount).unwrap_or(0);
        let left = u64::try_from(p.remaining).unwrap_or(0);
        progress(total.saturating_sub(left), total);
        match step {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            // Another connection holds a lock the copy needs for a moment.
            _ if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20))
            }
            _ => {
                return Err(StoreError::Copy {
                    path: PathBuf::from(DB_FILE),
                    reason: "another process has held the store locked for a minute: stop \
                             it (a long ingest or reextract) and try again"
                        .into(),
                })
            }
        }
    }
}

/// Checks a copy of a store: SQLite finds it sound and its schema is one this korolev reads.
fn checked(conn: &Connection, path: &Path) -> Result<i64> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    if problems.iter().any(|p| p != "ok") {
        return Err(StoreError::Copy {
            path: path.to_path_buf(),
            reason: format!("SQLite finds it damaged: {}", problems.join("; ")),
        });
    }
    let schema: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if schema > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: schema,
        });
    }
    if schema == 0 {
        return Err(StoreError::Copy {
            path: path.to_path_buf(),
            reason: "it is not a korolev store (no schema version)".into(),
        });
    }
    Ok(schema)
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

impl Store {
    /// Writes the store as it is now into the new file `dest` (which must not exist), while
    /// others go on reading and writing it; the copy is checked before it takes its name.
    pub fn backup_to(&self, dest: &Path, progress: Progress) -> Result<Copied> {
        if dest.exists() {
            return Err(StoreError::Copy {
                path: dest.to_path_buf(),
                reason: "it exists already; a backup never overwrites".into(),
            });
        }
        let partial = partial_name(dest);
        let _ = std::fs::remove_file(&partial);
        let done = (|| {
            let mut to = Connection::open(&partial).map_err(|cause| StoreError::Open {
                path: partial.clone(),
                cause,
            })?;
            // One read transaction over the whole copy: one moment of the store, however
            // long the copy takes and whatever is written meanwhile.
            self.conn.execute_batch("BEGIN DEFERRED")?;
            let copied = self
                .conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
                .map_err(StoreError::from)
                .and_then(|()| copy_pages(&self.conn, &mut to, progress));
            let _ = self.conn.execute_batch("COMMIT");
            copied?;
            let schema = checked(&to, dest)?;
            // A backup is one file, whatever journal the live store keeps.
            to.execute_batch("PRAGMA journal_mode = DELETE")?;
            drop(to);
            std::fs::File::open(&partial)
                .and_then(|f| f.sync_all())
                .map_err(|e| io_error(&partial, "syncing", e))?;
            std::fs::rename(&partial, dest).map_err(|e| io_error(dest, "naming the copy", e))?;
            Ok(Copied {
                bytes: file_size(dest),
                schema,
            })
        })();
        if done.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        done
    }
}

fn partial_name(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    dest.with_file_name(name)
}

/// Opens a backup read-only and checks it as [`restore`] would, before anything is replaced.
pub fn check_backup(from: &Path) -> Result<i64> {
    open_backup(from).and_then(|c| {
        c.query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(Into::into)
    })
}

fn open_backup(from: &Path) -> Result<Connection> {
    let open_err = |cause| StoreError::Open {
        path: from.to_path_buf(),
        cause,
    };
    let source = Connection::open_with_flags(
        from,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(open_err)?;
    checked(&source, from).map_err(|e| match e {
        StoreError::Sql(cause) => open_err(cause),
        other => other,
    })?;
    Ok(source)
}

/// Replaces the store of `data_dir` (made if there is none) with the backup file `from`,
/// checked first: a damaged or newer backup leaves the store as it was. The copy goes
/// through SQLite's locks, so a server running on the store reads the restored content on
/// its next request; the store is then brought to this korolev's schema.
pub fn restore(data_dir: &Path, from: &Path, progress: Progress) -> Result<Copied> {
    let source = open_backup(from)?;
    std::fs::create_dir_all(data_dir).map_err(|cause| StoreError::DataDir {
        path: data_dir.to_path_buf(),
        cause,
    })?;
    let path = data_dir.join(DB_FILE);
    {
        let mut to = Connection::open(&path).map_err(|cause| StoreError::Open {
            path: path.clone(),
            cause,
        })?;
        to.busy_timeout(Duration::from_secs(10))?;
        source.execute_batch("BEGIN DEFERRED")?;
        let copied = copy_pages(&source, &mut to, progress);
        let _ = source.execute_batch("COMMIT");
        copied?;
    }
    // Migrations, WAL and the settings every korolev connection has.
    let store = Store::open(data_dir)?;
    let schema = store.schema_version()?;
    Ok(Copied {
        bytes: file_size(&path),
        schema,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_backup_restores_to_the_same_store_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join("live");
        let store = Store::open(&live).unwrap();
        store
            .conn
            .execute_batch("CREATE TABLE extra(x); INSERT INTO extra VALUES (42);")
            .unwrap();
        let dest = dir.path().join("copy.sqlite3");
        let mut seen = Vec::new();
        let copied = store
            .backup_to(&dest, &mut |done, all| seen.push((done, all)))
            .unwrap();
        assert_eq!(copied.schema, SCHEMA_VERSION);
        assert!(copied.bytes > 0);
        assert!(
            seen.last().is_some_and(|(d, a)| d == a && *a > 0),
            "{seen:?}"
        );
        assert!(!partial_name(&dest).exists());
        let again = store.backup_to(&dest, &mut |_, _| {});
        assert!(matches!(again, Err(StoreError::Copy { .. })), "{again:?}");

        let restored = dir.path().join("restored");
        restore(&restored, &dest, &mut |_, _| {}).unwrap();
        let back = Store::open(&restored).unwrap();
        let x: i64 = back
            .conn
            .query_row("SELECT x FROM extra", [], |r| r.get(0))
            .unwrap();
        assert_eq!(x, 42);
    }

    #[test]
    fn a_damaged_backup_leaves_the_store_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join("live");
        let store = Store::open(&live).unwrap();
        store
            .conn
            .execute_batch("CREATE TABLE extra(x); INSERT INTO extra VALUES (7);")
            .unwrap();
        let bad = dir.path().join("bad.sqlite3");
        std::fs::write(
            &bad,
            b"not a database at all, though long enough to look like one",
        )
        .unwrap();
        assert!(restore(&live, &bad, &mut |_, _| {}).is_err());
        let empty = dir.path().join("empty.sqlite3");
        Connection::open(&empty)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        let e = restore(&live, &empty, &mut |_, _| {}).unwrap_err();
        assert!(e.to_string().contains("not a korolev store"), "{e}");
        let x: i64 = store
            .conn
            .query_row("SELECT x FROM extra", [], |r| r.get(0))
            .unwrap();
        assert_eq!(x, 7);
    }
}

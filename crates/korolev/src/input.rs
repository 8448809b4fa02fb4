//! Inputs named on the command line: files, directories walked recursively, `-` for stdin,
//! and the bundled corpus. Reading is bounded: no input may grow past the document size limit,
//! also not by decompressing a small `.gz` into a huge one.

use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Extensions read when walking a directory (each also with `.gz`); a `.warc` is an archive
/// of many pages.
const EXTENSIONS: [&str; 4] = ["txt", "html", "htm", "warc"];

/// One document to read.
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Stdin,
    Embedded {
        name: &'static str,
        bytes: &'static [u8],
    },
}

impl Source {
    /// The name shown to users and stored as the document's source.
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "-".to_string(),
            Source::Embedded { name, .. } => format!("corpus/{name}"),
        }
    }
}

/// A directory entry or argument that could not be listed, or was passed over.
#[derive(Debug)]
pub struct ListError {
    pub name: String,
    pub reason: String,
    /// Whether the run counts it as failed: an argument that cannot be read does, a named
    /// pipe or socket met while walking a directory does not (it is named and passed over).
    pub fails: bool,
}

impl std::fmt::Display for ListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "skipped {}: {}", shown(&self.name), self.reason)
    }
}

/// A name as it may be printed to a terminal: control characters (escape sequences, line
/// breaks) written as escapes, never sent raw.
pub fn shown(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Tells on standard error that the input `name` was skipped, and why.
pub fn skipped(name: &str, reason: impl std::fmt::Display) {
    eprintln!("korolev: skipped {}: {reason}", shown(name));
}

/// What a path that is not a regular file or a directory is, for the message that skips it.
fn special_kind(t: std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_block_device() || t.is_char_device() {
            return Some("a device");
        }
    }
    (!t.is_file() && !t.is_dir()).then_some("not a regular file")
}

fn wanted(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    EXTENSIONS
        .iter()
        .any(|ext| name.ends_with(&format!(".{ext}")))
}

/// Expands command-line arguments into sources. Directories are walked in name order;
/// symlinked directories are not followed (no loops), symlinked files are.
pub fn collect(args: &[PathBuf]) -> (Vec<Source>, Vec<ListError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        match std::fs::metadata(arg) {
            Ok(m) if m.is_dir() => walk(arg, &mut sources, &mut errors),
            Ok(m) => match special_kind(m.file_type()) {
                Some(kind) => errors.push(ListError {
                    name: arg.display().to_string(),
                    reason: format!("{kind}, not a regular file"),
                    fails: true,
                }),
                None => sources.push(Source::File(arg.clone())),
            },
            Err(e) => errors.push(ListError {
                name: arg.display().to_string(),
                reason: e.to_string(),
                fails: true,
            }),
        }
    }
    (sources, errors)
}

fn walk(dir: &Path, sources: &mut Vec<Source>, errors: &mut Vec<ListError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(ListError {
                name: dir.display().to_string(),
                reason: e.to_string(),
                fails: true,
            });
            return;
        }
    };
    let mut paths: Vec<(PathBuf, std::fs::FileType)> = Vec::new();
    for entry in entries {
        match entry.and_then(|e| Ok((e.path(), e.file_type()?))) {
            Ok(p) => paths.push(p),
            Err(e) => errors.push(ListError {
                name: dir.display().to_string(),
                reason: e.to_string(),
                fails: true,
            }),
        }
    }
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, file_type) in paths {
        if file_type.is_dir() {
            walk(&path, sources, errors);
            continue;
        }
        if !wanted(&path) {
            continue;
        }
        // A symlink is taken for what it points to; only regular files are opened.
        let target = if file_type.is_symlink() {
            std::fs::metadata(&path).map(|m| m.file_type())
        } else {
            Ok(file_type)
        };
        match target.map(special_kind) {
            Ok(None) => sources.push(Source::File(path)),
            Ok(Some(kind)) => errors.push(ListError {
                name: path.display().to_string(),
                reason: format!("{kind}, not a regular file"),
                fails: false,
            }),
            Err(e) => errors.push(ListError {
                name: path.display().to_string(),
                reason: format!("cannot open: {e}"),
                fails: true,
            }),
        }
    }
}

/// Reads at most `limit` bytes from `r`; more is an error naming the limit.
pub(crate) fn read_bounded(mut r: impl Read, limit: usize, what: &str) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    r.by_ref()
        .take(limit as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("{what}: {e}"))?;
    if buf.len() > limit {
        return Err(format!(
            "larger than the {:.1} MB limit for one document",
            limit as f64 / 1e6
        ));
    }
    Ok(buf)
}

fn is_gzip(name: &str, head: &[u8]) -> bool {
    name.to_ascii_lowercase().ends_with(".gz") || head.starts_with(&[0x1f, 0x8b])
}

/// Opens a file for reading without waiting on it: a named pipe put in place after the
/// directory was listed opens at once (and is then refused as not a regular file) instead
/// of blocking until some writer comes.
pub(crate) fn open_regular(path: &Path) -> Result<File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path).map_err(|e| format!("cannot open: {e}"))
}

/// Reads a source's bytes, decompressing gzip. Errors are one line, for the user.
pub fn read(source: &Source, limit: usize) -> Result<Vec<u8>, String> {
    let raw = match source {
        Source::Embedded { bytes, .. } => bytes.to_vec(),
        Source::Stdin => read_bounded(
            std::io::stdin().lock(),
            limit.saturating_mul(4),
            "cannot read standard input",
        )?,
        Source::File(path) => {
            let file = open_regular(path)?;
            let meta = file
                .metadata()
                .map_err(|e| format!("cannot read metadata: {e}"))?;
            if meta.is_dir() {
                return Err("is a directory".into());
            }
            if let Some(kind) = special_kind(meta.file_type()) {
                return Err(format!("{kind}, not a regular file"));
            }
            if meta.len() > limit as u64 && !is_gzip(&source.name(), &[]) {
                return Err(format!(
                    "the file is {:.1} MB, over the {:.1} MB limit for one document",
                    meta.len() as f64 / 1e6,
                    limit as f64 / 1e6
                ));
            }
            read_bounded(file, limit, "cannot read")?
        }
    };
    if is_gzip(&source.name(), &raw) {
        let text = read_bounded(
            MultiGzDecoder::new(raw.as_slice()),
            limit,
            "gzip data is damaged or truncated",
        )?;
        return Ok(text);
    }
    if raw.len() > limit {
        return Err(format!(
            "larger than the {:.1} MB limit for one document",
            limit as f64 / 1e6
        ));
    }
    Ok(raw)
}

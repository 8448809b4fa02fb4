//! Pages from web archives: WARC 1.0 and 1.1 files (`.warc`, or `.warc.gz` with one gzip
//! member per record, as Common Crawl writes them), read a record at a time. A `response`
//! record gives the body of its HTTP response (de-chunked and decompressed) with its target URI
//! and content type as the page's hints; a `resource` record gives its block. Requests,
//! metadata, revisits, `warcinfo`, answers other than 200 and bodies that are not pages (images,
//! scripts) are passed over and counted. Every record is bounded by the document size limit.

use crate::input::read_bounded;
use flate2::read::{MultiGzDecoder, ZlibDecoder};
use korolev_pipeline::{Hints, Page};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use warc::{RecordType, WarcHeader, WarcReader};

/// Whether `path` names a WARC file.
pub fn is_warc(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".warc") || name.ends_with(".warc.gz")
}

/// Pages read from the WARC file at `path`, as its records are read, on a thread of their
/// own; `passed` hears how many records were passed over once the file is read.
pub fn pages(
    path: PathBuf,
    limit: usize,
    passed: impl FnOnce(usize) + Send + 'static,
) -> impl Iterator<Item = Page> {
    // A few records ahead of the store, no more: memory stays that of a few pages.
    let (tx, rx) = mpsc::sync_channel(4);
    std::thread::spawn(move || {
        let name = path.display().to_string();
        let send = |page: Page| tx.send(page).is_ok();
        let file = match crate::input::open_regular(&path) {
            Ok(f) => f,
            Err(why) => {
                send(failed(&name, why));
                return;
            }
        };
        let reader: Box<dyn BufRead> = if name.to_ascii_lowercase().ends_with(".gz") {
            Box::new(BufReader::new(MultiGzDecoder::new(BufReader::new(file))))
        } else {
            Box::new(BufReader::new(file))
        };
        passed(read_records(reader, &name, limit, send));
    });
    rx.into_iter()
}

/// Sends a page for every record of `reader` that holds one, until `send` says stop or the
/// file ends; returns how many records were passed over.
fn read_records(
    reader: impl BufRead,
    name: &str,
    limit: usize,
    send: impl Fn(Page) -> bool,
) -> usize {
    let mut warc = WarcReader::new(LineLimit::new(reader));
    let mut records = warc.stream_records();
    let mut passed = 0;
    let mut n = 0;
    while let Some(record) = records.next_item() {
        n += 1;
        let at = format!("{name} record {n}");
        let record = match record {
            Ok(r) => r,
            // A damaged header leaves no way to find the next record.
            Err(e) => {
                send(failed(&at, format!("cannot read the WARC record: {e}")));
                return passed;
            }
        };
        let kind = record.warc_type().clone();
        if !matches!(kind, RecordType::Response | RecordType::Resource) {
            passed += 1;
            continue;
        }
        let uri = record
            .header(WarcHeader::TargetURI)
            .map(|u| u.trim().trim_matches(['<', '>']).to_string());
        let block_type = record
            .header(WarcHeader::ContentType)
            .map(|t| t.to_string());
        let length = record.content_length();
        let seen = Some(record.date().timestamp());
        let named = match &uri {
            Some(u) => format!("{at} ({u})"),
            None => at.clone(),
        };
        // An HTTP response's head rides in front of its body.
        let most = limit.saturating_add(HEAD_BYTES);
        if length > most as u64 {
            send(failed(
                &named,
                format!(
                    "the record is {:.1} MB, over the {:.1} MB limit for one document",
                    length as f64 / 1e6,
                    limit as f64 / 1e6
                ),
            ));
            continue;
        }
        let block = match read_bounded(record, most, "cannot read the record") {
            Ok(b) => b,
            Err(why) => {
                send(failed(&named, why));
                return passed;
            }
        };
        if (block.len() as u64) < length {
            send(failed(&named, "the record is truncated".to_string()));
            return passed;
        }
        let page = match kind {
            RecordType::Response => match http_body(&block, limit) {
                Ok(Some((content_type, body))) => Ok((content_type, body)),
                Ok(None) => {
                    passed += 1;
                    continue;
                }
                Err(why) => Err(why),
            },
            _ => Ok((block_type, block)),
        };
        let page = match page {
            Ok((content_type, body)) => {
                if !is_page_type(content_type.as_deref()) {
                    passed += 1;
                    continue;
                }
                Page {
                    name: named,
                    bytes: Ok(body),
                    hints: Some(Hints {
                        url: uri,
                        content_type,
                        published: None,
                        seen,
                    }),
                }
            }
            Err(why) => failed(&named, why),
        };
        if !send(page) {
            break;
        }
    }
    passed
}

fn failed(name: &str, why: String) -> Page {
    Page {
        name: name.to_string(),
        bytes: Err(why),
        hints: None,
    }
}

/// The most bytes an HTTP response's head may take.
const HEAD_BYTES: usize = 64 * 1024;

/// The most header fields an HTTP response may have.
const HEADERS: usize = 128;

/// Whether a body of this content type is a page korolev reads; one without a type is tried.
fn is_page_type(content_type: Option<&str>) -> bool {
    let Some(t) = content_type else {
        return true;
    };
    let t = t
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        t.as_str(),
        "" | "text/html" | "application/xhtml+xml" | "text/plain" | "application/xml" | "text/xml"
    )
}

/// A body and the content type it was sent with.
type Typed = (Option<String>, Vec<u8>);

/// The content type and body of an HTTP response as a WARC records it, or `None` for an
/// answer that is not a page (a redirect, a 404, a 304).
fn http_body(block: &[u8], limit: usize) -> Result<Option<Typed>, String> {
    let mut fields = [httparse::EMPTY_HEADER; HEADERS];
    let mut response = httparse::Response::new(&mut fields);
    let head = match response.parse(block) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("the HTTP response's head is cut off".into()),
        Err(e) => return Err(format!("the HTTP response does not read: {e}")),
    };
    if response.code != Some(200) {
        return Ok(None);
    }
    let field = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let content_type = field("content-type");
    let mut body = block[head..].to_vec();
    if field("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        body = dechunk(&body)?;
    }
    match field("content-encoding")
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        None | Some("" | "identity") => {}
        Some("gzip" | "x-gzip") => {
            body = read_bounded(
                MultiGzDecoder::new(body.as_slice()),
                limit,
                "gzip data is damaged or truncated",
            )?
        }
        Some("deflate") => {
            body = read_bounded(
                ZlibDecoder::new(body.as_slice()),
                limit,
                "deflate data is damaged or truncated",
            )?
        }
        Some(other) => return Err(format!("content encoding {other:?} is not read")),
    }
    Ok(Some((content_type, body)))
}

/// The body of a chunked HTTP message (RFC 9112, 7.1); trailers are dropped.
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(rest.len());
    loop {
        let (size_end, size) = match httparse::parse_chunk_size(rest) {
            Ok(httparse::Status::Complete(c)) => c,
            _ => return Err("the chunked body is damaged".into()),
        };
        rest = &rest[size_end..];
        if size == 0 {
            return Ok(out);
        }
        let size = usize::try_from(size)
            .ok()
            .filter(|&s| s <= rest.len())
            .ok_or("the chunked body is cut off")?;
        out.extend_from_slice(&rest[..size]);
        rest = rest[size..].strip_prefix(b"\r\n").unwrap_or(&rest[size..]);
    }
}

/// The longest line a WARC header may have: a file with no line breaks is an error, not a
/// header read into memory whole.
const LINE_BYTES: usize = 64 * 1024;

/// A reader whose lines end within [`LINE_BYTES`]: the WARC reader reads each header line
/// whole, however long it is.
struct LineLimit<R> {
    inner: R,
    /// Bytes handed out since the last line break.
    since_break: usize,
}

impl<R> LineLimit<R> {
    fn new(inner: R) -> Self {
        LineLimit {
            inner,
            since_break: 0,
        }
    }
}

impl<R: BufRead> Read for LineLimit<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        // Bodies are read through here in bulk: line lengths do not apply to them.
        let n = self.inner.read(out)?;
        self.since_break = 0;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineLimit<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.since_break > LINE_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("a WARC header line longer than {} KB", LINE_BYTES / 1024),
            ));
        }
        // Never more at once than the rest of a line may take, so the check above comes in
        // time however large the buffer below is.
        let room = LINE_BYTES + 1 - self.since_break;
        let buf = self.inner.fill_buf()?;
        Ok(&buf[..buf.len().min(room)])
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let taken = &buf[..amount.min(buf.len())];
            self.since_break = match taken.iter().rposition(|&b| b == b'\n') {
                Some(i) => taken.len() - i - 1,
                None => self.since_break + taken.len(),
            };
        }
        self.inner.consume(amount);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n").as_deref(),
            Ok(&b"hello, world"[..])
        );
        assert!(dechunk(b"ff\r\nshort").is_err());
        assert!(dechunk(b"zz\r\n").is_err());
    }

    #[test]
    fn only_pages_are_read() {
        assert!(is_page_type(Some("text/html; charset=utf-8")));
        assert!(is_page_type(None));
        assert!(!is_page_type(Some("image/png")));
        assert!(!is_page_type(Some("application/javascript")));
    }

    #[test]
    fn a_header_line_without_end_is_an_error() {
        let mut r = LineLimit::new(std::io::Cursor::new(vec![b'x'; LINE_BYTES * 3]));
        let mut line = Vec::new();
        assert!(r.read_until(b'\n', &mut line).is_err());
        assert!(line.len() <= LINE_BYTES + 1);
    }
}

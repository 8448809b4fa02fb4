//! Pages from web archives: WARC 1.0 and 1.1 files (`.warc`, or `.warc.gz` with one gzip
//! member per record, as Common Crawl writes them), read a record at a time. A `response`
//! record gives the body of its HTTP response (de-chunked and decompressed) with its target URI
//! and content type as the page's hints; a `resource` record gives its block. Requests,
//! metadata, revisits, `warcinfo`, answers other than 200 and bodies that are not pages (images,
//! scripts) are passed over and counted. Every record is bounded by the document size limit,
//! and every record's header block by [`HEADER_BYTES`]; a record whose header does not read is
//! named and passed over by its length. (Read here rather than with the `warc` crate, whose
//! reader panics on a header value that is not UTF-8 and reads a header block without bound.)

use crate::input::read_bounded;
use flate2::read::{MultiGzDecoder, ZlibDecoder};
use korolev_pipeline::{Hints, Page};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

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

/// The most bytes a record's header block may take.
const HEADER_BYTES: usize = 64 * 1024;

/// A record's header: its version line's fields, by lowercase name, values as text.
struct Header {
    fields: Vec<(String, String)>,
}

impl Header {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the next record's header: `None` at the end of the file, an error for a header that
/// does not read (without a length there is no finding the next record).
fn read_header(r: &mut impl BufRead) -> Result<Option<Header>, String> {
    let mut block = Vec::new();
    // Blank lines between records (the block's closing CRLF CRLF) come first.
    loop {
        let buf = r.fill_buf().map_err(|e| format!("cannot read: {e}"))?;
        if buf.is_empty() {
            return Ok(None);
        }
        let blank = buf
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let all = blank == buf.len();
        r.consume(blank);
        if !all {
            break;
        }
    }
    loop {
        let mut line = Vec::new();
        let n = r
            .by_ref()
            .take((HEADER_BYTES - block.len().min(HEADER_BYTES)) as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read: {e}"))?;
        if n == 0 {
            return Err("the file ends inside a record's header".into());
        }
        if block.len() + line.len() > HEADER_BYTES {
            return Err(format!(
                "a record header longer than {} KB",
                HEADER_BYTES / 1024
            ));
        }
        let end = matches!(line.as_slice(), b"\r\n" | b"\n");
        block.extend_from_slice(&line);
        if end {
            break;
        }
    }
    let text = String::from_utf8_lossy(&block);
    let mut lines = text.lines();
    let version = lines.next().unwrap_or("").trim();
    let mut fields = Vec::new();
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            fields.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let header = Header { fields };
    let length = header
        .get("content-length")
        .and_then(|v| v.parse::<u64>().ok());
    if !version.starts_with("WARC/1.") {
        return Err(format!(
            "not a WARC record (it starts {:?})",
            shorten(version)
        ));
    }
    if length.is_none() {
        return Err("the record has no Content-Length".into());
    }
    Ok(Some(header))
}

fn shorten(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Reads and drops `n` bytes.
fn skip(r: &mut impl BufRead, n: u64) -> std::io::Result<u64> {
    std::io::copy(&mut r.by_ref().take(n), &mut std::io::sink())
}

/// Sends a page for every record of `reader` that holds one, until `send` says stop or the
/// file ends; returns how many records were passed over.
fn read_records(
    mut reader: impl BufRead,
    name: &str,
    limit: usize,
    send: impl Fn(Page) -> bool,
) -> usize {
    let mut passed = 0;
    let mut n = 0;
    loop {
        n += 1;
        let at = format!("{name} record {n}");
        let header = match read_header(&mut reader) {
            Ok(Some(h)) => h,
            Ok(None) => return passed,
            // Without a length there is no finding the next record.
            Err(why) => {
                send(failed(&at, format!("cannot read the WARC record: {why}")));
                return passed;
            }
        };
        let length = header
            .get("content-length")
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        let kind = header.get("warc-type").unwrap_or("").to_ascii_lowercase();
        let uri = header
            .get("warc-target-uri")
            .map(|u| u.trim_matches(['<', '>']).to_string());
        let block_type = header.get("content-type").map(str::to_string);
        let named = match &uri {
            Some(u) => format!("{at} ({})", shorten(u)),
            None => at.clone(),
        };
        // Only answers over HTTP carry an HTTP head; a crawler's DNS records do not.
        let http = kind == "response"
            && block_type
                .as_deref()
                .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/http"));
        let page_record = http || kind == "resource";
        // An HTTP response's head rides in front of its body.
        let most = limit.saturating_add(if http { HEAD_BYTES } else { 0 });
        if !page_record || length > most as u64 {
            if page_record {
                send(failed(
                    &named,
                    format!(
                        "the record is {:.1} MB, over the {:.1} MB limit for one document",
                        length as f64 / 1e6,
                        limit as f64 / 1e6
                    ),
                ));
            } else {
                passed += 1;
            }
            match skip(&mut reader, length) {
                Ok(got) if got == length => continue,
                _ => {
                    send(failed(&named, "the record is truncated".to_string()));
                    return passed;
                }
            }
        }
        let block = match read_bounded(reader.by_ref().take(length), most, "cannot read the record")
        {
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
        let seen = header.get("warc-date").and_then(unix_seconds);
        let page = if http {
            match http_body(&block, limit) {
                Ok(Some(typed)) => Ok(typed),
                Ok(None) => {
                    passed += 1;
                    continue;
                }
                Err(why) => Err(why),
            }
        } else {
            Ok((block_type, block))
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
                        ..Hints::default()
                    }),
                }
            }
            Err(why) => failed(&named, why),
        };
        if !send(page) {
            return passed;
        }
    }
}

/// Unix seconds of a WARC-Date (ISO 8601 in UTC, to the second or finer).
fn unix_seconds(date: &str) -> Option<i64> {
    let d = korolev_extract::PartialDate::parse_iso(date.trim())?;
    d.day?;
    Some(korolev_facts::when::unix_seconds(&d))
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
    content_type.is_none_or(korolev_extract::is_page_type)
}

/// A body and the content type it was sent with.
type Typed = (Option<String>, Vec<u8>);

/// The content type and body of an HTTP response as a WARC records it, or `None` for an
/// answer that is not a page (a redirect, a 404, a 304).
fn http_body(block: &[u8], limit: usize) -> Result<Option<Typed>, String> {
    let mut fields = [httparse::EMPTY_HEADER; HEADERS];
    let mut response = httparse::Response::new(&mut fields);
    // Crawls keep what servers sent: spaces before a colon, folded lines, bad bytes in a
    // field the page does not need.
    let head = match httparse::ParserConfig::default()
        .allow_spaces_after_header_name_in_responses(true)
        .allow_obsolete_multiline_headers_in_responses(true)
        .allow_multiple_spaces_in_response_status_delimiters(true)
        .ignore_invalid_headers_in_responses(true)
        .parse_response(&mut response, block)
    {
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
    if body.len() > limit {
        return Err(format!(
            "the body is over the {:.1} MB limit for one document",
            limit as f64 / 1e6
        ));
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
}

//! One GET as a polite crawler makes it: one request per host at a time, spaced by the host's
//! delay, a host that asked to wait (429 or 503 with `Retry-After`) left alone until then,
//! conditional when validators are known, redirects followed by hand up to a limit (each hop
//! an http(s) address, never one seen before in the chain), and a body of bounded size read
//! within a bounded time (ureq unpacks gzip and brotli).

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A host that asks to be left alone longer than this is not waited for: the request fails
/// with [`FetchError::Backoff`] and is tried on a later run.
pub const LONGEST_WAIT: Duration = Duration::from_secs(60);
/// Retry-After is believed up to a day.
const LONGEST_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);
/// A 429 or 503 that says nothing of when to come back: wait this long.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("timed out")]
    Timeout,
    #[error("cannot reach the host: {0}")]
    Unreachable(String),
    #[error("the answer is larger than {0} bytes")]
    TooLarge(u64),
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    #[error("a redirect loop back to {0}")]
    RedirectLoop(String),
    #[error("a redirect to {0:?}, which is not an http(s) address")]
    BadRedirect(String),
    #[error("robots.txt of {0} does not allow it")]
    Disallowed(String),
    #[error("{host} asked to be left alone for {secs} s more")]
    Backoff { host: String, secs: u64 },
    #[error("HTTP {0}")]
    Status(u16),
    /// 429 or 503: the host asked to be left alone this long.
    #[error("HTTP {status} (asked to come back in {secs} s)")]
    Refused { status: u16, secs: u64 },
    /// A body that cannot be unpacked: broken at its source, not in the network.
    #[error("{0}")]
    Undecodable(String),
    #[error("{0}")]
    Other(String),
}

impl FetchError {
    /// Worth trying again later (the host or the network failed, not the address).
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout
            | FetchError::Unreachable(_)
            | FetchError::Backoff { .. }
            | FetchError::Refused { .. } => true,
            FetchError::Status(s) => *s == 429 || *s == 408 || *s >= 500,
            FetchError::Other(_) => true,
            _ => false,
        }
    }
}

/// What the caller knows of an address's last answer.
#[derive(Debug, Clone, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// An answer: 2xx with its body, or 304.
#[derive(Debug, Clone)]
pub struct Answer {
    /// Where the redirects ended.
    pub url: url::Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Empty for a 304.
    pub body: Vec<u8>,
}

impl Answer {
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

/// When a host may next be asked.
#[derive(Debug)]
struct Host {
    next: Instant,
    /// Its robots.txt's Crawl-delay, when longer than ours.
    delay: Option<Duration>,
    /// It asked (429, 503) to be left alone until then.
    until: Option<Instant>,
}

/// The HTTP client and the hosts it is asking.
pub struct Client {
    agent: ureq::Agent,
    delay: Duration,
    max_redirects: usize,
    hosts: Mutex<HashMap<String, Arc<Mutex<Host>>>>,
    /// Requests made.
    pub requests: std::sync::atomic::AtomicUsize,
}

/// `host:port`, the unit requests are spaced by.
pub fn host_key(u: &url::Url) -> String {
    format!(
        "{}:{}",
        u.host_str().unwrap_or(""),
        u.port_or_known_default().unwrap_or(0)
    )
}

impl Client {
    pub fn new(
        user_agent: &str,
        delay: Duration,
        timeout: Duration,
        max_redirects: usize,
    ) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
            .user_agent(user_agent)
            .build()
            .into();
        Client {
            agent,
            delay,
            max_redirects,
            hosts: Mutex::new(HashMap::new()),
            requests: Default::default(),
        }
    }

    fn host(&self, key: &str) -> Arc<Mutex<Host>> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(Mutex::new(Host {
                    next: Instant::now(),
                    delay: None,
                    until: None,
                }))
            })
            .clone()
    }

    /// Spaces requests to a host by `delay` at least (a robots.txt Crawl-delay).
    pub fn set_crawl_delay(&self, u: &url::Url, delay: Duration) {
        let host = self.host(&host_key(u));
        let mut h = host.lock().unwrap_or_else(|p| p.into_inner());
        h.delay = Some(delay);
    }

    /// GETs `url`, following redirects; `allowed` is asked of every address before it is
    /// requested (robots.txt). 3xx but 304 are followed; other statuses than 2xx and 304 are
    /// [`FetchError::Status`]. The body is cut at `max_bytes`, past which it is an error.
    pub fn get(
        &self,
        url: &url::Url,
        validators: &Validators,
        max_bytes: u64,
        allowed: &mut dyn FnMut(&url::Url) -> Result<(), FetchError>,
    ) -> Result<Answer, FetchError> {
        let mut at = url.clone();
        let mut seen = vec![at.to_string()];
        loop {
            allowed(&at)?;
            // Validators belong to the address asked for, not to where it leads.
            let given = (at == *url).then_some(validators);
            let mut response = self.once(&at, given)?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            if (300..400).contains(&status) && status != 304 {
                let Some(location) = header("location") else {
                    return Err(FetchError::Status(status));
                };
                let next = at
                    .join(&location)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
                    .ok_or_else(|| FetchError::BadRedirect(location.clone()))?;
                if seen.contains(&next.to_string()) {
                    return Err(FetchError::RedirectLoop(next.to_string()));
                }
                if seen.len() > self.max_redirects {
                    return Err(FetchError::TooManyRedirects(self.max_redirects));
                }
                seen.push(next.to_string());
                at = next;
                continue;
            }
            if status == 429 || status == 503 {
                let wait = header("retry-after")
                    .and_then(|v| retry_after(&v))
                    .unwrap_or(DEFAULT_RETRY_AFTER)
                    .min(LONGEST_RETRY_AFTER);
                let host = self.host(&host_key(&at));
                host.lock().unwrap_or_else(|p| p.into_inner()).until = Some(Instant::now() + wait);
                return Err(FetchError::Refused {
                    status,
                    secs: wait.as_secs(),
                });
            }
            if status != 304 && !(200..300).contains(&status) {
                return Err(FetchError::Status(status));
            }
            let content_type = header("content-type");
            let etag = header("etag");
            let last_modified = header("last-modified");
            // ureq unpacks gzip and brotli itself and passes other encodings through.
            let deflated =
                header("content-encoding").is_some_and(|e| e.eq_ignore_ascii_case("deflate"));
            let body = if status == 304 {
                Vec::new()
            } else if deflated {
                inflate(response.body_mut().as_reader(), max_bytes)?
            } else {
                read_body(response.body_mut().as_reader(), max_bytes)?
            };
            return Ok(Answer {
                url: at,
                status,
                content_type,
                etag,
                last_modified,
                body,
            });
        }
    }

    /// One request, when the host allows it, holding the host for its length.
    fn once(
        &self,
        at: &url::Url,
        validators: Option<&Validators>,
    ) -> Result<ureq::http::Response<ureq::Body>, FetchError> {
        let key = host_key(at);
        let host = self.host(&key);
        let mut h = host.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if let Some(until) = h.until.filter(|u| *u > now) {
            if until - now > LONGEST_WAIT {
                return Err(FetchError::Backoff {
                    host: at.host_str().unwrap_or("").to_string(),
                    secs: (until - now).as_secs(),
                });
            }
            std::thread::sleep(until - now);
        }
        let next = h.next;
        let now = Instant::now();
        if next > now {
            std::thread::sleep(next - now);
        }
        let mut request = self
            .agent
            .get(at.as_str())
            .header("Accept-Encoding", "gzip, br, deflate");
        if let Some(v) = validators {
            if let Some(e) = &v.etag {
                request = request.header("If-None-Match", e);
            }
            if let Some(m) = &v.last_modified {
                request = request.header("If-Modified-Since", m);
            }
        }
        self.requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let result = request.call();
        h.next = Instant::now() + h.delay.map_or(self.delay, |d| d.max(self.delay));
        result.map_err(error_of)
    }
}

/// Reads at most `max` bytes of a body; more is an error.
fn read_body(reader: impl Read, max: u64) -> Result<Vec<u8>, FetchError> {
    let mut body = Vec::new();
    reader
        .take(max + 1)
        .read_to_end(&mut body)
        .map_err(|e| error_of(ureq::Error::from(e)))?;
    if body.len() as u64 > max {
        return Err(FetchError::TooLarge(max));
    }
    Ok(body)
}

/// Reads a `deflate` body: zlib data as HTTP says, or the raw deflate stream some servers
/// send instead; at most `max` bytes once inflated.
fn inflate(reader: impl Read, max: u64) -> Result<Vec<u8>, FetchError> {
    // The packed body is no larger than the unpacked one may be.
    let packed = read_body(reader, max)?;
    let zlib = packed.len() >= 2
        && packed[0] & 0x0f == 8
        && (u16::from(packed[0]) << 8 | u16::from(packed[1])) % 31 == 0;
    let unpacked = if zlib {
        read_body(flate2::read::ZlibDecoder::new(&packed[..]), max)
    } else {
        read_body(flate2::read::DeflateDecoder::new(&packed[..]), max)
    };
    match unpacked {
        Err(FetchError::TooLarge(n)) => Err(FetchError::TooLarge(n)),
        Err(e) => Err(FetchError::Undecodable(format!(
            "a deflate body that cannot be unpacked: {e}"
        ))),
        ok => ok,
    }
}

fn error_of(e: ureq::Error) -> FetchError {
    match e {
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => {
            FetchError::Unreachable(e.to_string())
        }
        ureq::Error::BodyExceedsLimit(n) => FetchError::TooLarge(n),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => FetchError::Timeout,
            std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::NotConnected => FetchError::Unreachable(io.to_string()),
            _ => match io.into_inner().map(|i| i.downcast::<ureq::Error>()) {
                Some(Ok(inner)) => error_of(*inner),
                Some(Err(other)) => FetchError::Other(other.to_string()),
                None => FetchError::Other("the connection failed".into()),
            },
        },
        other => FetchError::Other(other.to_string()),
    }
}

/// `Retry-After`: seconds, or an HTTP date.
fn retry_after(v: &str) -> Option<Duration> {
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn deflate_bodies_are_inflated_whether_zlib_or_raw_and_bounded() {
        use std::io::Write;
        let text = b"<html><body><p>Deflated page.</p></body></html>".repeat(10);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&text).unwrap();
        let zlib = z.finish().unwrap();
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(&text).unwrap();
        let raw = d.finish().unwrap();
        assert_eq!(inflate(&zlib[..], 10_000).unwrap(), text);
        assert_eq!(inflate(&raw[..], 10_000).unwrap(), text);
        assert_eq!(inflate(&zlib[..], 100), Err(FetchError::TooLarge(100)));
        // A broken body is the source's: not tried again and again.
        assert!(!FetchError::Undecodable(String::new()).is_transient());
        assert!(matches!(
            inflate(&b"\x78\x9cnot deflate"[..], 100),
            Err(FetchError::Undecodable(_))
        ));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }
}

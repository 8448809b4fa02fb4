//! Helpers shared by the CLI tests: running the real `korolev` binary and finding ../shared.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// `../shared` beside the repository (tests read it at run time; it is not copied in).
pub fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Whether a test that reads `../shared` must skip: it is not beside the repository. The test
/// says so on stderr and passes — unless `KOROLEV_REQUIRE_SHARED=1` (CI sets it), where a
/// missing `../shared` fails it.
pub fn skip_without_shared() -> bool {
    let shared = shared_dir();
    if shared.join("seeds").is_dir() && shared.join("data").is_dir() {
        return false;
    }
    assert!(
        std::env::var("KOROLEV_REQUIRE_SHARED").as_deref() != Ok("1"),
        "KOROLEV_REQUIRE_SHARED=1 but {} (seeds, data) is not beside the repository",
        shared.display()
    );
    eprintln!(
        "skipped: this test reads {}, which is not beside the repository",
        shared.display()
    );
    true
}

/// `../shared/seeds` beside the repository.
pub fn seeds_dir() -> PathBuf {
    shared_dir().join("seeds")
}

pub fn korolev(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_korolev"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KOROLEV_DATA_DIR")
        .env_remove("KOROLEV_CONFIG")
        .output()
        .unwrap()
}

/// Runs korolev as [`korolev`] does, but kills it and fails the test if it has not finished
/// within `limit`: for inputs that must never hang it.
pub fn korolev_within(data_dir: &Path, args: &[&str], limit: std::time::Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_korolev"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KOROLEV_DATA_DIR")
        .env_remove("KOROLEV_CONFIG")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            let out = child.wait_with_output().unwrap();
            panic!(
                "korolev {args:?} still running after {limit:?}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Parses JSON lines.
pub fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The canonical name of entity `id` in one document of the facts JSON.
pub fn entity_name(doc: &serde_json::Value, id: &str) -> String {
    doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The document whose source path contains `part`.
pub fn doc_with_source<'a>(docs: &'a [serde_json::Value], part: &str) -> &'a serde_json::Value {
    docs.iter()
        .find(|d| d["document"]["source"].as_str().unwrap().contains(part))
        .unwrap()
}

/// The server process; stopped with SIGTERM when dropped, so a failing test leaves none behind.
pub struct Server {
    child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

pub fn start(data: &Path) -> Server {
    start_with(data, &[])
}

/// [`start`] with more arguments to `serve`.
pub fn start_with(data: &Path, args: &[&str]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_korolev"));
    cmd.arg("--data-dir")
        .arg(data)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(args)
        .env_remove("KOROLEV_DATA_DIR")
        .env_remove("KOROLEV_CONFIG")
        .env_remove("KOROLEV_BIND")
        .env_remove("KOROLEV_PUBLIC_URL")
        // Its log is not read: a pipe nobody reads would stop the server once full.
        .stderr(Stdio::null());
    spawn_server(&mut cmd)
}

/// Starts a `korolev serve` command (its stdout is taken) and waits for the address it
/// says it serves at; the server is stopped when the [`Server`] is dropped.
pub fn spawn_server(cmd: &mut Command) -> Server {
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let Some(addr) = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .map(str::to_string)
    else {
        let _ = child.kill();
        panic!("no address in {line:?}");
    };
    Server { child, addr }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One HTTP/1.0 GET (no chunking, the connection closes after the answer).
pub fn get(addr: &str, path: &str) -> Response {
    let (status, headers, body) = request(addr, "GET", path, &[]);
    Response {
        status,
        headers,
        body: String::from_utf8(body).unwrap(),
    }
}

/// The value of header `name` (lowercase) among `headers` as [`request`] gives them.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A fresh store holding the bundled corpus, or the part of it under `part` ("2020"; "" for
/// all of it).
pub fn corpus_store(part: &str) -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(part);
    let out = korolev(data.path(), &["ingest", corpus.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    data
}

/// One HTTP/1.0 request of any method with extra headers; the body is kept as bytes.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    write!(s, "{method} {path} HTTP/1.0\r\nHost: {addr}\r\n{extra}\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..end].to_vec()).unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, raw[end + 4..].to_vec())
}

/// A page of two paragraphs about a week aboard the station, titled `title`, with `head` (a
/// date, an image) in its `<head>`.
pub fn week_page(title: &str, head: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>{head}</head>\
         <body><article><h1>{title}</h1><p>The crew of the station spent the week on experiments in the \
         laboratory module and on the upkeep of the life support system, and prepared the suits.</p>\
         <p>Flight controllers on the ground planned the next cargo flight and the undocking of \
         the ship that brought the last crew, which is to leave in a month.</p></article></body></html>"
    )
}

/// A page whose title tries to run a script, whose canonical URL is script and whose image is
/// a file of the server: the title must come out as text, the addresses not at all.
pub const HOSTILE: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Crew news &lt;script&gt;alert(1)&lt;/script&gt;</title>
<link rel="canonical" href="javascript:alert(3)">
<meta property="og:image" content="file:///etc/passwd">
<meta property="og:site_name" content="Hostile Herald">
<meta property="article:published_time" content="2021-03-03T10:00:00Z">
</head><body><article><h1>Crew news &lt;script&gt;alert(1)&lt;/script&gt;</h1>
<p>Soyuz MS-18 will carry the next crew &lt;img src=x onerror=alert(2)&gt; to the station next month, the agency said today.</p>
<p>The crew trained for two years before the flight, and the launch is set for April.</p>
</article></body></html>"#;

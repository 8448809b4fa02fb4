//! Running korolev for real: korolev.toml's keys checked by name and taking effect (flags
//! beat them), `/metrics` apart from the public port, parsing as Prometheus text with counters
//! that move, one log line per request (JSON with `--log-format json`) with no secrets, and
//! `/health` failing on a store it cannot read.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Stdio};

/// A free port on 127.0.0.1 (bound and let go).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `korolev serve` with `args` and the configuration `config`, its log written to `log`.
fn serve_logged(data: &Path, config: &Path, args: &[&str], log: &Path) -> Server {
    spawn_server(
        Command::new(env!("CARGO_BIN_EXE_korolev"))
            .arg("--data-dir")
            .arg(data)
            .arg("--config")
            .arg(config)
            .arg("serve")
            .args(args)
            .env_remove("KOROLEV_DATA_DIR")
            .env_remove("KOROLEV_BIND")
            .env_remove("KOROLEV_PUBLIC_URL")
            .env_remove("KOROLEV_LOG_FORMAT")
            .env_remove("KOROLEV_LOG")
            .env_remove("RUST_LOG")
            .stderr(std::fs::File::create(log).unwrap()),
    )
}

#[test]
fn a_key_korolev_does_not_read_or_a_bad_value_is_named_in_the_error() {
    let data = corpus_store("2020");
    let config = data.path().join("korolev.toml");
    for (text, named) in [
        ("[server]\nbnd = \"127.0.0.1:0\"\n", "server.bnd"),
        ("[server]\nmax_connections = 0\n", "server.max_connections"),
        ("[server]\nbind = \"localhost\"\n", "server.bind"),
        ("[log]\nformat = \"xml\"\n", "log.format"),
        ("colour = \"red\"\n", "colour"),
        (
            "[[sources]]\nurl = \"https://example.org/feed\"\nevry = \"1h\"\n",
            "sources[1].evry",
        ),
    ] {
        std::fs::write(&config, text).unwrap();
        let served = korolev_within(
            data.path(),
            &["serve", "--bind", "127.0.0.1:0"],
            std::time::Duration::from_secs(20),
        );
        assert_eq!(served.status.code(), Some(2), "{text}");
        let said = stderr(&served);
        assert!(said.contains(named), "{text}: {said}");
        assert!(said.contains("korolev.toml"), "{said}");
        let checked = korolev(data.path(), &["check"]);
        assert_eq!(checked.status.code(), Some(1), "{text}");
        assert!(stdout(&checked).contains(named), "{}", stdout(&checked));
    }
}

#[test]
fn the_data_directory_and_the_server_settings_come_from_the_file_and_flags_beat_them() {
    let data = corpus_store("2020");
    let etc = tempfile::tempdir().unwrap();
    let config = etc.path().join("korolev.toml");
    let store = data.path().to_str().unwrap().replace('\\', "\\\\");
    let port = free_port();
    std::fs::write(
        &config,
        format!(
            "data_dir = \"{store}\"\n[server]\nbind = \"127.0.0.1:{port}\"\nfetch = false\n\
             public_url = \"https://news.example.org\"\n"
        ),
    )
    .unwrap();
    // No --data-dir: the file says where the store is.
    let server = spawn_server(
        Command::new(env!("CARGO_BIN_EXE_korolev"))
            .arg("--config")
            .arg(&config)
            .arg("serve")
            .env_remove("KOROLEV_DATA_DIR")
            .env_remove("KOROLEV_BIND")
            .env_remove("KOROLEV_PUBLIC_URL")
            .env_remove("KOROLEV_LOG_FORMAT")
            .stderr(Stdio::null()),
    );
    let addr = server.addr.clone();
    assert_eq!(addr, format!("127.0.0.1:{port}"), "the file's bind");
    let same = start_with(data.path(), &["--no-fetch"]);
    let count = |addr: &str| get(addr, "/v4/articles/?limit=1").json()["count"].clone();
    assert_eq!(count(&addr), count(&same.addr));
    let health = get(&addr, "/health").json();
    // fetch = false: no scheduler.
    assert!(health.get("fetch").is_none(), "{health}");
    let page = get(&addr, "/v4/articles/?limit=1").json();
    assert!(
        page["next"]
            .as_str()
            .unwrap()
            .starts_with("https://news.example.org/"),
        "{page}"
    );
    drop(server);

    // A flag beats the file.
    let log = etc.path().join("log");
    let server = serve_logged(
        data.path(),
        &config,
        &[
            "--public-url",
            "http://other.example.org",
            "--bind",
            "127.0.0.1:0",
        ],
        &log,
    );
    let addr = server.addr.clone();
    assert_ne!(addr, format!("127.0.0.1:{port}"), "--bind beats the file's");
    let page = get(&addr, "/v4/articles/?limit=1").json();
    assert!(
        page["next"]
            .as_str()
            .unwrap()
            .starts_with("http://other.example.org/"),
        "{page}"
    );
    drop(server);
}

/// The value of the sample `name` with the labels `labels`, in Prometheus text `text`.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
    scrape
        .samples
        .iter()
        .find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            _ => f64::NAN,
        })
}

#[test]
fn metrics_are_served_apart_parse_as_prometheus_text_and_move_with_requests() {
    let data = corpus_store("2020");
    let config = data.path().join("korolev.toml");
    std::fs::write(&config, "[server]\nfetch = false\n").unwrap();
    let port = free_port();
    let metrics_at = format!("127.0.0.1:{port}");
    let log = data.path().join("log");
    let server = serve_logged(
        data.path(),
        &config,
        &["--bind", "127.0.0.1:0", "--metrics-bind", &metrics_at],
        &log,
    );
    let addr = server.addr.clone();
    // Not on the public port.
    assert_eq!(get(&addr, "/metrics").status, 404);
    let route = [
        ("route", "/v4/articles/"),
        ("method", "GET"),
        ("status", "200"),
    ];
    let before = get(&metrics_at, "/metrics");
    assert_eq!(before.status, 200, "{}", before.body);
    assert!(
        before.header("content-type").unwrap().contains("text"),
        "{:?}",
        before.headers
    );
    let count = |text: &str| sample(text, "korolev_http_requests_total", &route).unwrap_or(0.0);
    let was = count(&before.body);
    for _ in 0..3 {
        assert_eq!(get(&addr, "/v4/articles/").status, 200);
    }
    let after = get(&metrics_at, "/metrics").body;
    assert_eq!(count(&after), was + 3.0, "{after}");
    // A kept answer is counted under its route too, and latency is observed.
    let observed = sample(
        &after,
        "korolev_http_request_duration_seconds_count",
        &[("route", "/v4/articles/")],
    );
    assert!(observed.is_some_and(|n| n >= 3.0), "{after}");
    // Paths nobody routes are one series.
    let unmatched = [("route", "unmatched"), ("method", "GET"), ("status", "404")];
    let lost = |text: &str| sample(text, "korolev_http_requests_total", &unmatched).unwrap_or(0.0);
    let was = lost(&after);
    get(&addr, "/no/such/page/1");
    get(&addr, "/no/such/page/2");
    let after = get(&metrics_at, "/metrics").body;
    assert_eq!(lost(&after), was + 2.0, "{after}");
    assert!(!after.contains("/no/such"), "{after}");
    let articles = sample(&after, "korolev_store_rows", &[("outcome", "articles")]).unwrap();
    let count = get(&addr, "/v4/articles/?limit=1").json()["count"]
        .as_f64()
        .unwrap();
    assert_eq!(articles, count);
    assert!(sample(&after, "korolev_store_bytes", &[]).unwrap() > 0.0);
    assert!(sample(&after, "korolev_http_open_connections", &[]).is_some());
    drop(server);
}

#[test]
fn each_request_is_one_json_log_line_with_an_id_and_no_secrets() {
    let data = corpus_store("2020");
    let config = data.path().join("korolev.toml");
    std::fs::write(
        &config,
        "[server]\nfetch = false\n[log]\nformat = \"json\"\n",
    )
    .unwrap();
    let log = data.path().join("log");
    let server = serve_logged(data.path(), &config, &["--bind", "127.0.0.1:0"], &log);
    let addr = server.addr.clone();
    let (status, headers, _) = request(
        &addr,
        "GET",
        "/v4/articles/?search=soyuz&token=s3cr3t-value",
        &[
            ("Cookie", "session=cookie-value"),
            ("Authorization", "Bearer b3arer"),
        ],
    );
    assert_eq!(status, 200);
    let id = header(&headers, "x-request-id").unwrap().to_string();
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    for secret in ["s3cr3t-value", "cookie-value", "b3arer"] {
        assert!(!text.contains(secret), "{secret} logged: {text}");
    }
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let line = lines
        .iter()
        .find(|l| l["request_id"] == id.as_str())
        .unwrap_or_else(|| panic!("no line for {id}: {text}"));
    assert_eq!(line["method"], "GET");
    assert_eq!(line["status"], 200);
    assert_eq!(line["route"], "/v4/articles/");
    assert!(
        line["path"]
            .as_str()
            .unwrap()
            .starts_with("/v4/articles/?search=soyuz&token="),
        "{line}"
    );
    assert_eq!(line["level"], "INFO");
}

#[test]
fn health_is_503_when_the_store_cannot_be_read() {
    let data = corpus_store("2020");
    let server = start_with(data.path(), &["--no-fetch"]);
    assert_eq!(get(&server.addr, "/health").status, 200);
    // A table every read of the store's state needs is gone, as in a damaged or foreign file.
    let conn = rusqlite::Connection::open(data.path().join("korolev.sqlite3")).unwrap();
    conn.execute_batch("DROP TABLE news_counts").unwrap();
    drop(conn);
    let failing = get(&server.addr, "/health");
    assert_eq!(failing.status, 503, "{}", failing.body);
    assert_eq!(failing.json()["store"]["ok"], false);
    assert!(
        std::process::Command::new(env!("CARGO_BIN_EXE_korolev"))
            .arg("--data-dir")
            .arg(data.path())
            .arg("check")
            .env_remove("KOROLEV_CONFIG")
            .output()
            .unwrap()
            .status
            .code()
            == Some(1)
    );
}

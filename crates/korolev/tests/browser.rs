//! The demo site in headless Chromium: the home page, an expedition page and an article, on a
//! desktop and a phone screen. Each page must load with no console error (a script, a blocked
//! resource, a CSP violation or a failed request all count), have its landmarks, one heading
//! and labelled controls, get its stylesheet, and fit a phone's width. Screenshots are written
//! under `target/tmp/screenshots/`.
//!
//! Then the audits a visitor's tools would run: axe-core (the npm package, injected over the
//! protocol) on the home, article, expedition, person, launches, archive and 404 pages at
//! desktop and phone sizes must find no violation of serious or critical impact, and
//! Lighthouse (the npm package, on the same Chromium) must score at least 95 in performance,
//! accessibility, best practices and SEO on the home, an article and an expedition page.
//! `KOROLEV_AXE` names axe-core's `axe.min.js` and `KOROLEV_LIGHTHOUSE` the `lighthouse`
//! command; without them the audits say so and are skipped, unless `KOROLEV_REQUIRE_AUDITS=1`
//! (CI sets it and installs both).
//!
//! The newest article leads with an image from another server on 127.0.0.1, which must load
//! on its page and in the home page's list.
//!
//! Chromium is driven over the DevTools protocol. Without a Chromium binary the test says so
//! and passes, unless `KOROLEV_REQUIRE_CHROMIUM=1` (CI sets it), where it fails instead.
//! `KOROLEV_CHROMIUM` names the binary when it is not `chromium` on the PATH.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use serde_json::{json, Value};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{stream::MaybeTlsStream, Message, WebSocket};

/// How long any one step (start, a protocol answer, a page load) may take.
const STEP: Duration = Duration::from_secs(30);

fn chromium_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KOROLEV_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// A headless Chromium with its own empty profile, killed when dropped.
struct Browser {
    child: Child,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// Protocol events read while waiting for answers, oldest first.
    events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn launch(binary: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        // The flags keep Chromium off the network (this machine has none beyond 127.0.0.1) and
        // out of first-run work; --no-sandbox because tests may run as root.
        let child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-quic",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
        // Chromium writes its port and the browser's WebSocket path once it listens.
        let port_file = profile.path().join("DevToolsActivePort");
        let start = Instant::now();
        let endpoint = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break format!("ws://127.0.0.1:{port}{path}");
                }
            }
            assert!(
                start.elapsed() < STEP,
                "Chromium did not start within {STEP:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let (ws, _) = tungstenite::connect(&endpoint).unwrap();
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(STEP)).unwrap();
        }
        Browser {
            child,
            ws,
            next_id: 0,
            events: Vec::new(),
            _profile: profile,
        }
    }

    fn read(&mut self) -> Value {
        loop {
            match self.ws.read() {
                Ok(Message::Text(t)) => return serde_json::from_str(t.as_str()).unwrap(),
                Ok(_) => continue,
                Err(e) => panic!("reading from Chromium: {e}"),
            }
        }
    }

    /// Sends one protocol command (to a page when `session` is given) and returns its result.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).unwrap();
        loop {
            let m = self.read();
            if m["id"] == id {
                if let Some(err) = m.get("error") {
                    panic!("{method}: {err}");
                }
                return m["result"].clone();
            }
            self.events.push(m);
        }
    }

    /// Waits for the page's `method` event, keeping every event read on the way.
    fn wait_for(&mut self, session: &str, method: &str) {
        let seen = |e: &Value| e["method"] == method && e["sessionId"] == session;
        if self.events.iter().any(seen) {
            return;
        }
        let start = Instant::now();
        loop {
            assert!(start.elapsed() < STEP, "no {method} within {STEP:?}");
            let m = self.read();
            let done = seen(&m);
            self.events.push(m);
            if done {
                return;
            }
        }
    }

    /// A new tab, attached, with the events that report errors switched on.
    fn open_tab(&mut self, width: u32, height: u32, mobile: bool) -> String {
        let target = self.call(None, "Target.createTarget", json!({"url": "about:blank"}));
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        let session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            self.call(Some(&session), domain, json!({}));
        }
        self.call(
            Some(&session),
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
        );
        session
    }

    /// Loads `url` in the tab and returns the console errors it caused.
    fn visit(&mut self, session: &str, url: &str) -> Vec<String> {
        self.events.clear();
        let nav = self.call(Some(session), "Page.navigate", json!({"url": url}));
        if let Some(e) = nav.get("errorText") {
            panic!("{url}: {e}");
        }
        self.wait_for(session, "Page.loadEventFired");
        // A last round trip, so that messages logged during the load have arrived.
        self.eval(session, "1");
        self.events
            .iter()
            .filter(|e| e["sessionId"] == session)
            .filter_map(console_error)
            .collect()
    }

    /// Evaluates an expression whose value is a promise and returns what it resolves to.
    fn eval_async(&mut self, session: &str, expression: &str) -> Value {
        let r = self.call(
            Some(session),
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(ex) = r.get("exceptionDetails") {
            panic!("{}: {ex}", expression.chars().take(80).collect::<String>());
        }
        r["result"]["value"].clone()
    }

    fn eval(&mut self, session: &str, expression: &str) -> Value {
        let r = self.call(
            Some(session),
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        if let Some(ex) = r.get("exceptionDetails") {
            panic!("{expression}: {ex}");
        }
        r["result"]["value"].clone()
    }

    fn screenshot(&mut self, session: &str, name: &str) -> PathBuf {
        let shot = self.call(
            Some(session),
            "Page.captureScreenshot",
            json!({"format": "png"}),
        );
        let png = data_encoding::BASE64
            .decode(shot["data"].as_str().unwrap().as_bytes())
            .unwrap();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }
}

/// Serves one 16:9 picture (SVG) at every path of a server on 127.0.0.1 until the test ends;
/// returns its address.
fn serve_picture() -> String {
    const PICTURE: &str =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"675\" \
        viewBox=\"0 0 16 9\"><rect width=\"16\" height=\"9\" fill=\"#0b1d3a\"/>\
        <circle cx=\"11\" cy=\"4\" r=\"2\" fill=\"#c9d6ea\"/></svg>";
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        use std::io::{BufRead, Write};
        for conn in listener.incoming().flatten() {
            conn.set_read_timeout(Some(STEP)).ok();
            let mut reader = std::io::BufReader::new(&conn);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let _ = write!(
                &conn,
                "HTTP/1.1 200 OK\r\nContent-Type: image/svg+xml\r\nContent-Length: {}\r\n\
                 Cache-Control: max-age=3600\r\nConnection: close\r\n\r\n{PICTURE}",
                PICTURE.len()
            );
        }
    });
    addr
}

/// An audit tool named by an environment variable: its path, or None (the audit skipped, said
/// on stderr) — a failure instead where `KOROLEV_REQUIRE_AUDITS=1`.
fn audit_tool(var: &str) -> Option<PathBuf> {
    match std::env::var_os(var).map(PathBuf::from) {
        Some(p) if p.exists() => Some(p),
        found => {
            assert!(
                std::env::var("KOROLEV_REQUIRE_AUDITS").as_deref() != Ok("1"),
                "KOROLEV_REQUIRE_AUDITS=1 but {var} is {found:?}, not an existing file"
            );
            eprintln!("skipped: {var} names no file; set it to run that audit");
            None
        }
    }
}

/// What axe-core finds on the page loaded in `session`: each violation as
/// (rule, impact, how many elements, where the first are).
fn axe_violations(b: &mut Browser, session: &str, axe: &str) -> Vec<(String, String, u64, String)> {
    b.eval(session, axe);
    let found = b.eval_async(
        session,
        "axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(
           r.violations.map(v => [v.id, v.impact || '', v.nodes.length,
             JSON.stringify(v.nodes.slice(0, 3).map(n => n.target))])))",
    );
    serde_json::from_str(found.as_str().unwrap()).unwrap()
}

/// Lighthouse's scores (0–100) of `url` by category, run on `chromium`; its report is kept
/// beside the screenshots.
fn lighthouse(tool: &Path, chromium: &Path, url: &str, name: &str) -> Vec<(String, f64)> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lighthouse");
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join(format!("{name}.json"));
    let mut child = Command::new(tool)
        .arg(url)
        .args([
            "--quiet",
            "--output=json",
            "--only-categories=performance,accessibility,best-practices,seo",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run",
        ])
        .arg(format!("--output-path={}", report.display()))
        .env("CHROME_PATH", chromium)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", tool.display()));
    // Lighthouse is bounded: a run that hangs is killed and fails the test.
    let deadline = Instant::now() + Duration::from_secs(240);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("lighthouse on {url} still running after 240 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "lighthouse on {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lhr: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let mut scores = Vec::new();
    for (id, cat) in lhr["categories"].as_object().unwrap() {
        let score = cat["score"].as_f64().unwrap_or(0.0) * 100.0;
        if score < 95.0 {
            // What cost the points, to say why.
            for r in cat["auditRefs"].as_array().unwrap() {
                let a = &lhr["audits"][r["id"].as_str().unwrap()];
                if r["weight"].as_f64().unwrap_or(0.0) > 0.0
                    && a["score"].as_f64().is_some_and(|s| s < 1.0)
                {
                    eprintln!("lighthouse {name} {id}: {} ({})", a["id"], a["title"]);
                }
            }
        }
        scores.push((id.clone(), score));
    }
    eprintln!(
        "lighthouse {name}: {scores:?} (report {})",
        report.display()
    );
    scores
}

/// The text of an event that reports an error on the page, if it is one.
fn console_error(e: &Value) -> Option<String> {
    let p = &e["params"];
    match e["method"].as_str()? {
        "Runtime.exceptionThrown" => Some(format!("exception: {}", p["exceptionDetails"])),
        "Runtime.consoleAPICalled" if matches!(p["type"].as_str(), Some("error" | "assert")) => {
            Some(format!("console.{}: {}", p["type"], p["args"]))
        }
        "Log.entryAdded" if p["entry"]["level"] == "error" => Some(format!(
            "{} ({}): {}",
            p["entry"]["source"], p["entry"]["url"], p["entry"]["text"]
        )),
        _ => None,
    }
}

/// The width and height a PNG's header declares.
fn png_size(path: &Path) -> (u32, u32) {
    let b = std::fs::read(path).unwrap();
    assert_eq!(
        &b[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        path.display()
    );
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (be(16), be(20))
}

/// What every portal page must have, read from the live document.
const PAGE_CHECKS: &str = r#"JSON.stringify({
  main: document.querySelectorAll('main').length,
  header: document.querySelectorAll('header').length,
  nav: document.querySelectorAll('nav').length,
  footer: document.querySelectorAll('footer').length,
  h1: document.querySelectorAll('h1').length,
  lang: document.documentElement.lang,
  title: document.title,
  text: document.body.innerText.length,
  rules: Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0),
  unlabelled: Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
    .filter(c => c.labels.length === 0 && !c.getAttribute('aria-label')).length,
  no_alt: document.querySelectorAll('img:not([alt])').length,
  scripts: document.scripts.length,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  links: document.querySelectorAll('main a[href]').length,
})"#;

fn check_page(b: &mut Browser, session: &str, base: &str, path: &str, shot: &str) -> Value {
    let errors = b.visit(session, &format!("{base}{path}"));
    assert!(
        errors.is_empty(),
        "{path}: console errors:\n{}",
        errors.join("\n")
    );
    let page: Value = serde_json::from_str(b.eval(session, PAGE_CHECKS).as_str().unwrap()).unwrap();
    for landmark in ["main", "header", "nav", "footer"] {
        assert!(
            page[landmark].as_u64().unwrap() >= 1,
            "{path}: no <{landmark}>: {page}"
        );
    }
    assert_eq!(page["h1"], 1, "{path}: one <h1> expected: {page}");
    assert_eq!(page["lang"], "en", "{path}: {page}");
    assert!(
        page["title"].as_str().unwrap().contains("korolev"),
        "{path}: {page}"
    );
    assert!(
        page["text"].as_u64().unwrap() > 200,
        "{path}: little text: {page}"
    );
    assert!(
        page["rules"].as_u64().unwrap() > 10,
        "{path}: stylesheet missing: {page}"
    );
    assert_eq!(page["unlabelled"], 0, "{path}: unlabelled controls: {page}");
    assert_eq!(page["no_alt"], 0, "{path}: images without alt: {page}");
    assert_eq!(
        page["scripts"], 0,
        "{path}: the portal needs no script: {page}"
    );
    assert!(
        page["links"].as_u64().unwrap() > 0,
        "{path}: no links in main: {page}"
    );
    let png = b.screenshot(session, shot);
    let (w, h) = png_size(&png);
    let want = b.eval(session, "[innerWidth, innerHeight]");
    assert_eq!(json!([w, h]), want, "{}: size", png.display());
    eprintln!("screenshot: {}", png.display());
    page
}

#[test]
fn the_demo_site_renders_in_chromium_without_console_errors() {
    let Some(binary) = chromium_binary() else {
        assert!(
            std::env::var("KOROLEV_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "KOROLEV_REQUIRE_CHROMIUM=1 but no chromium on the PATH (or KOROLEV_CHROMIUM)"
        );
        eprintln!("skipped: no chromium on the PATH; set KOROLEV_CHROMIUM to run this test");
        return;
    };

    let data = tempfile::tempdir().unwrap();
    let demo = korolev(data.path(), &["demo", "--quiet", "--no-serve"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    // One page that would run a script if the portal failed to escape it: the CSP would then
    // block it, which Chromium reports as a console error.
    let extra = tempfile::tempdir().unwrap();
    std::fs::write(extra.path().join("hostile.html"), HOSTILE).unwrap();
    // And the newest article, with a lead image that can be fetched.
    let picture = format!("http://{}/lead.svg", serve_picture());
    let pictured = week_page(
        "A week aboard, pictured",
        &format!(
            "<meta property=\"article:published_time\" content=\"2026-11-30T10:00:00Z\">\
             <meta property=\"og:image\" content=\"{picture}\">"
        ),
    );
    std::fs::write(extra.path().join("pictured.html"), pictured).unwrap();
    let ingest = korolev(data.path(), &["ingest", extra.path().to_str().unwrap()]);
    assert!(ingest.status.success(), "{}", stderr(&ingest));
    let server = start(data.path());
    let base = format!("http://{}", server.addr);

    let hostile = get(&server.addr, "/v4/articles?news_site=Hostile%20Herald");
    let hostile_id = hostile.json()["results"][0]["id"].as_i64().unwrap();
    let newest = get(
        &server.addr,
        "/v4/articles?limit=1&news_site_exclude=Hostile%20Herald",
    );
    let article_id = newest.json()["results"][0]["id"].as_i64().unwrap();

    let mut b = Browser::launch(&binary);

    // The detector itself: a page with a failing script and a missing image must be caught.
    let probe = b.open_tab(800, 600, false);
    let errors = b.visit(
        &probe,
        "data:text/html,<script>console.error('probe')</script><img src='/missing.png' alt=''>",
    );
    assert!(
        errors.iter().any(|e| e.contains("probe")),
        "the console listener missed a console.error: {errors:?}"
    );

    let pages = [
        ("/", "home"),
        ("/expeditions/63", "expedition-63"),
        (&*format!("/articles/{article_id}"), "article"),
        (&*format!("/articles/{hostile_id}"), "article-hostile"),
        ("/podcasts", "podcasts"),
        ("/sources", "sources"),
    ];
    let desktop = b.open_tab(1280, 900, false);
    for (path, name) in pages {
        check_page(&mut b, &desktop, &base, path, &format!("{name}-desktop"));
    }
    let phone = b.open_tab(390, 844, true);
    for (path, name) in pages {
        let page = check_page(&mut b, &phone, &base, path, &format!("{name}-phone"));
        assert!(
            page["overflow"].as_i64().unwrap() <= 0,
            "{path} is wider than a phone's screen: {page}"
        );
    }

    // The lead image is loaded on its article's page and in the home page's list, in boxes
    // sized before it came.
    for (path, selector) in [
        (format!("/articles/{article_id}"), "figure.lead img"),
        ("/".to_string(), "img.thumb"),
    ] {
        b.visit(&desktop, &format!("{base}{path}"));
        let shown = b.eval(
            &desktop,
            &format!(
                "(() => {{ const i = document.querySelector('{selector}');
                   return i ? JSON.stringify({{src: i.src, natural: i.naturalWidth,
                     width: i.getBoundingClientRect().width,
                     height: i.getBoundingClientRect().height}}) : 'none'; }})()"
            ),
        );
        let shown: Value = serde_json::from_str(shown.as_str().unwrap())
            .unwrap_or_else(|_| panic!("{path}: no {selector}"));
        assert_eq!(shown["src"], picture.as_str(), "{path}: {shown}");
        assert!(
            shown["natural"].as_f64().unwrap() > 0.0,
            "{path}: not loaded: {shown}"
        );
        let ratio = shown["width"].as_f64().unwrap() / shown["height"].as_f64().unwrap();
        assert!(
            (ratio - 16.0 / 9.0).abs() < 0.05,
            "{path}: not 16:9: {shown}"
        );
    }

    // The hostile title arrives as text, not as an element.
    b.visit(&desktop, &format!("{base}/articles/{hostile_id}"));
    let h1 = b.eval(&desktop, "document.querySelector('h1').textContent");
    assert!(h1.as_str().unwrap().contains("<script>"), "{h1}");

    // What the home page promises: the mission box links its crew, the ticker its launches and
    // the calendar the days with news.
    b.visit(&desktop, &format!("{base}/"));
    let person = b.eval(
        &desktop,
        "document.querySelector('a[href^=\"/people/\"]').getAttribute('href')",
    );
    let archive = b.eval(
        &desktop,
        "document.querySelector('a[href^=\"/news/\"]').getAttribute('href')",
    );
    let home = b.eval(
        &desktop,
        "JSON.stringify({
           crew: document.querySelectorAll('a[href^=\"/people/\"]').length,
           launches: document.querySelectorAll('a[href^=\"/launches/\"]').length,
           days: document.querySelectorAll('a[href^=\"/news/\"]').length,
         })",
    );
    let home: Value = serde_json::from_str(home.as_str().unwrap()).unwrap();
    for key in ["crew", "launches", "days"] {
        assert!(
            home[key].as_u64().unwrap() > 0,
            "home page has no {key} links: {home}"
        );
    }

    // The audits: axe-core at both sizes, then Lighthouse.
    let audited = [
        "/".to_string(),
        format!("/articles/{article_id}"),
        "/expeditions/63".to_string(),
        person.as_str().unwrap().to_string(),
        "/launches".to_string(),
        archive.as_str().unwrap().to_string(),
        "/no/such/page".to_string(),
    ];
    if let Some(axe) = audit_tool("KOROLEV_AXE") {
        let axe = std::fs::read_to_string(axe).unwrap();
        let mut serious = Vec::new();
        for (width, height, mobile) in [(1280, 900, false), (390, 844, true)] {
            let tab = b.open_tab(width, height, mobile);
            for path in &audited {
                // The console errors of a 404 are the point of that page; they were checked
                // above for the others.
                b.visit(&tab, &format!("{base}{path}"));
                for (rule, impact, nodes, targets) in axe_violations(&mut b, &tab, &axe) {
                    eprintln!("axe {width}px {path}: {rule} ({impact}) on {nodes}: {targets}");
                    if matches!(impact.as_str(), "serious" | "critical") {
                        serious.push(format!("{width}px {path}: {rule} ({impact}) {targets}"));
                    }
                }
            }
        }
        assert!(
            serious.is_empty(),
            "axe-core: violations of serious or critical impact:\n{}",
            serious.join("\n")
        );
        eprintln!(
            "axe-core: {} pages at two sizes, no serious or critical violation",
            audited.len()
        );
    }
    if let Some(tool) = audit_tool("KOROLEV_LIGHTHOUSE") {
        let mut low = Vec::new();
        for (path, name) in [
            ("/".to_string(), "home"),
            (format!("/articles/{article_id}"), "article"),
            ("/expeditions/63".to_string(), "expedition"),
        ] {
            for (category, score) in lighthouse(&tool, &binary, &format!("{base}{path}"), name) {
                if score < 95.0 {
                    low.push(format!("{path}: {category} {score}"));
                }
            }
        }
        assert!(low.is_empty(), "Lighthouse scores under 95: {low:?}");
    }
}

//! `korolev sources`: the sites korolev follows, kept in the configuration file
//! (`korolev.toml`: `--config`, else `KOROLEV_CONFIG`, else in the data directory) as
//! `[[sources]]` tables. The file is edited in place: comments and other settings stay.

use anyhow::{anyhow, bail, Context, Result};
use korolev_facts::when::unix_now;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use toml_edit::{value, ArrayOfTables, DocumentMut, Item, Table};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Follow a site: its feed, its sitemap or one page.
    Add {
        /// The http(s) address of the feed, sitemap or page.
        url: String,
        /// A name to show and to refer to it by (default: the address's host).
        #[arg(long)]
        name: Option<String>,
        /// What the address serves (default: a sitemap when its path says so, else a feed).
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// How often to look at it, e.g. 30m, 2h, 1d.
        #[arg(long, default_value = "30m", value_parser = interval)]
        every: Duration,
    },
    /// List the sources followed, enabled or not.
    List,
    /// Stop following a source (by its address or its name).
    Remove { which: String },
    /// Follow a disabled source again.
    Enable { which: String },
    /// Keep a source but do not fetch it.
    Disable { which: String },
    /// Add the feeds of an OPML file (as feed readers export them); those followed already
    /// are left as they are.
    Import { file: PathBuf },
    /// Print the sources as OPML 2.0.
    Export,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Feed,
    Sitemap,
    Page,
}

impl Kind {
    /// The fetcher's name for it.
    pub fn fetched_as(self) -> korolev_fetch::Kind {
        match self {
            Kind::Feed => korolev_fetch::Kind::Feed,
            Kind::Sitemap => korolev_fetch::Kind::Sitemap,
            Kind::Page => korolev_fetch::Kind::Page,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Feed => "feed",
            Kind::Sitemap => "sitemap",
            Kind::Page => "page",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        [Kind::Feed, Kind::Sitemap, Kind::Page]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// What a link of an OPML file (not a feed) most likely is.
    fn guess_link(url: &url::Url) -> Kind {
        match Kind::guess(url) {
            Kind::Sitemap => Kind::Sitemap,
            _ => Kind::Page,
        }
    }

    /// What an address most likely serves.
    fn guess(url: &url::Url) -> Kind {
        if url.path().to_ascii_lowercase().contains("sitemap") {
            Kind::Sitemap
        } else {
            Kind::Feed
        }
    }
}

/// The shortest and longest intervals a source may be looked at (10 s is for sources of
/// one's own; a site's feed changes in minutes at the fastest).
const FASTEST: Duration = Duration::from_secs(10);
const SLOWEST: Duration = Duration::from_secs(30 * 24 * 3600);

fn interval(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s.trim())
        .map_err(|e| format!("{s:?} is not an interval like 30m, 2h or 1d: {e}"))?;
    if !(FASTEST..=SLOWEST).contains(&d) {
        return Err(format!("{s:?}: give an interval from 10s to 30d"));
    }
    Ok(d)
}

/// A source as the configuration file keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub url: String,
    pub name: String,
    pub kind: Kind,
    pub every: Duration,
    pub enabled: bool,
}

impl Source {
    /// The source as the portal's `/sources` lists it.
    pub fn to_entry(&self) -> korolev_web::SourceEntry {
        korolev_web::SourceEntry {
            name: self.name.clone(),
            url: self.url.clone(),
            kind: self.kind.as_str().to_string(),
            every: self.every,
            enabled: self.enabled,
        }
    }

    /// The source as the fetcher takes it.
    pub fn to_fetch(&self) -> korolev_fetch::Source {
        korolev_fetch::Source {
            url: self.url.clone(),
            kind: self.kind.fetched_as(),
            every: self.every,
        }
    }
}

/// An http(s) address, as `url` parses it, or an error naming it.
fn web_address(s: &str) -> Result<url::Url> {
    let u = url::Url::parse(s.trim()).with_context(|| format!("{s:?} is not an address"))?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        bail!("{s:?}: give an http or https address");
    }
    Ok(u)
}

/// The configuration a data directory starts with: the sources korolev ships, all disabled.
const SHIPPED: &str = include_str!("shipped_sources.toml");

/// The configuration file, read (or, where there is none yet, the shipped one).
pub struct Config {
    pub(crate) path: PathBuf,
    pub(crate) doc: DocumentMut,
}

impl Config {
    pub fn read(path: &Path) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => SHIPPED.to_string(),
            Err(e) => return Err(anyhow!("{}: {e}", path.display())),
        };
        let doc: DocumentMut = text
            .parse()
            .with_context(|| format!("{} is not valid TOML", path.display()))?;
        let config = Config {
            path: path.to_path_buf(),
            doc,
        };
        // Every key must be one korolev reads, and every source must read; a bad one is
        // named with its key.
        config.check_keys()?;
        config.sources()?;
        Ok(config)
    }

    fn tables(&self) -> Option<&ArrayOfTables> {
        self.doc.get("sources").and_then(Item::as_array_of_tables)
    }

    pub fn sources(&self) -> Result<Vec<Source>> {
        if self.doc.get("sources").is_some() && self.tables().is_none() {
            bail!(
                "{}: sources must be [[sources]] tables",
                self.path.display()
            );
        }
        let mut out = Vec::new();
        for (i, t) in self.tables().into_iter().flatten().enumerate() {
            let at = |key: &str| format!("{}: sources[{}].{key}", self.path.display(), i + 1);
            let text = |key: &str| -> Result<Option<&str>> {
                match t.get(key) {
                    None => Ok(None),
                    Some(v) => v
                        .as_str()
                        .map(Some)
                        .ok_or_else(|| anyhow!("{}: give it as a string", at(key))),
                }
            };
            let url = text("url")?.ok_or_else(|| anyhow!("{}: missing", at("url")))?;
            let parsed = web_address(url).with_context(|| at("url"))?;
            let kind = match text("kind")? {
                None => Kind::guess(&parsed),
                Some(k) => Kind::parse(k)
                    .ok_or_else(|| anyhow!("{}: {k:?} is not feed, sitemap or page", at("kind")))?,
            };
            let every = match text("every")? {
                None => Duration::from_secs(30 * 60),
                Some(e) => interval(e).map_err(|e| anyhow!("{}: {e}", at("every")))?,
            };
            let enabled = match t.get("enabled") {
                None => true,
                Some(v) => v
                    .as_bool()
                    .ok_or_else(|| anyhow!("{}: true or false", at("enabled")))?,
            };
            out.push(Source {
                url: parsed.to_string(),
                name: text("name")?
                    .map(str::to_string)
                    .unwrap_or_else(|| parsed.host_str().unwrap_or("").to_string()),
                kind,
                every,
                enabled,
            });
        }
        Ok(out)
    }

    /// The `[fetch]` table: how korolev fetches (each key optional).
    pub fn fetch_settings(&self) -> Result<korolev_fetch::Settings> {
        let t = self.keys("fetch")?;
        let mut s = korolev_fetch::Settings::new(t.text("contact")?.as_deref());
        if let Some(d) = t.duration("delay", Duration::ZERO, Duration::from_secs(600))? {
            s.delay = d;
        }
        if let Some(d) = t.duration("timeout", Duration::from_secs(1), Duration::from_secs(600))? {
            s.timeout = d;
        }
        if let Some(n) = t.number("pages_per_source", 1, 100_000)? {
            s.pages_per_source = n as usize;
        }
        let most = korolev_extract::MAX_DOCUMENT_BYTES as i64;
        if let Some(n) = t.number("max_page_bytes", 1, most)? {
            s.max_page_bytes = n as u64;
        }
        if let Some(keep) = t.flag("keep_images")? {
            s.keep_images = keep;
        }
        if let Some(n) = t.number("max_image_bytes", 1, 100 * 1024 * 1024)? {
            s.max_image_bytes = n as u64;
        }
        Ok(s)
    }

    /// Adds a source; false when its address is among `known` (the addresses followed),
    /// to which it is then added.
    fn add(&mut self, s: &Source, known: &mut std::collections::HashSet<String>) -> bool {
        if !known.insert(s.url.clone()) {
            return false;
        }
        let mut t = Table::new();
        t["url"] = value(&s.url);
        t["name"] = value(&s.name);
        t["kind"] = value(s.kind.as_str());
        t["every"] = value(humantime::format_duration(s.every).to_string());
        t["enabled"] = value(s.enabled);
        if self.tables().is_none() {
            self.doc["sources"] = Item::ArrayOfTables(ArrayOfTables::new());
        }
        if let Some(a) = self.doc["sources"].as_array_of_tables_mut() {
            a.push(t);
        }
        true
    }

    /// The addresses followed.
    fn known(&self) -> Result<std::collections::HashSet<String>> {
        Ok(self.sources()?.into_iter().map(|s| s.url).collect())
    }

    /// The index of the source `which` names (its address or its name).
    fn find(&self, which: &str) -> Result<usize> {
        let sources = self.sources()?;
        let found: Vec<usize> = sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.url == which || s.name.eq_ignore_ascii_case(which))
            .map(|(i, _)| i)
            .collect();
        match found.as_slice() {
            [i] => Ok(*i),
            [] => bail!("no source {which:?} (korolev sources list shows them)"),
            _ => bail!("{which:?} names several sources: give its address"),
        }
    }

    fn save(&self) -> Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        // Written beside and renamed over: a crash never leaves half a file.
        let tmp = self
            .path
            .with_extension(format!("toml.{}.tmp", std::process::id()));
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(self.doc.to_string().as_bytes())?;
            f.sync_all()
        };
        write().with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &self.path)
            .with_context(|| format!("writing {}", self.path.display()))?;
        Ok(())
    }
}

pub fn run(args: Args, place: &crate::cmd::Place) -> Result<ExitCode> {
    let data_dir = place.data.as_path();
    let mut config = place.read_config()?;
    match args.action {
        Action::Add {
            url,
            name,
            kind,
            every,
        } => {
            let parsed = web_address(&url)?;
            let source = Source {
                url: parsed.to_string(),
                name: name.unwrap_or_else(|| parsed.host_str().unwrap_or("").to_string()),
                kind: kind.unwrap_or_else(|| Kind::guess(&parsed)),
                every,
                enabled: true,
            };
            let mut known = config.known()?;
            if !config.add(&source, &mut known) {
                bail!("{} is followed already", source.url);
            }
            config.save()?;
            eprintln!(
                "korolev: following {} ({}, every {}) — in {}",
                source.url,
                source.kind.as_str(),
                humantime::format_duration(every),
                place.config.display()
            );
        }
        Action::List => {
            let sources = config.sources()?;
            let statuses = fetch_statuses(data_dir)?;
            if sources.is_empty() {
                println!("No sources yet: korolev sources add URL follows one.");
            } else {
                println!("{:<8} {:<8} {:<6} {:<24} url", "", "kind", "every", "name");
                for s in &sources {
                    println!(
                        "{:<8} {:<8} {:<6} {:<24} {}",
                        if s.enabled { "enabled" } else { "disabled" },
                        s.kind.as_str(),
                        humantime::format_duration(s.every).to_string(),
                        crate::input::shown(&s.name),
                        crate::input::shown(&s.url)
                    );
                    if let Some(st) = statuses.get(&s.url) {
                        println!("{:<8} {}", "", crate::input::shown(&st.health(unix_now())));
                    }
                }
                if sources.iter().all(|s| !s.enabled) {
                    println!("None is enabled: korolev sources enable NAME follows one.");
                }
            }
        }
        Action::Remove { which } => {
            let i = config.find(&which)?;
            if let Some(a) = config.doc["sources"].as_array_of_tables_mut() {
                a.remove(i);
            }
            config.save()?;
        }
        Action::Enable { which } => toggle(&mut config, &which, true)?,
        Action::Disable { which } => toggle(&mut config, &which, false)?,
        Action::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let (feeds, unreadable) =
                opml_feeds(&text).with_context(|| format!("reading {}", file.display()))?;
            let (mut added, mut known, mut bad) = (0, 0, unreadable);
            let mut followed = config.known()?;
            for (url, name, link) in feeds {
                let Ok(parsed) = web_address(&url) else {
                    eprintln!(
                        "korolev: {}: skipped {url:?}: not an http(s) address",
                        file.display()
                    );
                    bad += 1;
                    continue;
                };
                let source = Source {
                    url: parsed.to_string(),
                    name: name.unwrap_or_else(|| parsed.host_str().unwrap_or("").to_string()),
                    kind: if link {
                        Kind::guess_link(&parsed)
                    } else {
                        Kind::Feed
                    },
                    every: Duration::from_secs(30 * 60),
                    enabled: true,
                };
                if config.add(&source, &mut followed) {
                    added += 1;
                } else {
                    known += 1;
                }
            }
            config.save()?;
            eprintln!("korolev: {added} added, {known} followed already, {bad} skipped");
            if bad > 0 {
                return Ok(ExitCode::from(1));
            }
        }
        Action::Export => print!("{}", opml(&config.sources()?)),
    }
    Ok(ExitCode::SUCCESS)
}

/// How each source has fared, by address, from the store (none where there is no store yet:
/// listing sources never makes one).
fn fetch_statuses(
    data_dir: &Path,
) -> Result<std::collections::HashMap<String, korolev_store::SourceStatus>> {
    if !data_dir.join(korolev_store::DB_FILE).is_file() {
        return Ok(Default::default());
    }
    let store = korolev_store::Store::open(data_dir)
        .with_context(|| format!("opening the store in {}", data_dir.display()))?;
    Ok(store
        .source_statuses()?
        .into_iter()
        .map(|s| (s.url.clone(), s))
        .collect())
}

/// Enables or disables the source `which` names.
fn toggle(config: &mut Config, which: &str, on: bool) -> Result<()> {
    let i = config.find(which)?;
    if let Some(t) = config.doc["sources"]
        .as_array_of_tables_mut()
        .and_then(|a| a.get_mut(i))
    {
        t["enabled"] = value(on);
    }
    config.save()
}

/// What an OPML file lists: each `outline` with an `xmlUrl` (a feed) or, as `korolev sources
/// export` writes sitemaps and pages, a `url` (a link), with its title; and how many outlines
/// could not be read.
type Outlines = (Vec<(String, Option<String>, bool)>, usize);

fn opml_feeds(text: &str) -> Result<Outlines> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out = Vec::new();
    let mut unreadable = 0;
    let mut saw_opml = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name();
                saw_opml |= name.as_ref().eq_ignore_ascii_case(b"opml");
                if !name.as_ref().eq_ignore_ascii_case(b"outline") {
                    continue;
                }
                let (mut feed, mut link, mut title, mut text_attr) = (None, None, None, None);
                let mut readable = true;
                for a in e.attributes() {
                    let Ok(a) = a else {
                        readable = false;
                        continue;
                    };
                    let Ok(v) = a.decoded_and_normalized_value(
                        quick_xml::XmlVersion::default(),
                        reader.decoder(),
                    ) else {
                        readable = false;
                        continue;
                    };
                    let v = v.trim().to_string();
                    match a.key.local_name().as_ref() {
                        b"xmlUrl" => feed = Some(v),
                        b"url" => link = Some(v),
                        b"title" => title = Some(v),
                        b"text" => text_attr = Some(v),
                        _ => {}
                    }
                }
                if !readable {
                    unreadable += 1;
                    continue;
                }
                let name = title.or(text_attr).filter(|t| !t.is_empty());
                match (
                    feed.filter(|u| !u.is_empty()),
                    link.filter(|u| !u.is_empty()),
                ) {
                    (Some(url), _) => out.push((url, name, false)),
                    (None, Some(url)) => out.push((url, name, true)),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_opml {
        bail!("not an OPML file (no <opml> element)");
    }
    Ok((out, unreadable))
}

/// Text as XML 1.0 may hold it: control characters other than tab, line feed and carriage
/// return become spaces.
fn xml_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The sources as an OPML 2.0 document: feeds as `rss` outlines, sitemaps and pages as links.
fn opml(sources: &[Source]) -> String {
    use quick_xml::escape::escape;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head><title>korolev sources</title></head>\n  <body>\n",
    );
    for s in sources {
        let (kind, attr) = match s.kind {
            Kind::Feed => ("rss", "xmlUrl"),
            Kind::Sitemap | Kind::Page => ("link", "url"),
        };
        out.push_str(&format!(
            "    <outline type=\"{kind}\" text=\"{name}\" title=\"{name}\" {attr}=\"{url}\"/>\n",
            name = escape(xml_text(&s.name).as_str()),
            url = escape(xml_text(&s.url).as_str()),
        ));
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

//! The rest of `korolev.toml` beside its sources: where the store is (`data_dir`), how the
//! server runs (`[server]`) and how it logs (`[log]`). Every key is known here, with its
//! type and bounds; a key korolev does not know, or a value it cannot take, is an error that
//! names the file and the key. docs/configuration.md lists them all with their defaults.
//! A flag or an environment variable given beats the file; the file beats the default.

use crate::cmd::sources::Config;
use anyhow::{anyhow, bail, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use toml_edit::{Item, TableLike};

/// Every table and key korolev reads, by table ("" for the top level, "sources" for each
/// `[[sources]]` table).
const KNOWN: [(&str, &[&str]); 5] = [
    ("", &["data_dir", "server", "fetch", "log", "sources"]),
    (
        "server",
        &[
            "bind",
            "public_url",
            "max_connections",
            "header_timeout",
            "rate_limit",
            "answer_cache",
            "fetch",
            "metrics_bind",
            "images",
        ],
    ),
    (
        "fetch",
        &[
            "contact",
            "delay",
            "timeout",
            "pages_per_source",
            "max_page_bytes",
            "keep_images",
            "max_image_bytes",
        ],
    ),
    ("log", &["level", "format"]),
    ("sources", &["url", "name", "kind", "every", "enabled"]),
];

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One line of text per event.
    Text,
    /// One JSON object per line.
    Json,
}

/// `[server]`: what `korolev serve` takes from the file where no flag says otherwise.
#[derive(Debug, Default, Clone)]
pub struct Server {
    pub bind: Option<SocketAddr>,
    pub public_url: Option<String>,
    pub max_connections: Option<usize>,
    pub header_timeout: Option<u64>,
    pub rate_limit: Option<f64>,
    pub answer_cache: Option<bool>,
    pub fetch: Option<bool>,
    pub metrics_bind: Option<SocketAddr>,
    pub images: Option<korolev_web::Images>,
}

/// `[log]`.
#[derive(Debug, Default, Clone)]
pub struct Log {
    pub level: Option<String>,
    pub format: Option<LogFormat>,
}

/// The keys of one table, each named `file: table.key` when it is wrong.
pub(crate) struct Keys<'a> {
    config: &'a Config,
    table: &'a str,
    items: Option<&'a dyn TableLike>,
}

impl<'a> Keys<'a> {
    fn at(&self, key: &str) -> String {
        self.config.key_name(&format!("{}.{key}", self.table))
    }

    fn get(&self, key: &str) -> Option<&'a Item> {
        self.items.and_then(|t| t.get(key))
    }

    pub(crate) fn text(&self, key: &str) -> Result<Option<String>> {
        self.get(key)
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| anyhow!("{}: give it as a string", self.at(key)))
            })
            .transpose()
    }

    pub(crate) fn flag(&self, key: &str) -> Result<Option<bool>> {
        self.get(key)
            .map(|v| {
                v.as_bool()
                    .ok_or_else(|| anyhow!("{}: give true or false", self.at(key)))
            })
            .transpose()
    }

    pub(crate) fn number(&self, key: &str, least: i64, most: i64) -> Result<Option<i64>> {
        self.get(key)
            .map(|v| {
                v.as_integer()
                    .filter(|n| (least..=most).contains(n))
                    .ok_or_else(|| {
                        anyhow!(
                            "{}: give a whole number from {least} to {most}",
                            self.at(key)
                        )
                    })
            })
            .transpose()
    }

    pub(crate) fn address(&self, key: &str) -> Result<Option<SocketAddr>> {
        self.text(key)?
            .map(|t| {
                t.trim().parse().map_err(|_| {
                    anyhow!(
                        "{}: {t:?} is not an address and port like 127.0.0.1:8080",
                        self.at(key)
                    )
                })
            })
            .transpose()
    }
}

impl Keys<'_> {
    /// A duration like `1s` or `500ms`, from `fastest` to `slowest`.
    pub(crate) fn duration(
        &self,
        key: &str,
        fastest: std::time::Duration,
        slowest: std::time::Duration,
    ) -> Result<Option<std::time::Duration>> {
        let Some(t) = self.text(key)? else {
            return Ok(None);
        };
        let d = humantime::parse_duration(t.trim()).map_err(|e| {
            anyhow!(
                "{}: {t:?} is not a duration like 1s or 500ms: {e}",
                self.at(key)
            )
        })?;
        if !(fastest..=slowest).contains(&d) {
            bail!(
                "{}: give {} to {}",
                self.at(key),
                humantime::format_duration(fastest),
                humantime::format_duration(slowest)
            );
        }
        Ok(Some(d))
    }
}

impl Config {
    /// The keys of the table `name`, which may be absent but must be a table.
    pub(crate) fn keys(&self, name: &'static str) -> Result<Keys<'_>> {
        let items = match self.doc.get(name) {
            None => None,
            Some(item) => Some(
                item.as_table_like()
                    .ok_or_else(|| anyhow!("{}: give [{name}] as a table", self.key_name(name)))?,
            ),
        };
        Ok(Keys {
            config: self,
            table: name,
            items,
        })
    }

    /// `file: key`, as errors name a key.
    pub(crate) fn key_name(&self, key: &str) -> String {
        format!("{}: {key}", self.path.display())
    }

    /// Refuses any key korolev does not read: a misspelt one would else be ignored in silence.
    pub(crate) fn check_keys(&self) -> Result<()> {
        let known = |table: &str| {
            KNOWN
                .iter()
                .find(|(t, _)| *t == table)
                .map_or(&[][..], |(_, k)| *k)
        };
        let unknown = |key: &str, table: &str, shown: &str| -> Result<()> {
            if known(table).contains(&key) {
                return Ok(());
            }
            bail!(
                "{}: unknown key (korolev reads {})",
                self.key_name(shown),
                known(table).join(", ")
            )
        };
        for (key, item) in self.doc.iter() {
            unknown(key, "", key)?;
            if key == "sources" {
                for (i, t) in item.as_array_of_tables().into_iter().flatten().enumerate() {
                    for (k, _) in t.iter() {
                        unknown(k, "sources", &format!("sources[{}].{k}", i + 1))?;
                    }
                }
            } else if let Some(t) = item.as_table_like() {
                for (k, _) in t.iter() {
                    unknown(k, key, &format!("{key}.{k}"))?;
                }
            }
        }
        Ok(())
    }

    /// `data_dir`: where the store is, relative to the file's directory when not absolute.
    pub fn data_dir(&self) -> Result<Option<PathBuf>> {
        let Some(item) = self.doc.get("data_dir") else {
            return Ok(None);
        };
        let dir = item
            .as_str()
            .filter(|d| !d.trim().is_empty())
            .ok_or_else(|| {
                anyhow!(
                    "{}: give a directory as a string",
                    self.key_name("data_dir")
                )
            })?;
        let dir = PathBuf::from(dir);
        Ok(Some(if dir.is_absolute() {
            dir
        } else {
            self.path.parent().map_or(dir.clone(), |p| p.join(&dir))
        }))
    }

    /// `[server]`, every key checked.
    pub fn server(&self) -> Result<Server> {
        let t = self.keys("server")?;
        let public_url = t.text("public_url")?;
        if let Some(url) = public_url.as_deref() {
            if korolev_web::web_url(url).is_none() {
                bail!(
                    "{}: {url:?} is not an http or https URL",
                    t.at("public_url")
                );
            }
        }
        let rate_limit = match t.get("rate_limit") {
            None => None,
            Some(v) => Some(
                v.as_float()
                    .or_else(|| v.as_integer().map(|n| n as f64))
                    .filter(|r| r.is_finite() && *r > 0.0)
                    .ok_or_else(|| {
                        anyhow!(
                            "{}: give requests per second, more than 0",
                            t.at("rate_limit")
                        )
                    })?,
            ),
        };
        let images = match t.text("images")? {
            None => None,
            Some(v) => Some(v.parse().map_err(|e| anyhow!("{}: {e}", t.at("images")))?),
        };
        Ok(Server {
            images,
            bind: t.address("bind")?,
            public_url,
            max_connections: t
                .number("max_connections", 1, 1_000_000)?
                .map(|n| n as usize),
            header_timeout: t.number("header_timeout", 1, 3600)?.map(|n| n as u64),
            rate_limit,
            answer_cache: t.flag("answer_cache")?,
            fetch: t.flag("fetch")?,
            metrics_bind: t.address("metrics_bind")?,
        })
    }

    /// `[log]`, every key checked.
    pub fn log(&self) -> Result<Log> {
        let t = self.keys("log")?;
        let format = match t.text("format")?.as_deref() {
            None => None,
            Some("text") => Some(LogFormat::Text),
            Some("json") => Some(LogFormat::Json),
            Some(other) => bail!("{}: {other:?} is not text or json", t.at("format")),
        };
        let level = t.text("level")?;
        if let Some(l) = level.as_deref() {
            crate::logging::filter(l).map_err(|e| anyhow!("{}: {e}", t.at("level")))?;
        }
        Ok(Log { level, format })
    }

    /// Everything the file says, checked: what `korolev check` and a starting server run.
    pub fn check_all(&self) -> Result<()> {
        self.check_keys()?;
        self.data_dir()?;
        self.server()?;
        self.log()?;
        self.fetch_settings()?;
        self.sources()?;
        Ok(())
    }
}

//! Helpers shared by the CLI tests: running the real `korolev` binary and finding ../shared.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `../shared/seeds` beside the repository (tests read it at run time; it is not copied in).
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds")
}

pub fn korolev(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_korolev"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KOROLEV_DATA_DIR")
        .output()
        .unwrap()
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

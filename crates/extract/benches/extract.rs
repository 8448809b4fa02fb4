//! Side-by-side main-content extraction benchmark: korolev and dom_smoothie over the same
//! pages in one run, scored as `tools/score_extraction.py` scores them.
//!
//! ```text
//! cargo bench -p korolev-extract --bench extract -- [DIR] [--rounds N] [--only korolev]
//!     [--per-doc FILE.tsv] [--predictions DIR]
//! ```
//! DIR holds `ground-truth.json` and `html/NAME.html.gz` (default: the shared development
//! set beside the repository). Each tool runs over all pages `--rounds` times on one thread;
//! the fastest round is reported.

#![allow(clippy::unwrap_used)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use korolev_extract::eval::{bow_prf, report, Run, Sample};
use korolev_extract::{extract, Input};

fn load(dir: &Path) -> Result<Vec<Sample>, String> {
    let gt_path = dir.join("ground-truth.json");
    let gt =
        std::fs::read_to_string(&gt_path).map_err(|e| format!("{}: {e}", gt_path.display()))?;
    let gt: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&gt).map_err(|e| format!("{}: {e}", gt_path.display()))?;
    let mut samples = Vec::new();
    for (name, rec) in gt {
        let path = dir.join("html").join(format!("{name}.html.gz"));
        let file = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut html = Vec::new();
        flate2::read::MultiGzDecoder::new(file)
            .read_to_end(&mut html)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let gold = rec["articleBody"].as_str().unwrap_or("").to_string();
        let group = korolev_extract::detect_lang(&gold).unwrap_or_else(|| "other".into());
        let title = rec["title"].as_str().map(str::to_string);
        samples.push(Sample {
            name,
            html,
            gold,
            group,
            title,
        });
    }
    Ok(samples)
}

fn korolev(html: &[u8]) -> String {
    let input = Input {
        bytes: html,
        name: "page.html",
        content_type: None,
        url: None,
        published: None,
    };
    extract(&input)
        .map(|e| e.article.body())
        .unwrap_or_default()
}

fn dom_smoothie(html: &[u8]) -> String {
    let text = String::from_utf8_lossy(html);
    dom_smoothie::Readability::new(text.as_ref(), None, None)
        .and_then(|mut r| r.parse())
        .map(|a| a.text_content.to_string())
        .unwrap_or_default()
}

fn measure(
    tool: &str,
    samples: &[Sample],
    rounds: usize,
    f: fn(&[u8]) -> String,
) -> (Run, Vec<String>) {
    let mut best = f64::MAX;
    let mut outputs = Vec::new();
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        outputs = samples.iter().map(|s| f(&s.html)).collect();
        best = best.min(start.elapsed().as_secs_f64());
    }
    let scores = samples
        .iter()
        .zip(&outputs)
        .map(|(s, o)| bow_prf(o, &s.gold))
        .collect();
    (
        Run {
            tool: tool.to_string(),
            scores,
            seconds: best,
        },
        outputs,
    )
}

fn main() {
    let mut dir = PathBuf::from("../../../shared/data/article-extraction");
    let mut rounds = 3;
    let mut only: Option<String> = None;
    let mut per_doc: Option<PathBuf> = None;
    let mut predictions: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => rounds = args.next().and_then(|r| r.parse().ok()).unwrap_or(3),
            "--only" => only = args.next(),
            "--per-doc" => per_doc = args.next().map(PathBuf::from),
            "--predictions" => predictions = args.next().map(PathBuf::from),
            "--bench" => {}
            other if other.starts_with("--") => {}
            other => dir = PathBuf::from(other),
        }
    }
    let samples = match load(&dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("extract bench: cannot load the benchmark: {e}");
            std::process::exit(2);
        }
    };
    type Tool = (&'static str, fn(&[u8]) -> String);
    let tools: [Tool; 2] = [("korolev", korolev), ("dom_smoothie", dom_smoothie)];
    let mut runs = Vec::new();
    for (name, f) in tools {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let (run, outputs) = measure(name, &samples, rounds, f);
        if name == "korolev" {
            if let Some(path) = &per_doc {
                let mut tsv = String::from("name\tf1\tprecision\trecall\tgroup\n");
                for (s, p) in samples.iter().zip(&run.scores) {
                    tsv.push_str(&format!(
                        "{}\t{:.4}\t{:.4}\t{:.4}\t{}\n",
                        s.name, p.f1, p.precision, p.recall, s.group
                    ));
                }
                std::fs::write(path, tsv).unwrap();
            }
            if let Some(out) = &predictions {
                std::fs::create_dir_all(out).unwrap();
                for (s, o) in samples.iter().zip(&outputs) {
                    std::fs::write(out.join(format!("{}.txt", s.name)), o).unwrap();
                }
            }
        }
        runs.push(run);
    }
    print!("{}", report(&samples, &runs));
}

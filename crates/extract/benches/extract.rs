//! Side-by-side main-content extraction benchmark: korolev and dom_smoothie over the same
//! pages in one run, scored as `tools/score_extraction.py` scores them.
//!
//! ```text
//! cargo bench -p korolev-extract --bench extract -- [DIR…] [--rounds N] [--only korolev]
//!     [--per-doc FILE.tsv] [--predictions DIR]
//! ```
//! Each DIR holds `ground-truth.json` and `html/NAME.html.gz`; without one, every development
//! set beside the repository is run (`article-extraction`, then each of `extraction-more`) and
//! a table of all of them follows: F1 per set and tool, the mean over the sets after the first,
//! pages/s over all pages and the ratio. Each tool runs over a set's pages `--rounds` times on
//! one thread; the fastest round is reported. Title exact match is printed where a set labels
//! headlines. `--per-doc` and `--predictions` write korolev's figures for a single DIR (or
//! those of the tool `--only` names).

#![allow(clippy::unwrap_used)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use korolev_extract::eval::{bow_prf, report, title_score, Run, Sample};
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

/// What a tool gives for a page: its body text and its headline.
type Output = (String, Option<String>);

fn korolev(html: &[u8]) -> Output {
    let input = Input {
        bytes: html,
        name: "page.html",
        content_type: None,
        url: None,
        published: None,
    };
    extract(&input)
        .map(|e| (e.article.body(), e.article.title))
        .unwrap_or_default()
}

/// Whether a page's gold keeps its readers' comments: the page marks a comment region (an
/// element whose class or id says "comment") with at least 50 words, most of which the gold
/// holds. Dragnet's gold keeps them on some pages, which an extractor that leaves comments out
/// of the article (as korolev does) cannot match; its figures are shown with and without them.
fn gold_holds_comments(html: &[u8], gold: &str) -> bool {
    use korolev_extract::dom::{parse, Data};
    let text = String::from_utf8_lossy(html);
    let dom = parse(&text);
    let mut inside = vec![false; dom.nodes.len()];
    let mut words: Vec<String> = Vec::new();
    for id in 1..dom.nodes.len() {
        let parent = dom.nodes[id].parent as usize;
        let marked = ["class", "id"].iter().any(|a| {
            dom.attr_raw(id as u32, a)
                .is_some_and(|v| v.to_ascii_lowercase().contains("comment"))
        });
        inside[id] = inside.get(parent).copied().unwrap_or(false) || marked;
        if inside[id] && matches!(dom.nodes[id].data, Data::Text(_)) {
            words.extend(
                dom.raw_text(id as u32)
                    .split_whitespace()
                    .map(|w| w.to_lowercase()),
            );
        }
    }
    if words.len() < 50 {
        return false;
    }
    let gold: std::collections::HashSet<String> =
        gold.split_whitespace().map(str::to_lowercase).collect();
    let held = words.iter().filter(|w| gold.contains(*w)).count();
    held * 2 > words.len()
}

fn dom_smoothie(html: &[u8]) -> Output {
    let text = String::from_utf8_lossy(html);
    dom_smoothie::Readability::new(text.as_ref(), None, None)
        .and_then(|mut r| r.parse())
        .map(|a| (a.text_content.to_string(), Some(a.title.to_string())))
        .unwrap_or_default()
}

fn measure(
    tool: &str,
    samples: &[Sample],
    rounds: usize,
    f: fn(&[u8]) -> Output,
) -> (Run, Vec<Output>) {
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
        .map(|(s, (body, _))| bow_prf(body, &s.gold))
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

/// The development sets beside the repository: the first set, then each of `extraction-more`.
fn default_sets() -> Vec<PathBuf> {
    let data = PathBuf::from("../../../shared/data");
    let mut sets = vec![data.join("article-extraction")];
    if let Ok(more) = std::fs::read_dir(data.join("extraction-more")) {
        let mut more: Vec<PathBuf> = more
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("ground-truth.json").is_file())
            .collect();
        more.sort();
        sets.extend(more);
    }
    sets
}

/// One tool's figures on one set.
struct ToolFigures {
    tool: String,
    f1: f64,
    /// Title exact match: (matched, labelled).
    title: (usize, usize),
    pages: usize,
    seconds: f64,
}

struct SetFigures {
    name: String,
    tools: Vec<ToolFigures>,
}

fn main() {
    let mut dirs: Vec<PathBuf> = Vec::new();
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
            other => dirs.push(PathBuf::from(other)),
        }
    }
    if dirs.is_empty() {
        dirs = default_sets();
    }
    type Tool = (&'static str, fn(&[u8]) -> Output);
    let tools: [Tool; 2] = [("korolev", korolev), ("dom_smoothie", dom_smoothie)];
    let mut figures: Vec<SetFigures> = Vec::new();
    for dir in &dirs {
        let samples = match load(dir) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("extract bench: cannot load the benchmark: {e}");
                std::process::exit(2);
            }
        };
        let name = dir
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        println!("== {name}");
        let mut runs = Vec::new();
        let mut set = SetFigures {
            name,
            tools: Vec::new(),
        };
        for (tool, f) in tools {
            if only.as_deref().is_some_and(|o| o != tool) {
                continue;
            }
            let (run, outputs) = measure(tool, &samples, rounds, f);
            let titles: Vec<Option<String>> = outputs.iter().map(|(_, t)| t.clone()).collect();
            let title = title_score(&samples, &titles);
            let f1 = run.scores.iter().map(|s| s.f1).sum::<f64>() / run.scores.len().max(1) as f64;
            set.tools.push(ToolFigures {
                tool: tool.to_string(),
                f1,
                title,
                pages: samples.len(),
                seconds: run.seconds,
            });
            // The figures of korolev, or of the one tool asked for with `--only`.
            if tool == only.as_deref().unwrap_or("korolev") && dirs.len() == 1 {
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
                    for (s, (body, _)) in samples.iter().zip(&outputs) {
                        std::fs::write(out.join(format!("{}.txt", s.name)), body).unwrap();
                    }
                }
            }
            runs.push(run);
        }
        print!("{}", report(&samples, &runs));
        // Pages whose gold keeps the readers' comments, and the rest, apart.
        let with: Vec<bool> = samples
            .iter()
            .map(|s| gold_holds_comments(&s.html, &s.gold))
            .collect();
        let n_with = with.iter().filter(|&&w| w).count();
        if n_with > 0 {
            println!("F1 apart, by whether the gold keeps the readers' comments:");
            for (label, keep) in [("gold with comments", true), ("gold without", false)] {
                print!(
                    "  {label:<20} {:>4} pages",
                    with.iter().filter(|&&w| w == keep).count()
                );
                for run in &runs {
                    let f1s: Vec<f64> = run
                        .scores
                        .iter()
                        .zip(&with)
                        .filter(|(_, &w)| w == keep)
                        .map(|(s, _)| s.f1)
                        .collect();
                    let mean = f1s.iter().sum::<f64>() / f1s.len().max(1) as f64;
                    print!("   {} {mean:.4}", run.tool);
                }
                println!();
            }
        }
        for t in &set.tools {
            let (matched, labelled) = t.title;
            if labelled > 0 {
                println!(
                    "{}: title exact match {matched} of {labelled} ({:.3})",
                    t.tool,
                    matched as f64 / labelled as f64
                );
            }
        }
        println!();
        figures.push(set);
    }
    if figures.len() > 1 {
        summary(&figures);
    }
}

/// All sets side by side: F1 per tool and set, the mean over the sets after the first (the
/// sets nobody tuned on first), and the speed over all pages.
fn summary(figures: &[SetFigures]) {
    let tools: Vec<String> = figures[0].tools.iter().map(|t| t.tool.clone()).collect();
    print!("{:<24}", "F1 by set");
    for t in &tools {
        print!(" {t:>13}");
    }
    println!();
    for set in figures {
        print!("{:<24}", set.name);
        for t in &set.tools {
            print!(" {:>13.4}", t.f1);
        }
        println!();
    }
    let rest = &figures[1..];
    print!("{:<24}", "mean of the sets after the first");
    for i in 0..tools.len() {
        let mean = rest.iter().map(|s| s.tools[i].f1).sum::<f64>() / rest.len().max(1) as f64;
        print!(" {mean:>13.4}");
    }
    println!();
    print!("{:<24}", "pages/s over all pages");
    let mut speeds = Vec::new();
    for i in 0..tools.len() {
        let pages: usize = figures.iter().map(|s| s.tools[i].pages).sum();
        let seconds: f64 = figures.iter().map(|s| s.tools[i].seconds).sum();
        let speed = pages as f64 / seconds.max(1e-9);
        speeds.push(speed);
        print!(" {speed:>13.1}");
    }
    println!();
    if let [first, others @ ..] = speeds.as_slice() {
        for (t, s) in tools.iter().skip(1).zip(others) {
            println!(
                "{}: {:.2}× the pages/s of {t}",
                tools[0],
                first / s.max(1e-9)
            );
        }
    }
}

//! Shows which container the extractor chose for an HTML page, and what it kept:
//! `cargo run -p korolev-extract --example explain -- PAGE.html[.gz]`.

use std::io::Read;

use korolev_extract::{dom, readable};

fn describe(d: &dom::Dom<'_>, id: u32) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(id);
    while let Some(n) = cur {
        if let Some(tag) = d.tag(n) {
            let class = d.attr_raw(n, "class").unwrap_or("");
            let ident = d.attr_raw(n, "id").unwrap_or("");
            parts.push(format!(
                "{tag:?}[{ident}|{}]",
                class.chars().take(40).collect::<String>()
            ));
        }
        cur = d.parent(n);
    }
    parts.reverse();
    parts.join(" > ")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: explain PAGE")?;
    let mut bytes = Vec::new();
    let file = std::fs::File::open(&path)?;
    if path.ends_with(".gz") {
        flate2::read::MultiGzDecoder::new(file).read_to_end(&mut bytes)?;
    } else {
        std::io::BufReader::new(file).read_to_end(&mut bytes)?;
    }
    let text = String::from_utf8_lossy(&bytes);
    let d = dom::parse(&text);
    let sel = readable::select(&d);
    match sel.root {
        Some(r) => println!("root: {}", describe(&d, r)),
        None => println!("root: none"),
    }
    // What the pruning pass cut from the chosen container, largest first.
    let mut cut: Vec<(usize, u32)> = (1..d.nodes.len() as u32)
        .filter(|&id| {
            let parent = d.nodes[id as usize].parent as usize;
            sel.live[id as usize] && !sel.keep[id as usize] && sel.keep[parent]
        })
        .map(|id| (d.text_content(id).split_whitespace().count(), id))
        .filter(|&(words, _)| words > 0)
        .collect();
    cut.sort_unstable_by(|a, b| b.cmp(a));
    for (words, id) in &cut {
        println!("cut {words} words: {}", describe(&d, *id));
    }
    let flat = korolev_extract::html::flatten(&text, None);
    for (line, zone, heading) in flat.lines {
        let mark = match zone {
            korolev_extract::page::Zone::Main => "+",
            korolev_extract::page::Zone::Boilerplate => "-",
            korolev_extract::page::Zone::Unknown => "?",
        };
        let h = heading.map(|h| format!("h{h} ")).unwrap_or_default();
        println!("{mark} {h}{}", line.chars().take(150).collect::<String>());
    }
    Ok(())
}

//! Embeds the sample corpus (`corpus/` at the workspace root) into the binary, so that
//! `korolev demo` works from the binary alone.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../../corpus");
    println!("cargo:rerun-if-changed={}", corpus.display());
    let mut files = Vec::new();
    walk(&corpus, &mut files);
    files.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| !n.starts_with('.') && n != "README.md")
    });
    files.sort();
    let mut code = String::from("/// The bundled sample corpus: (path inside corpus/, bytes).\npub static CORPUS: &[(&str, &[u8])] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&corpus)
            .expect("walked under corpus")
            .to_string_lossy()
            .replace('\\', "/");
        let abs = f.canonicalize().expect("corpus file exists");
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("corpus.rs");
    std::fs::write(out, code).expect("write corpus.rs");
}

//! Hostile input: each bad file is named with its reason, the rest is ingested, and nothing
//! stored before is lost.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use std::io::Write;
use std::path::Path;

const GOOD_PAGE: &str = "Expedition 64 mission\n\nISS crew:\n\nCommander -\nSergey Ryzhikov\nFlight engineers:\nSergey Kud-Sverchkov\nKathleen Rubins\n\n\nA quiet week aboard the station\n\nMarch 2, 2021\n\nThe crew spent the week on science and on cargo work in the Russian segment.\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn every_bad_file_is_named_and_the_rest_is_ingested_without_loss() {
    if skip_without_shared() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    // Something stored before, that must survive.
    let first = korolev(
        data.path(),
        &["ingest", "--quiet", seeds_dir().to_str().unwrap()],
    );
    assert!(first.status.success(), "{}", stderr(&first));

    let input = tempfile::tempdir().unwrap();
    let dir = input.path();
    write(dir, "empty.txt", b"");
    write(
        dir,
        "junk.html",
        &(0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<u8>>(),
    );
    let gz = gzip(GOOD_PAGE.as_bytes());
    write(dir, "truncated.txt.gz", &gz[..gz.len() / 2]);
    // Mostly good UTF-8 (dashes, quotes) with one broken sequence.
    let mut broken = (GOOD_PAGE.replace("quiet", "quiet\u{e9}")
        + "Next up — «Progress MS-16» — in February.\n")
        .into_bytes();
    let at = broken.iter().position(|&b| b == 0xC3).unwrap();
    broken[at] = 0xFF; // "é" loses its lead byte: invalid UTF-8
    write(dir, "invalid-utf8.txt", &broken);
    let cp1251 = "<html><head><meta charset=\"windows-1251\"><title>Экипаж МКС-64 провёл неделю в научной работе</title></head>\
        <body><article><h1>Экипаж МКС-64 провёл неделю в научной работе</h1><p>Космонавты Роскосмоса Сергей Рыжиков и \
        Сергей Кудь-Сверчков провели эксперименты в российском сегменте станции.</p></article></body></html>";
    write(
        dir,
        "cp1251.html",
        &encoding_rs::WINDOWS_1251.encode(cp1251).0,
    );
    write(dir, "good.txt.gz", &gz);
    write(
        dir,
        "good-plain.txt",
        GOOD_PAGE.replace("quiet", "calm").as_bytes(),
    );
    // 50 MB of text: over the one-document limit, rejected before it is read into memory.
    let big = std::fs::File::create(dir.join("huge.txt")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    // One unreadable file: a link to nothing.
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("gone.txt"), dir.join("unreadable.txt")).unwrap();

    let out = korolev(data.path(), &["ingest", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "failures give exit code 1: {err}"
    );
    let named = |file: &str, reason: &str| {
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(reason)),
            "expected {file} named with {reason:?} in:\n{err}"
        )
    };
    named("empty.txt", "empty");
    named("junk.html", "binary");
    named("truncated.txt.gz", "gzip data is damaged or truncated");
    named("huge.txt", "limit");
    #[cfg(unix)]
    named("unreadable.txt", "cannot open");
    named("invalid-utf8.txt", "warning");
    #[cfg(unix)]
    let failed = 5;
    #[cfg(not(unix))]
    let failed = 4;
    assert!(
        err.contains(&format!(
            "new 4 · revised 0 · unchanged 0 · failed {failed}"
        )),
        "{err}"
    );

    let docs = json_lines(&stdout(&korolev(data.path(), &["export", "--json"])));
    assert_eq!(docs.len(), 5 + 4, "seeds kept and four good files added");
    let cyr = docs
        .iter()
        .find(|d| {
            d["document"]["source"]
                .as_str()
                .unwrap()
                .ends_with("cp1251.html")
        })
        .unwrap();
    assert_eq!(cyr["document"]["encoding"], "windows-1251");
    assert_eq!(
        cyr["article"]["title"],
        "Экипаж МКС-64 провёл неделю в научной работе"
    );
    assert_eq!(cyr["article"]["lang"], "ru");
    let utf = docs
        .iter()
        .find(|d| {
            d["document"]["source"]
                .as_str()
                .unwrap()
                .ends_with("invalid-utf8.txt")
        })
        .unwrap();
    assert_eq!(utf["document"]["encoding"], "UTF-8");
    assert_eq!(
        utf["article"]["title"],
        "A quiet\u{fffd}\u{fffd} week aboard the station"
    );
    let gz = docs
        .iter()
        .find(|d| {
            d["document"]["source"]
                .as_str()
                .unwrap()
                .ends_with("good.txt.gz")
        })
        .unwrap();
    assert_eq!(gz["article"]["published_at"], "2021-03-02");
    assert_eq!(gz["claims"].as_array().unwrap().len(), 3);
}

#[test]
fn a_gzip_bomb_stops_at_the_limit() {
    let data = tempfile::tempdir().unwrap();
    let input = tempfile::tempdir().unwrap();
    let zeros = vec![b' '; 8 * 1024 * 1024];
    write(input.path(), "bomb.txt.gz", &gzip(&zeros));
    let out = korolev(
        data.path(),
        &[
            "ingest",
            "--max-bytes",
            "1000000",
            input.path().to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bomb.txt.gz") && stderr(&out).contains("limit"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stdin_is_a_document() {
    let data = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_korolev"))
        .args(["--data-dir", data.path().to_str().unwrap(), "ingest", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(GOOD_PAGE.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("read 1 · new 1"), "{}", stderr(&out));
    let docs = json_lines(&stdout(&korolev(data.path(), &["export", "--json"])));
    assert_eq!(docs[0]["document"]["source"], "-");
    assert_eq!(
        docs[0]["article"]["title"],
        "A quiet week aboard the station"
    );
}

#[test]
fn a_missing_path_is_named() {
    let data = tempfile::tempdir().unwrap();
    let out = korolev(data.path(), &["ingest", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no/such/dir"), "{}", stderr(&out));
}

#[test]
fn an_unusable_data_dir_is_a_clear_error() {
    if skip_without_shared() {
        return;
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    let out = korolev(file.path(), &["ingest", seeds_dir().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("data directory"), "{}", stderr(&out));
}

/// Makes a named pipe at `path` with the system's `mkfifo`.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_passed_over_and_the_rest_of_the_directory_is_read() {
    let data = tempfile::tempdir().unwrap();
    let input = tempfile::tempdir().unwrap();
    let dir = input.path();
    write(dir, "a.txt", GOOD_PAGE.as_bytes());
    // Named as a page and sorted between the two: reading it would wait for ever.
    mkfifo(&dir.join("b.html"));
    write(dir, "c.txt", GOOD_PAGE.replace("quiet", "busy").as_bytes());
    let limit = std::time::Duration::from_secs(20);
    let out = korolev_within(data.path(), &["ingest", dir.to_str().unwrap()], limit);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("b.html: a named pipe (FIFO), not a regular file"),
        "{err}"
    );
    assert!(err.contains("new 2") && err.contains("failed 0"), "{err}");
    // Named on the command line, it is refused as an input that cannot be read.
    let out = korolev_within(
        data.path(),
        &["ingest", dir.join("b.html").to_str().unwrap()],
        limit,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn control_characters_in_a_file_name_are_printed_as_escapes() {
    let data = tempfile::tempdir().unwrap();
    let input = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}[2J\u{7}.txt";
    write(input.path(), name, GOOD_PAGE.as_bytes());
    let out = korolev(
        data.path(),
        &[
            "ingest",
            "--max-bytes",
            "10",
            input.path().to_str().unwrap(),
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("evil\\u{1b}[2J\\u{7}.txt"), "{err}");
}

/// The number after `label` in an ingest summary ("read 43 · new 12 · …").
fn tally(summary: &str, label: &str) -> usize {
    let line = summary
        .lines()
        .find(|l| l.starts_with("read "))
        .unwrap_or_else(|| panic!("no summary in {summary}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == label).unwrap();
    words[at + 1].parse().unwrap()
}

#[test]
fn ingests_running_at_once_on_one_fresh_store_all_succeed_without_duplicates() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let corpus = corpus.to_str().unwrap();
    let pages = tally(
        &stderr(&korolev(
            tempfile::tempdir().unwrap().path(),
            &["ingest", corpus],
        )),
        "new",
    );
    assert!(pages > 40);
    for writers in [2, 4] {
        let data = tempfile::tempdir().unwrap();
        let runs: Vec<_> = (0..writers)
            .map(|_| {
                let data = data.path().to_path_buf();
                let corpus = corpus.to_string();
                std::thread::spawn(move || {
                    korolev_within(
                        &data,
                        &["ingest", &corpus],
                        std::time::Duration::from_secs(120),
                    )
                })
            })
            .collect();
        let mut new = 0;
        for run in runs {
            let out = run.join().unwrap();
            let err = stderr(&out);
            assert!(out.status.success(), "{writers} writers: {err}");
            assert_eq!(tally(&err, "failed"), 0, "{err}");
            new += tally(&err, "new");
        }
        // Each page stored once, by one of them.
        assert_eq!(new, pages, "{writers} writers");
        let again = stderr(&korolev(data.path(), &["ingest", corpus]));
        assert_eq!(tally(&again, "new"), 0, "{again}");
        assert_eq!(tally(&again, "unchanged"), pages, "{again}");
    }
    // Opening one new store from many processes at once: the moment SQLite answers "locked"
    // without waiting (turning the store to WAL, migrating) is met and waited out.
    let year = Path::new(corpus).join("2018");
    for _ in 0..5 {
        let data = tempfile::tempdir().unwrap();
        let runs: Vec<_> = (0..6)
            .map(|_| {
                let (data, year) = (data.path().to_path_buf(), year.clone());
                std::thread::spawn(move || {
                    korolev_within(
                        &data,
                        &["ingest", "--quiet", year.to_str().unwrap()],
                        std::time::Duration::from_secs(60),
                    )
                })
            })
            .collect();
        for run in runs {
            let out = run.join().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
        }
    }
}

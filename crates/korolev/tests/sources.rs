//! `korolev sources`: the sites followed, kept in korolev.toml and edited in place.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;

#[test]
fn sources_are_added_listed_toggled_and_removed_in_the_config_file() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| korolev(data.path(), &[&["sources"], args].concat());
    // A new data directory starts with the shipped sources, none of them enabled: nothing
    // is fetched until the user says so.
    let shipped = run(&["list"]);
    assert!(shipped.status.success());
    let list = stdout(&shipped);
    assert!(list.contains("disabled feed     30m    NASA "), "{list}");
    assert!(list.contains("ESA space news"), "{list}");
    assert!(!list.contains("enabled  "), "{list}");
    assert!(list.contains("None is enabled"), "{list}");
    let fetch = korolev(data.path(), &["fetch"]);
    assert!(fetch.status.success(), "{}", stderr(&fetch));
    assert!(
        stderr(&fetch).contains("no enabled sources"),
        "{}",
        stderr(&fetch)
    );
    assert!(run(&["enable", "nasa"]).status.success());
    let list = stdout(&run(&["list"]));
    assert!(list.contains("enabled  feed     30m    NASA "), "{list}");
    std::fs::remove_file(data.path().join("korolev.toml")).unwrap();

    // What the user wrote in the file stays: comments and other settings.
    let config = data.path().join("korolev.toml");
    std::fs::write(
        &config,
        "# my newsroom\n[server]\nbind = \"127.0.0.1:8080\"\n",
    )
    .unwrap();
    assert!(run(&[
        "add",
        "https://news.example/feed.xml",
        "--name",
        "Example News"
    ])
    .status
    .success());
    assert!(
        run(&["add", "https://news.example/sitemap.xml", "--every", "2h"])
            .status
            .success()
    );
    let again = run(&["add", "https://news.example/feed.xml"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("followed already"),
        "{}",
        stderr(&again)
    );
    for (bad, why) in [
        ("ftp://news.example/", "http or https"),
        ("news", "not an address"),
    ] {
        let out = run(&["add", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(stderr(&out).contains(why), "{bad}: {}", stderr(&out));
    }
    let out = run(&["add", "https://news.example/a", "--every", "5s"]);
    assert_eq!(out.status.code(), Some(2));

    assert!(run(&["disable", "example news"]).status.success());
    let list = stdout(&run(&["list"]));
    assert!(
        list.contains("disabled feed     30m    Example News"),
        "{list}"
    );
    assert!(
        list.contains("enabled  sitemap  2h     news.example"),
        "{list}"
    );
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.starts_with("# my newsroom\n[server]\nbind = \"127.0.0.1:8080\""),
        "{text}"
    );

    assert!(run(&["enable", "https://news.example/feed.xml"])
        .status
        .success());
    assert!(stdout(&run(&["list"])).contains("enabled  feed"));
    assert!(run(&["remove", "news.example"]).status.success());
    let list = stdout(&run(&["list"]));
    assert!(
        !list.contains("sitemap") && list.contains("Example News"),
        "{list}"
    );
    let missing = run(&["remove", "nowhere"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no source \"nowhere\""));
}

#[test]
fn opml_goes_out_and_comes_back() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| korolev(data.path(), &[&["sources"], args].concat());
    let opml = data.path().join("subscriptions.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?><opml version="2.0"><head><title>Reader</title></head><body>
           <outline text="Space">
             <outline type="rss" text="Orbit &amp; Co" xmlUrl="https://orbit.example/rss"/>
             <outline type="rss" title="Launch Desk" xmlUrl="https://launch.example/atom.xml"/>
             <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>
           </outline></body></opml>"#,
    )
    .unwrap();
    let out = run(&["import", opml.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 added, 0 followed already, 1 skipped"),
        "{}",
        stderr(&out)
    );
    // A sitemap goes out as a link and comes back as a sitemap.
    assert!(run(&[
        "add",
        "https://orbit.example/sitemap.xml",
        "--name",
        "Orbit map"
    ])
    .status
    .success());
    let list = stdout(&run(&["list"]));
    assert!(
        list.contains("Orbit & Co") && list.contains("Launch Desk"),
        "{list}"
    );
    assert!(list.contains("sitemap"), "{list}");

    // The export reads back into another store's config as the same sources.
    let exported = stdout(&run(&["export"]));
    assert!(exported.contains(r#"text="Orbit &amp; Co""#), "{exported}");
    let other = tempfile::tempdir().unwrap();
    let file = other.path().join("out.opml");
    std::fs::write(&file, &exported).unwrap();
    let back = korolev(other.path(), &["sources", "import", file.to_str().unwrap()]);
    assert!(back.status.success(), "{}", stderr(&back));
    assert_eq!(stdout(&korolev(other.path(), &["sources", "list"])), list);

    let not_opml = data.path().join("x.opml");
    std::fs::write(&not_opml, "<html><body>hi</body></html>").unwrap();
    let out = run(&["import", not_opml.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not an OPML file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_config_file_is_found_by_flag_then_environment_and_a_bad_one_names_the_key() {
    let data = tempfile::tempdir().unwrap();
    let elsewhere = data.path().join("conf/other.toml");
    let by_env = std::process::Command::new(env!("CARGO_BIN_EXE_korolev"))
        .args([
            "--data-dir",
            data.path().to_str().unwrap(),
            "sources",
            "add",
            "https://a.example/feed",
        ])
        .env("KOROLEV_CONFIG", &elsewhere)
        .output()
        .unwrap();
    assert!(by_env.status.success(), "{}", stderr(&by_env));
    assert!(std::fs::read_to_string(&elsewhere)
        .unwrap()
        .contains("https://a.example/feed"));
    assert!(!data.path().join("korolev.toml").exists());
    let flag = data.path().join("flag.toml");
    let out = korolev(
        data.path(),
        &[
            "sources",
            "--config",
            flag.to_str().unwrap(),
            "add",
            "https://b.example/feed",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&flag)
        .unwrap()
        .contains("https://b.example/feed"));

    std::fs::write(
        data.path().join("korolev.toml"),
        "[[sources]]\nurl = \"https://c.example/feed\"\nevery = \"soon\"\n",
    )
    .unwrap();
    let out = korolev(data.path(), &["sources", "list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("sources[1].every"),
        "{}",
        stderr(&out)
    );
    std::fs::write(
        data.path().join("korolev.toml"),
        "[[sources]]\nurl = \"https://c.example/feed\"\nevery = 30\n",
    )
    .unwrap();
    let out = korolev(data.path(), &["sources", "list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("sources[1].every: give it as a string"),
        "{}",
        stderr(&out)
    );
    std::fs::write(data.path().join("korolev.toml"), "[[sources]\n").unwrap();
    let out = korolev(data.path(), &["sources", "list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not valid TOML"),
        "{}",
        stderr(&out)
    );
}

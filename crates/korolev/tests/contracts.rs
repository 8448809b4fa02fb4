//! korolev's `/v4/*` answers against the Spaceflight News API's own OpenAPI documents
//! (`../shared/data/api-contracts/`): every path of each document, asked of korolev, answers
//! what the document's schema for its 200 says — required fields, types, nullability,
//! formats (uri, date-time, uuid) and lengths.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use serde_json::{Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// A YAML document as JSON (the subset OpenAPI documents use).
fn json_of(y: &Yaml) -> Value {
    match y {
        Yaml::Hash(h) => {
            let mut m = Map::new();
            for (k, v) in h {
                let key = match k {
                    Yaml::String(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    other => format!("{other:?}"),
                };
                m.insert(key, json_of(v));
            }
            Value::Object(m)
        }
        Yaml::Array(a) => Value::Array(a.iter().map(json_of).collect()),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Real(r) => r.parse::<f64>().map_or(Value::Null, Value::from),
        Yaml::Boolean(b) => Value::Bool(*b),
        _ => Value::Null,
    }
}

/// Where `value` breaks `schema` (resolved against `doc`'s components), each as a path and why.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        let resolved = &doc["components"]["schemas"][name];
        assert!(resolved.is_object(), "no schema {r}");
        return check(doc, resolved, value, at, out);
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        // `allOf: [$ref]` beside `nullable`: the null is the outer schema's to allow.
        if !(value.is_null() && schema["nullable"] == true) {
            check(doc, part, value, at, out);
        }
    }
    if let Some(options) = schema["oneOf"].as_array() {
        // The discriminator names the one to check; without it, one must pass.
        let chosen = schema["discriminator"]["propertyName"]
            .as_str()
            .and_then(|p| value[p].as_str())
            .and_then(|v| schema["discriminator"]["mapping"][v].as_str());
        match chosen {
            Some(r) => check(doc, &serde_json::json!({"$ref": r}), value, at, out),
            None => {
                let passes = options.iter().any(|o| {
                    let mut errors = Vec::new();
                    check(doc, o, value, at, &mut errors);
                    errors.is_empty()
                });
                if !passes {
                    out.push(format!("{at}: matches none of oneOf"));
                }
            }
        }
        return;
    }
    if value.is_null() {
        if schema["nullable"] != true && schema.get("type").is_some() {
            out.push(format!("{at}: null where the schema has no null"));
        }
        return;
    }
    let mut fail = |why: String| out.push(format!("{at}: {why} (got {value})"));
    match schema["type"].as_str() {
        Some("object") => {
            let Some(obj) = value.as_object() else {
                return fail("not an object".into());
            };
            for r in schema["required"].as_array().into_iter().flatten() {
                let r = r.as_str().unwrap();
                if !obj.contains_key(r) {
                    out.push(format!("{at}: no {r:?}, which is required"));
                }
            }
            if let Some(props) = schema["properties"].as_object() {
                for (k, v) in obj {
                    if let Some(s) = props.get(k) {
                        check(doc, s, v, &format!("{at}.{k}"), out);
                    }
                }
            }
        }
        Some("array") => {
            let Some(items) = value.as_array() else {
                return fail("not an array".into());
            };
            for (i, v) in items.iter().enumerate() {
                check(doc, &schema["items"], v, &format!("{at}[{i}]"), out);
            }
        }
        Some("string") => {
            let Some(s) = value.as_str() else {
                return fail("not a string".into());
            };
            if let Some(max) = schema["maxLength"].as_u64() {
                if s.chars().count() as u64 > max {
                    fail(format!("longer than {max}"));
                }
            }
            let ok = match schema["format"].as_str() {
                // An empty string is what SNAPI gives where it has no address.
                Some("uri") => s.is_empty() || korolev_web::web_url(s).is_some(),
                Some("date-time") => {
                    s.len() >= 20
                        && s.as_bytes()[10] == b'T'
                        && (s.ends_with('Z') || s.contains('+'))
                }
                Some("uuid") => {
                    s.len() == 36
                        && s.chars().enumerate().all(|(i, c)| {
                            if [8, 13, 18, 23].contains(&i) {
                                c == '-'
                            } else {
                                c.is_ascii_hexdigit()
                            }
                        })
                }
                _ => true,
            };
            if !ok {
                fail(format!("not a {}", schema["format"]));
            }
        }
        Some("integer") if !(value.is_i64() || value.is_u64()) => fail("not an integer".into()),
        Some("boolean") if !value.is_boolean() => fail("not a boolean".into()),
        Some("number") if !value.is_number() => fail("not a number".into()),
        _ => {}
    }
}

#[test]
fn snapi_answers_validate_against_snapi_documents() {
    if skip_without_shared() {
        return;
    }
    let data = corpus_store("");
    let server = start(data.path());
    let addr = server.addr.as_str();
    let mut checked = 0;
    for file in [
        "snapi-v4-articles-openapi.yml",
        "snapi-v4-blogs-openapi.yml",
        "snapi-v4-reports-openapi.yml",
        "snapi-v4-info-openapi.yml",
    ] {
        let doc = openapi(file);
        for (path, ops) in doc["paths"].as_object().unwrap() {
            let schema = &ops["get"]["responses"]["200"]["content"]["application/json"]["schema"];
            if !schema.is_object() {
                continue;
            }
            // A list of many, or one item of the list (its first).
            let url = if path.contains("{id}") {
                let list = path.split("{id}").next().unwrap();
                let page = get(addr, &format!("/v4{list}?limit=1")).json();
                let Some(id) = page["results"][0]["id"].as_i64() else {
                    continue;
                };
                format!("/v4{}", path.replace("{id}", &id.to_string()))
            } else {
                format!("/v4{path}?limit=100")
            };
            let r = get(addr, &url);
            assert_eq!(r.status, 200, "{url}: {}", r.body);
            let mut errors = Vec::new();
            check(&doc, schema, &r.json(), &url, &mut errors);
            assert!(errors.is_empty(), "{file} {path}:\n{}", errors.join("\n"));
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} paths checked");
}

/// An OpenAPI document in YAML as JSON; control characters (LL2's has one in a description)
/// are dropped, as YAML allows none.
fn openapi(file: &str) -> Value {
    let text = std::fs::read_to_string(shared_dir().join("data/api-contracts").join(file)).unwrap();
    let text: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r'))
        .collect();
    json_of(&YamlLoader::load_from_str(&text).unwrap()[0])
}

/// korolev's `/2.3.0/launches/` lists, each in LL2's `mode=list`, validate against LL2's
/// document; the filters narrow what they list.
#[test]
fn ll2_launch_lists_validate_against_the_ll2_document() {
    if skip_without_shared() {
        return;
    }
    let doc = openapi("ll2-2.3.0-openapi.yml");
    let data = corpus_store("");
    let server = start(data.path());
    let addr = server.addr.as_str();
    let mut listed = 0;
    for path in [
        "/2.3.0/launches/",
        "/2.3.0/launches/upcoming/",
        "/2.3.0/launches/previous/",
    ] {
        let schema =
            &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "LL2's document has no {path}");
        for query in [
            "",
            "?mode=list&limit=100",
            "?limit=5&offset=3&ordering=-net",
        ] {
            let url = format!("{path}{query}");
            let r = get(addr, &url);
            assert_eq!(r.status, 200, "{url}: {}", r.body);
            let page = r.json();
            let mut errors = Vec::new();
            check(&doc, schema, &page, &url, &mut errors);
            assert!(errors.is_empty(), "{url}:\n{}", errors.join("\n"));
            listed += page["results"].as_array().map_or(0, Vec::len);
        }
    }
    assert!(listed > 0, "no launch listed");
    // The check refuses a launch without LL2's required slug, or with a status that is text.
    let one = get(addr, "/2.3.0/launches/?limit=1").json();
    let schema =
        serde_json::json!({"$ref": "#/components/schemas/PaginatedPolymorphicLaunchEndpointList"});
    for broken in ["slug", "status"] {
        let mut v = one.clone();
        match broken {
            "slug" => {
                v["results"][0].as_object_mut().unwrap().remove("slug");
            }
            _ => v["results"][0]["status"] = Value::from("done"),
        }
        let mut errors = Vec::new();
        check(&doc, &schema, &v, broken, &mut errors);
        assert!(!errors.is_empty(), "a launch with a broken {broken} passed");
    }
    let count = |url: &str| get(addr, url).json()["count"].as_u64().unwrap();
    let all = count("/2.3.0/launches/");
    assert!(count("/2.3.0/launches/previous/") > 0);
    assert!(count("/2.3.0/launches/previous/") <= all);
    assert!(count("/2.3.0/launches/upcoming/") <= all);
    // Statuses: done ones are LL2's 3, and only they are given for status__ids=3.
    let done = get(addr, "/2.3.0/launches/?status__ids=3&limit=100").json();
    let results = done["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results.iter().all(|l| l["status"]["id"] == 3), "{done}");
    assert!(done["count"].as_u64().unwrap() < all);
    // Dates: net__gte and net__lte bound them; previous runs latest first.
    let since = get(
        addr,
        "/2.3.0/launches/?net__gte=2020-01-01T00:00:00Z&limit=100",
    )
    .json();
    for l in since["results"].as_array().unwrap() {
        assert!(l["net"].as_str().unwrap() >= "2020-01-01", "{l}");
    }
    let previous = get(addr, "/2.3.0/launches/previous/?limit=100").json();
    let nets: Vec<&str> = previous["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["net"].as_str())
        .collect();
    assert!(nets.windows(2).all(|w| w[0] >= w[1]), "{nets:?}");
    // A name finds its launches; LL2's largest page is 100; what korolev does not serve says so.
    let first = &results[0];
    let word = first["name"].as_str().unwrap().split(' ').next().unwrap();
    let found = get(addr, &format!("/2.3.0/launches/?search={word}")).json();
    assert!(found["count"].as_u64().unwrap() >= 1, "{word}: {found}");
    let big = get(addr, "/2.3.0/launches/?limit=1000");
    assert!(big.json()["results"].as_array().unwrap().len() <= 100);
    for bad in [
        "?mode=detailed",
        "?ordering=name",
        "?net__gte=soon",
        "?limit=-1",
    ] {
        let r = get(addr, &format!("/2.3.0/launches/{bad}"));
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
}

/// The check finds what SNAPI's schema refuses: a null image, a launch id that is not a UUID,
/// a missing field, a date without a time.
#[test]
fn the_check_refuses_what_the_schema_refuses() {
    if skip_without_shared() {
        return;
    }
    let doc = openapi("snapi-v4-articles-openapi.yml");
    let schema = serde_json::json!({"$ref": "#/components/schemas/Article"});
    let good = serde_json::json!({
        "id": 1, "title": "T", "authors": [{"name": "A"}], "url": "https://x.example/a",
        "image_url": "", "news_site": "X", "summary": "S",
        "published_at": "2024-01-02T03:04:05Z", "updated_at": "2024-01-02T03:04:05Z",
        "featured": false, "events": [],
        "launches": [{"launch_id": "7e9f1b62-3c4d-5a6b-8c7d-9e0f1a2b3c4d", "provider": "korolev"}]
    });
    let mut errors = Vec::new();
    check(&doc, &schema, &good, "good", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    for (field, bad) in [
        ("image_url", Value::Null),
        (
            "launches",
            serde_json::json!([{"launch_id": "soyuz-ms-12", "provider": "korolev"}]),
        ),
        ("published_at", Value::from("2024-01-02")),
        ("url", Value::from("/local/path.html")),
    ] {
        let mut v = good.clone();
        v[field] = bad;
        let mut errors = Vec::new();
        check(&doc, &schema, &v, field, &mut errors);
        assert!(!errors.is_empty(), "{field} passed");
    }
    let mut v = good.clone();
    v.as_object_mut().unwrap().remove("summary");
    let mut errors = Vec::new();
    check(&doc, &schema, &v, "summary", &mut errors);
    assert!(!errors.is_empty(), "a missing field passed");
}

/// korolev's `/2.3.0/expeditions/` and `/2.3.0/space_stations/` validate against LL2's
/// document (the expedition's own page against `ExpeditionNormal`: LL2's detailed shape needs
/// what korolev does not know of each astronaut); the filters narrow what they list.
#[test]
fn ll2_expeditions_and_the_station_validate_against_the_ll2_document() {
    if skip_without_shared() {
        return;
    }
    let doc = openapi("ll2-2.3.0-openapi.yml");
    let data = corpus_store("");
    let server = start(data.path());
    let addr = server.addr.as_str();
    let validate = |url: &str, schema: &Value| -> Value {
        let r = get(addr, url);
        assert_eq!(r.status, 200, "{url}: {}", r.body);
        let v = r.json();
        let mut errors = Vec::new();
        check(&doc, schema, &v, url, &mut errors);
        assert!(errors.is_empty(), "{url}:\n{}", errors.join("\n"));
        v
    };
    let list_schema = |path: &str| {
        doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            .clone()
    };
    let expeditions = list_schema("/2.3.0/expeditions/");
    let all = validate("/2.3.0/expeditions/?limit=100", &expeditions);
    let results = all["results"].as_array().unwrap();
    assert!(!results.is_empty(), "{all}");
    assert!(results.iter().all(|x| x["response_mode"] == "normal"));
    let x63 = results
        .iter()
        .find(|x| x["id"] == 63)
        .unwrap_or_else(|| panic!("no Expedition 63: {all}"));
    assert_eq!(x63["name"], "Expedition 63");
    assert!(x63["start"].as_str().unwrap().starts_with("2020-"), "{x63}");
    assert_eq!(x63["spacestation"]["id"], 4);
    assert!(
        !x63["korolev"]["crew"].as_array().unwrap().is_empty(),
        "{x63}"
    );
    for query in [
        "?mode=normal&limit=5&offset=2",
        "?ordering=-start",
        "?search=63",
    ] {
        validate(&format!("/2.3.0/expeditions/{query}"), &expeditions);
    }
    let found = get(addr, "/2.3.0/expeditions/?search=Expedition%2063").json();
    assert_eq!(found["count"], 1, "{found}");
    let before = get(addr, "/2.3.0/expeditions/?start__lt=2020-06-01T00:00:00Z").json();
    assert!(before["count"].as_u64().unwrap() < all["count"].as_u64().unwrap());
    assert_eq!(
        get(addr, "/2.3.0/expeditions/?space_station=5").json()["count"],
        0
    );
    let newest = get(addr, "/2.3.0/expeditions/?ordering=-start&limit=1").json();
    let last = results.last().unwrap();
    assert_eq!(newest["results"][0]["id"], last["id"]);
    let normal = serde_json::json!({"$ref": "#/components/schemas/ExpeditionNormal"});
    let one = validate("/2.3.0/expeditions/63/", &normal);
    // The check would see an expedition without its station, or with a start that is no time.
    for broken in ["spacestation", "start"] {
        let mut v = one.clone();
        match broken {
            "spacestation" => {
                v.as_object_mut().unwrap().remove("spacestation");
            }
            _ => v["start"] = Value::from("sometime in 2020"),
        }
        let mut errors = Vec::new();
        check(&doc, &normal, &v, broken, &mut errors);
        assert!(
            !errors.is_empty(),
            "an expedition with a broken {broken} passed"
        );
    }

    let stations = validate(
        "/2.3.0/space_stations/",
        &list_schema("/2.3.0/space_stations/"),
    );
    assert_eq!(stations["count"], 1);
    assert_eq!(
        stations["results"][0]["name"],
        "International Space Station"
    );
    assert_eq!(
        get(addr, "/2.3.0/space_stations/?search=tiangong").json()["count"],
        0
    );
    validate(
        "/2.3.0/space_stations/4/",
        &doc["paths"]["/2.3.0/space_stations/{id}/"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"],
    );
    assert_eq!(get(addr, "/2.3.0/space_stations/9/").status, 404);
    for bad in [
        "/2.3.0/expeditions/?mode=detailed",
        "/2.3.0/expeditions/?ordering=name",
        "/2.3.0/expeditions/?start__gte=soon",
        "/2.3.0/expeditions/x/",
        "/2.3.0/space_stations/?limit=-1",
    ] {
        assert_eq!(get(addr, bad).status, 400, "{bad}");
    }
}

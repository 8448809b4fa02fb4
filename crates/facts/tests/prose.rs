//! Facts from prose as spaceflight news writes them, on sentences written here: who flies and
//! who holds an office, crews by expedition with roles, a mission's flight on the capsule the
//! page names, docking ports, what is not an event or not a person.

mod common;

use common::page_facts as facts;
use korolev_facts::annotation::{annotate, Annotation, CrewRow, DockingRow, LaunchRow};
use korolev_facts::gazetteer::Gazetteer;
use korolev_facts::model::{ClaimKind, EntityKind, Occupation, OrgClass};

fn rows(body: &str, page: Option<&str>) -> Annotation {
    let f = facts(body, page);
    annotate("page", &f.entities, &f.claims, Gazetteer::builtin())
}

fn crew(person: &str, role: Option<&str>, expedition: u32) -> CrewRow {
    CrewRow {
        person: Some(person.into()),
        role: role.map(String::from),
        expedition: Some(format!("Expedition {expedition}")),
    }
}

#[test]
fn astronauts_are_told_from_officials_and_credits_name_nobody() {
    let f = facts(
        "NASA Administrator Bill Nelson met NASA astronaut Suni Williams and Steve Stich, \
         manager of the Commercial Crew Program. Credit: NASA/Bill Ingalls",
        None,
    );
    let occupation = |id: &str| {
        f.entities
            .iter()
            .find(|e| e.id == id)
            .and_then(|e| e.occupation)
    };
    assert_eq!(
        occupation("person/sunita-williams"),
        Some(Occupation::Astronaut)
    );
    assert_eq!(occupation("person/bill-nelson"), Some(Occupation::Official));
    assert!(f.entities.iter().all(|e| !e.name.contains("Ingalls")));
    // Agencies apart from companies and news agencies.
    let f = facts(
        "Roscosmos and SpaceX signed an agreement, TASS reported.",
        None,
    );
    let class = |id: &str| f.entities.iter().find(|e| e.id == id).and_then(|e| e.class);
    assert_eq!(class("agency/roscosmos"), Some(OrgClass::Agency));
    assert_eq!(class("agency/spacex"), Some(OrgClass::Company));
    assert_eq!(class("agency/tass"), Some(OrgClass::News));
    let a = rows(
        "NASA astronaut Suni Williams visited the Neil Armstrong Test Facility.",
        None,
    );
    assert_eq!(a.people, ["Suni Williams"]);
}

#[test]
fn names_as_written_drop_nicknames_and_initials() {
    let a = rows(
        "NASA astronauts Barry “Butch” Wilmore and Tracy C. Dyson trained together. \
         Later, Butch Wilmore flew.",
        None,
    );
    assert_eq!(a.people, ["Barry Wilmore", "Tracy Dyson"]);
}

#[test]
fn crews_by_expedition_with_the_role_each_expedition_had() {
    let a = rows(
        "NASA astronaut and Expedition 70 Flight Engineer Loral O'Hara works in the lab.",
        None,
    );
    assert_eq!(a.crew, [crew("Loral O'Hara", Some("flight_engineer"), 70)]);
    let a = rows(
        "NASA astronaut Chris Cassidy is a veteran. On his third mission, Cassidy served as \
         flight engineer during Expedition 62 and commanded Expedition 63.",
        None,
    );
    assert_eq!(
        a.crew,
        [
            crew("Chris Cassidy", Some("flight_engineer"), 62),
            crew("Chris Cassidy", Some("commander"), 63)
        ]
    );
    let a = rows(
        "NASA astronaut Shane Kimbrough served as flight engineer during Expedition 65/66.",
        None,
    );
    assert_eq!(
        a.crew,
        [
            crew("Shane Kimbrough", Some("flight_engineer"), 65),
            crew("Shane Kimbrough", Some("flight_engineer"), 66)
        ]
    );
    // A training label makes nobody a crew member.
    let a = rows(
        "NASA astronaut Barry Wilmore prepares for Expedition 62 spacewalk training.",
        None,
    );
    assert!(a.crew.is_empty(), "{:?}", a.crew);
}

#[test]
fn a_missions_flight_is_on_the_capsule_the_page_names() {
    let body = "Editor's note: this advisory was updated March 2, 2024. \
        NASA's SpaceX Crew-8 mission will launch at 10:53 p.m. EST Sunday, March 3, from Launch \
        Complex 39A at NASA's Kennedy Space Center. Endeavour is the name of this Dragon \
        spacecraft. The spacecraft will dock to the forward-facing port of the station's \
        Harmony module at 3 a.m. on Tuesday, March 5.";
    let f = facts(body, None);
    let launch = f
        .claims
        .iter()
        .find(|c| c.kind == ClaimKind::Launch && c.date.is_some())
        .expect("a dated launch");
    assert_eq!(launch.subject, "spacecraft/endeavour");
    assert_eq!(launch.mission.as_deref(), Some("mission/crew-8"));
    assert!(f
        .entities
        .iter()
        .any(|e| e.id == "mission/crew-8" && e.kind == EntityKind::Mission));
    let a = rows(body, None);
    assert_eq!(
        a.launches,
        [LaunchRow {
            date: Some("2024-03-03".into()),
            vehicle: None,
            spacecraft: Some("Dragon Endeavour".into()),
            site: Some("Kennedy Space Center".into()),
        }]
    );
    assert_eq!(
        a.dockings,
        [DockingRow {
            date: Some("2024-03-05".into()),
            spacecraft: Some("Dragon Endeavour".into()),
            port: Some("Harmony forward-facing".into()),
        }]
    );
    // The mission is no spacecraft.
    assert_eq!(a.spacecraft, ["Dragon Endeavour"]);
}

#[test]
fn names_that_only_look_like_events_are_none() {
    let a = rows(
        "The Space Launch System rocket and the Orion spacecraft are key to Artemis. \
         Live coverage of the arrival will begin at 2 a.m.",
        Some("2024-02-01"),
    );
    assert!(a.launches.is_empty(), "{:?}", a.launches);
    assert!(a.dockings.is_empty(), "{:?}", a.dockings);
}

#[test]
fn cargo_ships_dock_berth_and_relocate_at_a_port() {
    let a = rows(
        "The Progress 87 cargo spacecraft docked to the aft port of the Zvezda service module \
         at 12:18 a.m. EST Saturday, Feb. 17.",
        Some("2024-02-17"),
    );
    assert_eq!(
        a.dockings,
        [DockingRow {
            date: Some("2024-02-17".into()),
            spacecraft: Some("Progress 87".into()),
            port: Some("Zvezda aft".into()),
        }]
    );
    let a = rows(
        "Japan's HTV-9 cargo craft was captured by the station's robotic arm at 7:13 a.m. EDT \
         Wednesday, May 27, and berthed to the Earth-facing port of the Harmony module.",
        Some("2020-05-27"),
    );
    assert_eq!(a.dockings.len(), 1, "{:?}", a.dockings);
    assert_eq!(a.dockings[0].spacecraft.as_deref(), Some("HTV-9"));
    assert_eq!(a.dockings[0].date.as_deref(), Some("2020-05-27"));
}

#[test]
fn people_and_missions_the_gazetteer_does_not_know_yet() {
    let f = facts(
        "NASA's SpaceX Crew-13 mission launched on a Falcon 9 rocket on Aug. 1, 2026, with \
         NASA astronaut Jane Roe and flight engineer Ivan Testov aboard.",
        None,
    );
    let e = |id: &str| f.entities.iter().find(|e| e.id == id);
    assert_eq!(
        e("mission/crew-13").map(|e| e.kind),
        Some(EntityKind::Mission)
    );
    assert_eq!(
        e("person/jane-roe").and_then(|e| e.occupation),
        Some(Occupation::Astronaut)
    );
    assert_eq!(
        e("person/ivan-testov").and_then(|e| e.occupation),
        Some(Occupation::Astronaut)
    );
    let launch = f
        .claims
        .iter()
        .find(|c| c.kind == ClaimKind::Launch)
        .expect("a launch");
    assert_eq!(launch.mission.as_deref(), Some("mission/crew-13"));
    assert_eq!(launch.date.as_deref(), Some("2026-08-01"));
}

#[test]
fn a_cargo_mission_is_named_by_its_operator_and_number() {
    let has = |body: &str, id: &str| facts(body, None).entities.iter().any(|e| e.id == id);
    assert!(has(
        "NASA's SpaceX 30th commercial resupply mission launched on a Falcon 9 rocket.",
        "mission/crs-30"
    ));
    assert!(has(
        "Northrop Grumman's 20th commercial resupply services mission will launch Jan. 30.",
        "mission/ng-20"
    ));
    assert!(has(
        "The Orbital ATK fifth commercial resupply mission reached the station.",
        "mission/oa-5"
    ));
    // No operator, no mission: the number alone says nothing of whose flight it is.
    let f = facts(
        "It is the 30th commercial resupply mission to the station.",
        None,
    );
    assert!(
        !f.entities.iter().any(|e| e.kind == EntityKind::Mission),
        "{:?}",
        f.entities
    );
    // The mission is flown by the craft the page names for it: the launch is Dragon's.
    let r = rows(
        "NASA's SpaceX 30th commercial resupply mission launched from Cape Canaveral. \
         The Dragon spacecraft carries 6,000 pounds of cargo.",
        Some("2024-03-21"),
    );
    assert!(
        r.launches
            .iter()
            .any(|l| l.spacecraft.as_deref() == Some("Dragon")),
        "{:?}",
        r.launches
    );
}

#[test]
fn a_page_that_is_one_endless_paragraph_states_its_fact_once() {
    // Over a megabyte of one sentence: read in pieces, never held as tokens at once.
    let sentence = "The Soyuz MS-25 spacecraft docked to the Prichal module on March 25, 2024. ";
    let body = sentence.repeat(1_100_000 / sentence.len());
    let f = facts(&body, None);
    let dockings: Vec<_> = f
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Docking)
        .collect();
    assert_eq!(dockings.len(), 1, "{dockings:#?}");
    assert_eq!(dockings[0].subject, "spacecraft/soyuz-ms-25");
    assert_eq!(dockings[0].date.as_deref(), Some("2024-03-25"));
    let craft = f
        .entities
        .iter()
        .find(|e| e.id == "spacecraft/soyuz-ms-25")
        .expect("the craft is an entity");
    assert!(craft.mentions.len() <= 64, "{}", craft.mentions.len());
}

//! Dates as spaceflight news writes them, read from pages made here, each with and without the
//! page's own date: the first time zone of "10:25 p.m. EST Wednesday, Feb. 14 (8:25 a.m.
//! Baikonur time Thursday, Feb. 15)", a day and month without a year (checked against its
//! weekday), "later this year", "next week", "Tuesday's launch". Without any date for the page,
//! a date that lacks a year gets one only from the text itself (a year it writes, or a weekday
//! that fits one year alone near the flight it names), never a guess.

mod common;

use korolev_facts::model::ClaimKind;

/// The date of the launch that a text page made of `body` tells, read with `page` as the
/// page's date.
fn launch_date(body: &str, page: Option<&str>) -> Option<String> {
    let facts = common::page_facts(body, page);
    let launches: Vec<_> = facts
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Launch)
        .collect();
    assert!(!launches.is_empty(), "no launch read from {body:?}");
    launches.iter().find_map(|c| c.date.clone())
}

const TWO_ZONES: &str = "The Progress 87 cargo ship launched at 10:25 p.m. EST Wednesday, \
    Feb. 14 (8:25 a.m. Baikonur time Thursday, Feb. 15) from the Baikonur Cosmodrome.";

#[test]
fn the_first_time_zone_gives_the_day() {
    assert_eq!(
        launch_date(TWO_ZONES, Some("2024-02-15")).as_deref(),
        Some("2024-02-14")
    );
    // No page date and no year in the text: the weekday fits one year alone near the flight
    // of Progress 87 (2024).
    assert_eq!(launch_date(TWO_ZONES, None).as_deref(), Some("2024-02-14"));
    // A ship without its number says no year: the day stays unknown.
    let unnumbered = TWO_ZONES.replace("Progress 87", "Progress");
    assert_eq!(launch_date(&unnumbered, None), None);
    // A year the text writes about itself (an editor's note) gives the year.
    let noted = format!("Editor's note: this story was updated Feb. 16, 2024.\n\n{unnumbered}");
    assert_eq!(launch_date(&noted, None).as_deref(), Some("2024-02-14"));
}

#[test]
fn a_day_without_a_year_takes_the_page_year_the_weekday_fits() {
    let body = "Progress MS-26 will launch Wednesday, Feb. 14, from Baikonur.";
    assert_eq!(
        launch_date(body, Some("2024-02-01")).as_deref(),
        Some("2024-02-14")
    );
    // A page of early January 2025: Feb. 14 was a Wednesday in 2024, not in 2025.
    assert_eq!(
        launch_date(body, Some("2025-01-03")).as_deref(),
        Some("2024-02-14")
    );
    // Without a weekday, the year that puts the day nearest the page's date.
    let plain = "Progress MS-26 will launch Feb. 14 from Baikonur.";
    assert_eq!(
        launch_date(plain, Some("2023-12-20")).as_deref(),
        Some("2024-02-14")
    );
    assert_eq!(launch_date(plain, None), None);
    // The one year a text writes, when it writes one.
    let dated = format!("{plain} It is the third Progress flight of 2024.");
    assert_eq!(launch_date(&dated, None).as_deref(), Some("2024-02-14"));
}

#[test]
fn later_this_year_is_the_page_year() {
    let body = "Progress MS-26 will launch later this year from Baikonur.";
    assert_eq!(
        launch_date(body, Some("2024-05-10")).as_deref(),
        Some("2024")
    );
    assert_eq!(launch_date(body, None), None);
}

#[test]
fn next_week_is_the_month_it_falls_in() {
    let body = "Progress MS-26 will launch next week from Baikonur.";
    // 2024-02-07 is a Wednesday: next week is February 12 to 18.
    assert_eq!(
        launch_date(body, Some("2024-02-07")).as_deref(),
        Some("2024-02")
    );
    // 2024-01-24: next week runs from January 29 into February, so only the year is known.
    assert_eq!(
        launch_date(body, Some("2024-01-24")).as_deref(),
        Some("2024")
    );
    assert_eq!(launch_date(body, None), None);
}

#[test]
fn tuesdays_launch_is_the_tuesday_before_the_page() {
    let body = "Tuesday's launch of Progress MS-26 from Baikonur went as planned.";
    // 2024-02-15 is a Thursday.
    assert_eq!(
        launch_date(body, Some("2024-02-15")).as_deref(),
        Some("2024-02-13")
    );
    assert_eq!(launch_date(body, None), None);
}

#[test]
fn a_weekday_places_the_day_near_the_flight_the_text_names() {
    // Jan. 18 was a Thursday in 2018, 2024 and 2029: Ax-3 flew in 2024.
    let body = "Axiom Mission 3 lifted off at 4:49 p.m. EST on Thursday, Jan. 18, from \
        Kennedy Space Center. The crew will dock to the station Saturday, Jan. 20.";
    assert_eq!(launch_date(body, None).as_deref(), Some("2024-01-18"));
    // A weekday that fits no year within one of the flight's places nothing (Jan. 18 was a
    // Wednesday in 2023, a Saturday in 2025).
    let off = body.replace("Thursday", "Monday");
    assert_eq!(launch_date(&off, None), None);
    // Without a flight whose year is known, nothing places it.
    let unnamed = body.replace("Axiom Mission 3", "A Crew Dragon spacecraft");
    assert_eq!(launch_date(&unnamed, None), None);
    // The page's own date, when known, comes first.
    assert_eq!(
        launch_date(body, Some("2018-01-10")).as_deref(),
        Some("2018-01-18")
    );
}

#[test]
fn a_placed_day_dates_the_text_for_its_other_days() {
    // "Thursday, May 2" is placed by Crew-8's year; "March 3" then takes the year nearest it.
    let body = "Crew members will relocate the Dragon spacecraft Thursday, May 2. \
        NASA's SpaceX Crew-8 mission launched March 3 from Kennedy Space Center.";
    assert_eq!(launch_date(body, None).as_deref(), Some("2024-03-03"));
    let unplaced = body.replace("Thursday, May 2", "in the spring");
    assert_eq!(launch_date(&unplaced, None), None);
}

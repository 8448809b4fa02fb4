//! Agreements between organisations and who holds which office ("Roscosmos CEO Dmitry
//! Bakanov").

use super::*;

/// "Roscosmos CEO Dmitry Bakanov", "the General Director of RSC Energia Vladimir Solntsev",
/// "the Governor Sergei Zhvachkin".
pub(super) fn appointments(toks: &[Tok], found: &[&Found], ev: &Ev<'_>, claims: &mut Vec<Claim>) {
    let is_title = |i: usize| TITLE_WORDS.contains(&toks[i].lc());
    let mut prev_person = 0;
    for p in found.iter().filter(|f| f.kind == EntityKind::Person) {
        let floor = prev_person;
        prev_person = p.end;
        // Back over the words before the name, to "of", a comma or the previous person.
        let mut j = p.start;
        while j > floor && toks[j - 1].word && toks[j - 1].lc() != "of" && p.start - j < 8 {
            j -= 1;
        }
        let agency_in = |r: Range<usize>| {
            found
                .iter()
                .find(|f| f.kind == EntityKind::Agency && f.start >= r.start && f.end <= r.end)
                .map(|f| f.id.clone())
        };
        let (title, org) = if j > floor && toks[j - 1].lc() == "of" {
            // "<title> of <organisation> <name>".
            let of = j - 1;
            let mut t = of;
            while t > floor && toks[t - 1].word && of - t < 4 {
                t -= 1;
            }
            let Some(t) = (t..of).find(|&k| is_title(k)) else {
                continue;
            };
            (t..of, agency_in(j..p.start))
        } else {
            // "<organisation> <title> <name>" or "the <title> <name>".
            let Some(t) = (j..p.start).find(|&k| is_title(k)) else {
                continue;
            };
            (t..p.start, agency_in(j..t))
        };
        // "director Klim Shipenko" is a job, not an office: without an organisation, only "the
        // director" (an office the page has named before) counts.
        let determined =
            title.start > 0 && matches!(toks[title.start - 1].lc(), "the" | "its" | "their");
        if org.is_none() && !determined {
            continue;
        }
        let office: Vec<String> = toks[title].iter().map(Tok::lower).collect();
        let (conf, evidence) = ev(NAMED);
        let mut claim = Claim::new(ClaimKind::Appointment, p.id.clone(), conf, evidence);
        claim.object = org;
        claim.detail = Some(office.join(" "));
        claims.push(claim);
    }
}

/// An agreement between the organisations a sentence names. Returns the claim's index when
/// the sentence names only one party, for [`read`] to complete.
pub(super) fn agreement(
    toks: &[Tok],
    s: Range<usize>,
    found: &[&Found],
    reference: &when::Reference,
    ev: &Ev<'_>,
    claims: &mut Vec<Claim>,
) -> Option<usize> {
    let words = lowers(toks, s.clone());
    let at = words.iter().position(|w| {
        ["agreement", "agreements", "accord", "memorandum", "договор"].contains(&w.as_str())
            || w.starts_with("соглашени")
    })?;
    let between = words.iter().position(|w| w == "between" || w == "между");
    let from = between.map_or(s.start, |b| s.start + b);
    let mut parties: Vec<String> = Vec::new();
    push_unique(
        &mut parties,
        found
            .iter()
            .filter(|f| f.kind == EntityKind::Agency && f.start >= from)
            .map(|f| f.id.clone()),
    );
    parties.truncate(2);
    if parties.is_empty() {
        return None;
    }
    parties.sort();
    let (conf, evidence) = ev(NAMED);
    let mut claim = Claim::new(ClaimKind::Agreement, parties[0].clone(), conf, evidence);
    claim.object = parties.get(1).cloned();
    claim.set_date(when::find(toks, s.clone(), reference, false).map(|d| d.date));
    let about: Vec<&str> = toks[s.start + at + 1..s.end]
        .iter()
        .skip_while(|t| matches!(t.lc(), "was" | "is" | "signed"))
        .take_while(|t| {
            t.word
                && !matches!(
                    t.lc(),
                    "between" | "under" | "with" | "and" | "through" | "until"
                )
        })
        .take(8)
        .map(|t| t.text.as_str())
        .collect();
    if about.len() >= 2 && matches!(about[0], "on" | "to" | "for" | "о" | "об") {
        claim.detail = Some(about.join(" "));
    }
    claims.push(claim);
    (parties.len() == 1).then_some(claims.len() - 1)
}

#!/usr/bin/env python3
"""Assembles korolev's sample corpus (corpus/) from tools/corpus_data.py and
tools/corpus_articles.py: each article is dressed as a page of one of five made-up sites, with
the furniture such sites carry (menus, mission box, launch ticker, archive calendar, pager,
share strips, comment prompts). Run from the repository root: python3 tools/make_corpus.py"""

import calendar
import html
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
from corpus_data import EXPEDITIONS, LAUNCHES, RU, MONTHS_EN, MONTHS_RU_GEN, MONTHS_RU_NOM  # noqa: E402
from corpus_articles import ARTICLES  # noqa: E402

RU.update({"Andreas Mogensen": "Андреас Могенсен", "Loral O'Hara": "Лорал О'Хара", "Jasmin Moghbeli": "Жасмин Могбели",
           "Satoshi Furukawa": "Сатоси Фурукава", "Konstantin Borisov": "Константин Борисов"})


def ymd(d):
    y, m, dd = d.split("-")
    return int(y), int(m), int(dd)


def expedition_at(date):
    current = None
    for n, (start, cdr, fes) in sorted(EXPEDITIONS.items()):
        if start <= date:
            current = (n, cdr, fes)
    return current


def ticker(date):
    """The two latest launches up to `date` and the next one, planned (month precision)."""
    done = [l for l in LAUNCHES if l[0] <= date][-2:]
    later = [l for l in LAUNCHES if l[0] > date][:1]
    return [(l, "done") for l in reversed(done)], [(l, "planned") for l in later]


def craft_kind(sc):
    return "CV" if sc.startswith("Progress") else "SC"


def en_date(d):
    y, m, dd = ymd(d)
    return f"{MONTHS_EN[m-1]}\u00a0{dd}, {y}"


def ru_date(d):
    y, m, dd = ymd(d)
    return f"{dd} {MONTHS_RU_GEN[m-1]} {y}"


def ru_craft(sc):
    return sc.replace("Soyuz MS", "Союз МС").replace("Progress MS", "Прогресс МС").replace("Starliner", "Старлайнер")


def month_grid(y, m, weekdays, nbsp=True):
    rows = [weekdays]
    for week in calendar.Calendar(0).monthdayscalendar(y, m):
        cells = [str(d) if d else ("\u00a0" if nbsp else "") for d in week]
        while cells and cells[-1] in ("\u00a0", ""):
            cells.pop()
        rows.append(" ".join(cells))
    return rows


# ---------------------------------------------------------------- text pages (like the seeds)

def txt_page(i, a, prev_title, next_title):
    stem, _, date, time, author, title, paras = a
    y, m, d = ymd(date)
    out = []
    if i % 2 == 0:
        exp = expedition_at(date)
        if exp:
            n, cdr, fes = exp
            out += [f"ISS-{n} mission", "", "Main tasks", "", "", "ISS crew:", "", "Commander -", cdr, "Flight engineers:"] + fes + ["", "", ""]
        out += [title, "", en_date(date), ""]
        for p in paras:
            out += [p, ""]
        out += ["", ""]
        done, planned = ticker(date)
        for (ld, lv, sc), _ in planned:
            ly, lm, _ = ymd(ld)
            out += [f"{MONTHS_EN[lm-1]}, {ly}", f"The launch of LV {lv} with {craft_kind(sc)} {sc} is planned"]
        for (ld, lv, sc), _ in done:
            out += [en_date(ld), f"LV {lv} with {craft_kind(sc)} {sc} is launched"]
        out += ["", "", "", "News Archive", "", f"{MONTHS_EN[m-1]}\u00a0\u00a0 {y}"] + month_grid(y, m, "Mon Tue Wed Thu Fri Sat Sun")
    else:
        icons = " ".join(f"icon {w}" for w in ["bookmark", "camera", "check", "chevron down", "close", "download", "edit", "mail", "search", "share", "tag", "trash"])
        out += [icons, f"{d} {MONTHS_EN[m-1][:3]}, {y} {time or '10:00'}", "", title, "", paras[0], title, ""]
        for p in paras[1:]:
            out += [p, ""]
        out += ["Previous Article", "", prev_title, "", "Next Article", "", next_title, "",
                "Dear readers! Comments are open to registered users only. Please read our commenting policy before you post.",
                "Podcasts", "0:00", "21:14", "0:00", "9:48", "ORBITA \u00bb"]
    return "\n".join(out)


# ---------------------------------------------------------------- agency HTML

def esc(s):
    return html.escape(s, quote=True)


def agency_page(i, a, prev_title, next_title):
    stem, _, date, time, author, title, paras = a
    y, m, d = ymd(date)
    iso = f"{date}T{time or '12:00'}:00+03:00"
    exp = expedition_at(date)
    box = ""
    if exp:
        n, cdr, fes = exp
        fe = "".join(f"<li>{esc(f)}</li>" for f in fes)
        box = (f'<aside class="mission-box" aria-label="Current mission"><h2>ISS-{n} mission</h2>'
               f'<p><a href="/missions/{n}/tasks">Main tasks</a></p><h3>ISS crew:</h3>'
               f'<p>Commander -</p><p><a href="/crew/{n}/1">{esc(cdr)}</a></p><p>Flight engineers:</p><ul>{fe}</ul></aside>')
    done, planned = ticker(date)
    items = []
    for (ld, lv, sc), _ in planned:
        ly, lm, _ = ymd(ld)
        items.append(f"<li><time>{MONTHS_EN[lm-1]}, {ly}</time><p>The launch of LV {esc(lv)} with {craft_kind(sc)} {esc(sc)} is planned</p></li>")
    for (ld, lv, sc), _ in done:
        items.append(f"<li><time datetime=\"{ld}\">{en_date(ld)}</time><p>LV {esc(lv)} with {craft_kind(sc)} {esc(sc)} is launched</p></li>")
    grid = month_grid(y, m, "Mon Tue Wed Thu Fri Sat Sun", nbsp=False)
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r.split(" ")) + "</tr>" for r in grid[1:])
    cal = (f'<aside class="archive"><h3>News Archive</h3><p>{MONTHS_EN[m-1]} {y}</p><table>'
           f'<tr><th>Mon</th><th>Tue</th><th>Wed</th><th>Thu</th><th>Fri</th><th>Sat</th><th>Sun</th></tr>{rows}</table></aside>')
    body = "".join(f"<p>{esc(p)}</p>" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(title)} | Orbital Agency Newsroom</title>
<meta property="og:site_name" content="Orbital Agency Newsroom">
<meta property="og:title" content="{esc(title)}">
<meta property="article:published_time" content="{iso}">
<link rel="canonical" href="https://newsroom.example.org/news/{stem}">
<style>body{{font-family:sans-serif}} .mission-box{{float:right}}</style>
<script>window.dataLayer=window.dataLayer||[];</script>
</head>
<body>
<header><a href="/" class="logo">Orbital Agency</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/missions">Missions</a></li><li><a href="/launches">Launches</a></li><li><a href="/media">Media</a></li><li><a href="/contacts">Contacts</a></li></ul></nav>
<form role="search"><label>Search <input name="q"></label><button>Find</button></form>
</header>
{box}
<main>
<article>
<h1>{esc(title)}</h1>
<time datetime="{iso}">{en_date(date)}</time>
{body}
<div class="share-bar">Share Tweet Email</div>
</article>
<nav class="pager"><p><a href="#prev">Previous Article</a></p><p>{esc(prev_title)}</p><p><a href="#next">Next Article</a></p><p>{esc(next_title)}</p></nav>
<section class="comments"><h2>Write a Comment</h2><p>You must be signed in to leave a comment.</p></section>
</main>
<aside class="launch-ticker"><h3>Launches</h3><ul>{''.join(items)}</ul></aside>
{cal}
<footer><p>Orbital Agency Newsroom is a made-up site of korolev's sample corpus.</p><p>Subscribe to our newsletter</p></footer>
</body>
</html>
"""


# ---------------------------------------------------------------- news HTML

def news_page(i, a, prev_title, next_title, related):
    stem, _, date, time, author, title, paras = a
    iso = f"{date}T{time or '12:00'}:00Z"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title, "datePublished": iso,
          "author": {"@type": "Person", "name": author}, "publisher": {"@type": "Organization", "name": "Low Orbit Daily"}}
    body = "".join(f"<p>{esc(p)}</p>" for p in paras)
    rel = "".join(f"<li><a href=\"/story/{k}\">{esc(t)}</a></li>" for k, t in related)
    return f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} - Low Orbit Daily</title>
<meta property="og:title" content="{esc(title)}">
<meta property="og:site_name" content="Low Orbit Daily">
<meta property="og:image" content="https://lowobitdaily.example.com/img/{stem}.jpg">
<meta name="author" content="{esc(author)}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head>
<body>
<div class="cookie-banner">We use cookies to keep you signed in. <button>Accept</button></div>
<nav class="topnav"><a href="/">Home</a> <a href="/launches">Launches</a> <a href="/station">Station</a> <a href="/opinion">Opinion</a></nav>
<div class="breadcrumb">Home › Station › Crew</div>
<article class="story">
<h1>{esc(title)}</h1>
<p class="byline">By <span class="author">{esc(author)}</span></p>
<p class="dateline"><time datetime="{iso}">{en_date(date)}</time></p>
<div class="share">Share Tweet Email</div>
{body}
<p class="tags">Tags: <a href="/t/iss">ISS</a> <a href="/t/crew">Crew</a></p>
</article>
<aside class="related"><h2>Related stories</h2><ul>{rel}</ul></aside>
<section class="comments"><h2>Comments (2)</h2>
<div class="comment"><p>Great coverage, thanks!</p></div><div class="comment"><p>When is the next launch?</p></div>
<p>Leave a comment</p></section>
<footer class="site-footer"><p>Low Orbit Daily is a made-up site of korolev's sample corpus.</p><p>Newsletter · RSS · Contact</p></footer>
</body>
</html>
"""


# ---------------------------------------------------------------- Russian pages

def ru_box_and_ticker(date):
    lines_box, lines_ticker = [], []
    exp = expedition_at(date)
    if exp:
        n, cdr, fes = exp
        lines_box = [f"Экспедиция МКС-{n}", "Экипаж МКС:", "Командир -", RU.get(cdr, cdr), "Бортинженеры:"] + [RU.get(f, f) for f in fes]
    done, planned = ticker(date)
    kind = lambda sc: "ТГК" if sc.startswith("Progress") else ("ТПК" if sc.startswith("Soyuz") else "КА")
    for (ld, lv, sc), _ in planned:
        ly, lm, _ = ymd(ld)
        lines_ticker += [f"{MONTHS_RU_NOM[lm-1]} {ly}", f"Пуск РН «{RU.get(lv, lv)}» с {kind(sc)} «{ru_craft(sc)}» запланирован"]
    for (ld, lv, sc), _ in done:
        lines_ticker += [ru_date(ld), f"Пуск РН «{RU.get(lv, lv)}» с {kind(sc)} «{ru_craft(sc)}» состоялся"]
    return lines_box, lines_ticker


def ru_html(a, charset, prev_title):
    stem, _, date, time, author, title, paras = a
    y, m, d = ymd(date)
    box, tick = ru_box_and_ticker(date)
    box_html = "<div class=\"sidebar\">" + "".join(f"<p>{esc(l)}</p>" for l in box) + "</div>"
    tick_html = "<div class=\"launches\">" + "".join(f"<p>{esc(l)}</p>" for l in tick) + "</div>"
    grid = month_grid(y, m, "Пн Вт Ср Чт Пт Сб Вс", nbsp=False)
    cal = "<div class=\"archive\"><p>Архив новостей</p>" + f"<p>{MONTHS_RU_NOM[m-1]} {y}</p>" + "".join(f"<p>{r}</p>" for r in grid) + "</div>"
    body = "".join(f"<p>{esc(p)}</p>" for p in paras)
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{esc(title)} :: Космический вестник</title>
</head>
<body>
<table width="100%"><tr><td class="menu"><a href="/">Главная</a> | <a href="/news">Новости</a> | <a href="/mks">МКС</a> | <a href="/pusk">Пуски</a></td></tr></table>
<table width="100%"><tr>
<td valign="top" width="25%">{box_html}{tick_html}</td>
<td valign="top">
<div class="content">
<h1>{esc(title)}</h1>
<div class="date">{ru_date(date)}{' ' + time if time else ''}</div>
{body}
<p>Поделиться</p>
<p>Предыдущая новость</p><p>{esc(prev_title)}</p>
<p>Оставить комментарий</p>
</div>
</td>
<td valign="top" width="20%">{cal}</td>
</tr></table>
<div class="footer">© Космический вестник — вымышленный сайт учебного корпуса korolev</div>
</body>
</html>
"""


def ru_text(a):
    stem, _, date, time, author, title, paras = a
    y, m, d = ymd(date)
    box, tick = ru_box_and_ticker(date)
    out = box + ["", "", title, "", ru_date(date), ""]
    for p in paras:
        out += [p, ""]
    out += tick + ["", "Архив новостей", f"{MONTHS_RU_NOM[m-1]} {y}"] + month_grid(y, m, "Пн Вт Ср Чт Пт Сб Вс")
    return "\n".join(out)


def koi8(text):
    """KOI8-R has no guillemets or dashes: old Russian sites wrote plain quotes and hyphens."""
    for a, b in (("«", '"'), ("»", '"'), ("—", "-"), ("·", "-")):
        text = text.replace(a, b)
    return text.encode("koi8_r")


def main():
    root = os.path.join(os.path.dirname(__file__), "..", "corpus")
    for entry in os.listdir(root) if os.path.isdir(root) else []:
        path = os.path.join(root, entry)
        if os.path.isdir(path):
            shutil.rmtree(path)
    written = 0
    for i, a in enumerate(ARTICLES):
        stem, style, date = a[0], a[1], a[2]
        prev_title = ARTICLES[i - 1][5] if i > 0 else ARTICLES[-1][5]
        next_title = ARTICLES[(i + 1) % len(ARTICLES)][5]
        related = [(ARTICLES[j][0], ARTICLES[j][5]) for j in (i - 2, i - 1) if j >= 0]
        year_dir = os.path.join(root, date[:4])
        os.makedirs(year_dir, exist_ok=True)
        if style == "txt":
            data, ext = txt_page(i, a, prev_title, next_title).encode("utf-8"), "txt"
        elif style == "agency":
            data, ext = agency_page(i, a, prev_title, next_title).encode("utf-8"), "html"
        elif style == "news":
            data, ext = news_page(i, a, prev_title, next_title, related).encode("utf-8"), "html"
        elif style == "ru1251":
            data, ext = ru_html(a, "windows-1251", prev_title).encode("cp1251"), "html"
        elif style == "rukoi8":
            data, ext = koi8(ru_html(a, "koi8-r", prev_title)), "htm"
        elif style == "rutxt":
            data, ext = koi8(ru_text(a)), "txt"
        else:
            raise SystemExit(f"unknown style {style}")
        with open(os.path.join(year_dir, f"{stem}.{ext}"), "wb") as f:
            f.write(data)
        written += 1
    print(f"wrote {written} pages under corpus/")


if __name__ == "__main__":
    main()

"""Probe 1, privacy: every persona asks for every record URL; outside the person's circle the
answer is the one a record that does not exist gets, and a teen's private answers show to no
one but the care team and the teen."""

from __future__ import annotations

import os
import re
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from bench.load import Session
from bench.security.client import (
    THREADS,
    Probe,
    Reply,
    Seen,
    call,
    first_difference,
    form_body,
    persona_session,
    same,
    timed,
)
from bench.security.deployment import Deployment, catalogue
from bench.security.pages import Crawl, page_text

IN_CIRCLE = 2  # pages of each kind read inside a person's circle, beyond the followed child's
SECRET = uuid.uuid4().hex[:10]
PRIVATE_NOTE = f"privatenote{SECRET}"  # no spaces or hyphens: a PDF's line breaks keep it whole
PRIVATE_WIN = f"privatewin{SECRET}"
FAMILY = ("guardian", "teen")
READ_AS = {"application/pdf": "PDFs", "application/zip": "zip files"}


def sign_in_everyone(base: str, usernames: list[str], crawl: Crawl) -> None:
    with ThreadPoolExecutor(THREADS) as pool:
        for username, session in zip(
            usernames, pool.map(lambda u: persona_session(base, u), usernames), strict=True
        ):
            crawl.sessions[username] = session


def write_private_entry(session: Session, patient: int) -> Reply:
    """Today's diary by the teen: mood at its lowest (a safety answer), what they did and their
    win, all three kept from their guardians."""
    answers = [
        ("activity", "2"),
        ("activity_note", PRIVATE_NOTE),
        ("school", "9"),
        ("sleep_hours", "8"),
        ("sleep_quality", "2"),
        ("mood", "0"),
        ("home_program", "1"),
        ("win", PRIVATE_WIN),
        ("private_fields", "mood"),
        ("private_fields", "activity_note"),
        ("private_fields", "win"),
        ("idempotency_key", str(uuid.uuid4())),
    ]
    return call(session, "POST", f"/patients/{patient}/diary/", form_body(session, answers))


def clinic_pages(private: int) -> list[str]:
    today = time.strftime("%Y-%m-%d")
    return [
        f"/outcomes/?start=2020-01-01&end={today}",
        f"/outcomes/export.zip?start=2020-01-01&end={today}",
        "/",
        "/clinic/",
        "/clinic/?show=clinic",
        "/clinic/?show=clinic&flag=safety",
        "/family/",
        "/account/",
        "/manage/audit/",
        f"/manage/audit/?patient={private}",
        "/manage/families/",
        "/manage/staff/",
        "/outcomes/",
        "/outcomes/export.zip",
        "/learn/",
    ]


def crawl_as(persona: dict, cat: dict, private: int, sees: set[str], crawl: Crawl) -> Seen:
    name, kind = persona["username"], persona["kind"]
    role = persona["roles"][0] if persona["roles"] else kind
    if persona["clinic"] != cat["home_clinic"]:
        role = "other clinic " + role
    session = crawl.sessions[name]
    circle = set(persona["circle"])
    seen = Seen()
    taken: Counter = Counter()

    secrets = [PRIVATE_NOTE, PRIVATE_WIN, *(u["url"] for u in cat["urls"] if u["only"])]

    def look(method: str, url: str, reply: Reply) -> None:
        if reply.status >= 500 or reply.status == 0:
            where = f"{method} {re.sub(r'[0-9]+', 'N', url)} answered {reply.status}"
            seen.errors.setdefault(where, []).append(name)
        if name not in sees and reply.status == 200:
            text = page_text(reply)
            what = READ_AS.get(reply.content_type.split(";")[0], "pages")
            seen.counts[f"{what} searched for private answers"] += 1
            leaked = [s for s in secrets if s in text]
            if leaked:
                seen.holes.append(f"{name}: {method} {url} shows the teen's private {leaked}")
        crawl.saw(name, url, reply)

    ghosts: dict[str, tuple[Reply, Reply | None]] = {}
    for route, url in cat["ghosts"].items():
        get = call(session, "GET", url)
        post = call(session, "POST", url, form_body(session, {})) if get.status == 405 else None
        ghosts[route] = (get, post)
        if not 400 <= get.status < 500 or (post is not None and not 400 <= post.status < 500):
            seen.holes.append(f"{name}: {url} (no such record) answered {get.status}")
    for u in cat["urls"]:
        patient, url = u["patient"], u["url"]
        inside = patient in circle if patient else u["clinic"] == persona["clinic"]
        if u["only"] is not None and name not in u["only"]:
            inside = False
        route = (
            f"{u['name']}:{url.rsplit('/', 1)[-1][:-4]}" if u["name"] == "report_pdf" else u["name"]
        )
        if inside and patient != private:
            # Inside the circle every page of the followed child is read; of the others, the
            # first IN_CIRCLE of each kind (and no PDF: each takes half a second to draw).
            taken[route] += 1
            if taken[route] > IN_CIRCLE or u["name"] == "report_pdf":
                continue
        reply = call(session, "GET", url)
        look("GET", url, reply)
        if inside:
            seen.matrix.setdefault((route, role), Counter())[reply.status] += 1
            seen.counts["answers inside the circle"] += 1
            continue
        if u["clinic"] != persona["clinic"]:
            category = "cross-clinic reads refused"
        elif patient in circle:
            category = "private-alert reads refused"
        else:
            category = "cross-family reads refused" if kind in FAMILY else "off-team reads refused"
        get, post = ghosts[u["name"]]
        answers = [(reply, get, "GET")]
        if post is not None:
            answers.append((call(session, "POST", url, form_body(session, {})), post, "POST"))
        for mine, ghost, method in answers:
            if not same(mine, ghost):
                # A flash message left by the page before shows once: ask both again.
                body = form_body(session, {}) if method == "POST" else ""
                mine = call(session, method, url, body)
                ghost = call(session, method, cat["ghosts"][u["name"]], body)
            if not same(mine, ghost):
                seen.holes.append(
                    f"{name} ({role}): {method} {url} answered {mine.status}, a record that does "
                    f"not exist {ghost.status}{first_difference(mine.body, ghost.body)}"
                )
            else:
                seen.counts[category] += 1
    for url in clinic_pages(private):
        look("GET", url, call(session, "GET", url))
    return seen


def privacy(base: str, deployment: Deployment, crawl: Crawl, sample: int) -> Probe:
    probe = Probe("privacy")
    with timed(probe):
        private, teen = deployment.seeded["private_patient"], deployment.seeded["private_teen"]
        sign_in_everyone(base, [teen], crawl)
        written = write_private_entry(crawl.sessions[teen], private)
        if written.status != 302:
            raise RuntimeError(f"the teen's private entry was not saved: {written.status}")
        cat = crawl.cat = catalogue(deployment, sample)
        cat["home_clinic"] = next(
            p["clinic"] for p in cat["personas"] if p["username"] == "demo-admin"
        )
        missing = [p["username"] for p in cat["personas"] if p["username"] not in crawl.sessions]
        sign_in_everyone(base, missing, crawl)
        sees = set(cat["team"][str(private)]) | {teen}
        # The control: the care team does read the private answers (else nothing is proven).
        lead = crawl.sessions[sorted(cat["team"][str(private)])[0]]
        shown = call(lead, "GET", f"/patients/{private}/diary/calendar/").body.decode()
        if PRIVATE_NOTE not in shown or PRIVATE_WIN not in shown:
            probe.hole("control: the care team does not see the teen's private answers")
        with ThreadPoolExecutor(THREADS) as pool:
            parts = list(
                pool.map(lambda p: crawl_as(p, cat, private, sees, crawl), cat["personas"])
            )
        matrix: dict[tuple[str, str], Counter] = {}
        errors: dict[str, list[str]] = {}
        for part in parts:
            for key, n in part.counts.items():
                probe.count(key, n)
            probe.holes.extend(part.holes)
            for cell, statuses in part.matrix.items():
                matrix.setdefault(cell, Counter()).update(statuses)
            for where, names in part.errors.items():
                errors.setdefault(where, []).extend(names)
        for where, names in errors.items():
            names.sort()
            more = ", ..." if len(names) > 4 else ""
            probe.hole(f"{where} to {len(names)} personas ({', '.join(names[:4])}{more})")
        probe.notes.append(
            f"{len(cat['personas'])} personas x {len(cat['urls'])} record URLs "
            f"({len(cat['ghosts'])} URL patterns; not record-scoped: {len(cat['skipped'])})"
        )
        if os.environ.get("PROBE_MATRIX"):
            for (route, role), statuses in sorted(matrix.items()):
                print(f"  {route:32} {role:32} {dict(statuses)}")
        wrong_role(probe, matrix)
        probe.counts = dict(sorted(probe.counts.items(), key=lambda kv: -kv[1]))
    return probe


NOT_CLINICAL = ("clinic_admin", "guardian", "teen")
STAFF = ("physical_therapist", "occupational_therapist", "counselor", "physician", "coordinator")
# Pages a role may not read, from the permission table (docs/permissions.md): the page, and the
# roles without the permission it asks for. Anyone else in the circle gets the page.
WRONG_ROLE = {
    "patient_edit": NOT_CLINICAL,  # patient_edit
    "episode_open": NOT_CLINICAL,  # episode_open
    "goal_edit": NOT_CLINICAL,  # goal_edit
    "session_list": NOT_CLINICAL,  # session_view
    "session_detail": NOT_CLINICAL,
    "care_plan": NOT_CLINICAL,  # care_plan_edit
    "discharge": NOT_CLINICAL,
    "episode_measures": NOT_CLINICAL,  # measure_view
    "access_log": ("teen",),  # access_log_view
    "diary_today": (*STAFF, "clinic_admin"),  # diary_write
    "school_plan": ("clinic_admin", "teen"),  # report_export; guardians approve it
    "report_pdf:family": ("clinic_admin", "teen"),  # guardians print the family report
    "report_pdf:physician": NOT_CLINICAL,  # report_export
    "report_pdf:school": NOT_CLINICAL,
    "report_pdf:discharge": NOT_CLINICAL,
    "staff_detail": (*STAFF, "guardian", "teen"),  # staff_manage
}


def wrong_role(probe: Probe, matrix: dict[tuple[str, str], Counter]) -> None:
    """Inside the circle, a role without the page's permission gets 403, and never the page."""
    for (route, role), statuses in sorted(matrix.items()):
        if role.removeprefix("other clinic ") not in WRONG_ROLE.get(route, ()):
            continue
        if set(statuses) - {403}:
            probe.hole(f"{role} on {route}: answers {dict(statuses)}, not 403")
        else:
            probe.count("wrong-role reads refused (403)", statuses[403])

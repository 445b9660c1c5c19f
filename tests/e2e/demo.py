"""The main scenario on real input, through the gateway's portal API, as a browser would do it
(cookies and the CSRF token; logins through identity and the stand-in IdP). Run it with the
stack up:

    make demo        # or: .venv/bin/python tests/e2e/demo.py

It prints what happens at each step and exits non-zero, naming the step, when one fails.
The test people of the stand-in IdP are fixed (one KvK number), so a second run continues
with what the first one left: the organisation, its members and the published advisory.
tests/e2e/test_main_scenario.py runs the same steps and asserts on what `run()` returns.
"""
from __future__ import annotations

import html
import importlib.util
import json
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[2]

KVK = "12345678"  # Waterbedrijf Voorbeeld N.V., as the stand-in IdP's eHerkenning says
ANNA = "drinkwater-beheerder"   # eHerkenning EH2+ (loa2plus)
BRAM = "drinkwater-collega"     # eHerkenning EH3 (loa3)
GIJS = "csirt-coordinator"      # SSOnRijk, CSIRT admin (identity's CSIRT_ADMIN_EMAILS)
EVA = "csirt-analist"           # SSOnRijk, CSIRT staff without roles until the admin gives them
EMAILS = {ANNA: "anna.devries@drinkwater.example.nl", BRAM: "bram.jansen@drinkwater.example.nl",
          GIJS: "gijs.mulder@csirt.example.nl", EVA: "eva.smit@csirt.example.nl"}
GROUP_MAILBOX = "csirt-meldingen@drinkwater.example.nl"
FEED = "scan_log4shell_vulnerable"
APPROVED_ADVISORY = "cisco-sa-20180328-smi2.json"  # no TLP in the document: the editor chooses AMBER

REGISTRATION = {
    "sector": "drinking_water",
    "kvk_number": KVK,
    "rsin": "111222333",
    "legal_name": "Waterbedrijf Voorbeeld N.V.",
    "visiting_address": {"street": "Bezuidenhoutseweg", "house_number": "12", "postal_code": "2594 AV",
                         "city": "Den Haag", "country": "NL"},
    "email": "info@drinkwater.example.nl",
    "phone": "070 123 4567",
    "security_contact": {"phone_24x7": "+31 6 1234 5678", "email": "soc@drinkwater.example.nl"},
    "incident_official": {"name": "Anna de Vries", "email": EMAILS[ANNA], "phone": "+31 70 765 4321"},
    "group_mailbox": GROUP_MAILBOX,
    "member_states": ["NL"],
    "size": {"employees": 900, "annual_turnover_eur": "300000000", "balance_sheet_total_eur": "1200000000"},
}

#: What each mail is, by its subject (Dutch or English, as the person's language has it).
MAIL_KINDS = [
    ("invitation", r"Uitnodiging|Invitation"),
    ("role usable", r"nu te gebruiken|can now be used"),
    ("role granted", r"rol .* gekregen|given the role"),
    ("incident received", r"^(Melding|Report) \S+ (ontvangen|received)"),
    ("stage received", r"(voor|for) \S+ (ontvangen|received)"),
    ("new advisory", r"^(Nieuw|New) "),
    ("findings", r"bevinding|finding"),
]


class StepFailed(Exception):
    pass


def load_stack():
    spec = importlib.util.spec_from_file_location("weerbaar_stack", ROOT / "deploy/local/weerbaar_stack.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("weerbaar_stack", module)
    spec.loader.exec_module(module)
    return module


def shared_data(*parts: str) -> Path:
    """shared/data beside the repository (as weerbaar_platform.testing.shared_data finds it)."""
    from weerbaar_platform.testing import shared_data as find
    return find(*parts)


@dataclass
class Urls:
    gateway: str
    idp: str
    mailbox: str

    @classmethod
    def of_local_stack(cls) -> "Urls":
        stack = load_stack()
        return cls(gateway=f"http://127.0.0.1:{stack.SERVICE_PORTS['gateway']}",
                   idp=f"http://127.0.0.1:{stack.IDP_PORT}",
                   mailbox=f"http://127.0.0.1:{stack.MAILBOX_HTTP_PORT}")


def _page_text(body: str, limit: int = 400) -> str:
    text = re.sub(r"(?s)<(script|style|head).*?</\1>", " ", body)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())[:limit]


def _errors(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return _page_text(resp.text)
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        return "; ".join(f"{e.get('field')}: {e.get('message_en') or e.get('code')}" for e in errors)
    return json.dumps(body)[:400]


class Browser:
    """One person's browser: a cookie jar, the session's CSRF token, the portal API."""

    def __init__(self, urls: Urls, hint: str, idp: str):
        self.urls, self.hint, self.idp = urls, hint, idp
        self.http = httpx.Client(timeout=60, follow_redirects=False)
        self.session: dict[str, Any] = {}

    def close(self) -> None:
        self.http.close()

    def login(self) -> dict[str, Any]:
        """Login choice -> identity -> the stand-in IdP (login_hint picks the person) -> identity
        -> the gateway's callback, which sets the session cookie."""
        self.http.cookies.clear()
        url = f"{self.urls.gateway}/login/{self.idp}"
        for _ in range(12):
            if url.startswith(self.urls.idp) and "/authorize" in url and "login_hint=" not in url:
                url += f"&login_hint={self.hint}"
            resp = self.http.get(url)
            if resp.status_code not in (302, 303, 307):
                raise StepFailed(f"login of {self.hint} stopped at {urlsplit(url).path} with "
                                 f"{resp.status_code}: {_page_text(resp.text)}")
            url = urljoin(str(resp.url), resp.headers["location"])
            if urlsplit(str(resp.url)).path == "/login/callback":
                break
        else:
            raise StepFailed(f"login of {self.hint} did not come back to the gateway")
        self.session = self.call("GET", "/api/session")
        return self.session

    def refresh(self, organisation_id: str) -> dict[str, Any]:
        """Act for the organisation again: the gateway fetches fresh tokens, so roles that became
        usable since the login show."""
        self.session = self.call("POST", "/api/session/organisation", json={"organisation_id": organisation_id})
        return self.session

    def request(self, method: str, path: str, **kw) -> httpx.Response:
        headers = dict(kw.pop("headers", None) or {})
        if method != "GET":
            headers["X-CSRF-Token"] = self.session.get("csrf_token", "")
        return self.http.request(method, self.urls.gateway + path, headers=headers, **kw)

    def call(self, method: str, path: str, *, ok=(200, 201, 204), **kw) -> Any:
        resp = self.request(method, path, **kw)
        if resp.status_code not in ok:
            raise StepFailed(f"{method} {path} answered {resp.status_code}: {_errors(resp)}")
        return None if resp.status_code == 204 else resp.json()


def wait_for(what: str, check: Callable[[], Any], timeout: float, every: float = 1.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise StepFailed(f"{what}: not within {timeout:.0f} s")
        time.sleep(every)


@dataclass
class Outcome:
    """What happened, for the printout and for the test's assertions."""
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    organisation_id: str | None = None
    registered_now: bool = False
    classification: dict[str, Any] = field(default_factory=dict)
    invited_now: bool = False
    roles_granted_now: list[tuple[str, str]] = field(default_factory=list)  # (person, role)
    upload: dict[str, Any] = field(default_factory=dict)
    incident: dict[str, Any] = field(default_factory=dict)
    advisories: dict[str, Any] = field(default_factory=dict)   # file -> answer (status, body)
    approved: dict[str, Any] = field(default_factory=dict)
    reader_sees: list[str] = field(default_factory=list)
    dashboard: dict[str, Any] = field(default_factory=dict)
    published_now: bool = False
    feed_run: dict[str, Any] = field(default_factory=dict)
    findings: dict[str, Any] = field(default_factory=dict)
    mails: list[dict[str, Any]] = field(default_factory=list)

    def expected_mails(self) -> list[tuple[str, str]]:
        """(recipient, kind) that this run's actions must have caused."""
        want = [(EMAILS[ANNA], "incident received"), (EMAILS[BRAM], "findings")]
        if self.invited_now:
            want.append((EMAILS[BRAM], "invitation"))
        for person, _role in self.roles_granted_now:
            want += [(EMAILS[person], "role granted"), (EMAILS[person], "role usable")]
        if self.published_now:
            want += [(EMAILS[ANNA], "new advisory"), (EMAILS[BRAM], "new advisory")]
        return want


def kind_of(subject: str) -> str:
    return next((kind for kind, pattern in MAIL_KINDS if re.search(pattern, subject)), "other")


class Scenario:
    def __init__(self, urls: Urls, say: Callable[[str], None] = print, role_wait: float = 90):
        self.urls, self.say, self.role_wait = urls, say, role_wait
        self.out = Outcome()
        self.browsers: list[Browser] = []

    def browser(self, hint: str, idp: str) -> Browser:
        b = Browser(self.urls, hint, idp)
        self.browsers.append(b)
        return b

    def step(self, title: str) -> None:
        self.say("")
        self.say(f"== {title}")

    # ------------------------------------------------------------------ the steps

    def run(self) -> Outcome:
        try:
            anna = self.login_anna()
            org = self.register(anna)
            bram = self.invite_colleague(anna, org)
            self.upload_networks(bram, org)
            self.report_incident(anna, org)
            gijs, eva = self.staff_roles()
            self.publish_advisories(eva, gijs, anna)
            self.run_feed(eva, bram, org)
            self.dashboard(anna)
            self.list_mails()
        finally:
            for b in self.browsers:
                b.close()
        return self.out

    def login_anna(self) -> Browser:
        self.step("1. A person of a drinking-water company logs in with eHerkenning at EH2+")
        anna = self.browser(ANNA, "eherkenning")
        s = anna.login()
        self.say(f"Logged in: {s['name']} <{s['email']}> (stand-in IdP person '{ANNA}', level loa2plus = EH2+)")
        orgs = ", ".join(o["name"] for o in s["organisations"]) or "none yet"
        self.say(f"Organisations: {orgs}; session cookie is HttpOnly, state changes carry X-CSRF-Token")
        return anna

    def register(self, anna: Browser) -> str:
        self.step("2. She registers the company")
        s = anna.session
        if s["organisations"]:
            org = s["acting_organisation_id"] or s["organisations"][0]["id"]
            self.say(f"Already registered by an earlier run: continuing with organisation {org}")
        else:
            resp = anna.request("POST", "/api/organisations", json=REGISTRATION)
            if resp.status_code != 201:
                raise StepFailed(f"registration refused ({resp.status_code}): {_errors(resp)}")
            org = resp.json()["id"]
            self.out.registered_now = True
            self.say(f"Registered '{REGISTRATION['legal_name']}' (KvK {KVK}, sector drinking_water, 900 employees): "
                     f"organisation {org}")

            # identity makes her the organisation's first people admin when it hears of the
            # registration (an event); a new login then acts for the organisation.
            def joined():
                fresh = anna.login()
                return any(o["id"] == org for o in fresh["organisations"])
            wait_for("identity making her a member of the new organisation", joined, 30, every=1.5)
            self.say(f"Logged in again: acting for it with roles {', '.join(anna.session['roles'])}")
        self.out.organisation_id = org
        if anna.session["acting_organisation_id"] != org:
            anna.refresh(org)
        entry = anna.call("GET", f"/api/organisations/{org}")
        c = entry["classification"]
        self.out.classification = c
        self.say(f"Classification: {c['final'].upper()} ({c.get('final_label_nl')}), size class {c['size_class']}")
        for i, reason in enumerate(c.get("reasoning") or [], 1):
            self.say(f"  {i}. {reason.get('text_en') or reason}  [{reason.get('reference', '')}]")
        return org

    def invite_colleague(self, anna: Browser, org: str) -> Browser:
        self.step("3. She invites a colleague and makes him network-data admin (beheerder_netwerk)")
        members = anna.call("GET", f"/api/organisations/{org}/members")
        bram_member = _member(members, EMAILS[BRAM])
        if bram_member is None:
            open_ones = anna.call("GET", f"/api/organisations/{org}/invitations")
            if any(i.get("email") == EMAILS[BRAM] and i.get("status") not in ("accepted", "withdrawn", "expired")
                   for i in open_ones["invitations"]):
                self.say(f"An invitation for {EMAILS[BRAM]} is still open from an earlier run")
            else:
                inv = anna.call("POST", f"/api/organisations/{org}/invitations",
                                json={"email": EMAILS[BRAM], "roles": ["gebruiker"]})
                self.out.invited_now = True
                self.out.roles_granted_now.append((BRAM, "gebruiker"))
                self.say(f"Invited {EMAILS[BRAM]} as gebruiker (invitation {inv.get('id', '')}); "
                         "he gets an invitation mail")
        else:
            self.say(f"{EMAILS[BRAM]} is already a member (earlier run)")

        self.say("The colleague logs in with eHerkenning (EH3) for the same KvK number: the invitation is accepted")
        bram = self.browser(BRAM, "eherkenning")
        s = bram.login()
        if not any(o["id"] == org for o in s["organisations"]):
            raise StepFailed(f"{s['name']} is not a member of the organisation after logging in")
        self.say(f"{s['name']} now acts for the organisation; usable roles now: {', '.join(s['roles']) or 'none yet'}")

        members = anna.call("GET", f"/api/organisations/{org}/members")
        bram_member = _member(members, EMAILS[BRAM])
        if bram_member is None:
            raise StepFailed("the colleague does not show among the members")
        if "beheerder_netwerk" not in _role_names(bram_member):
            grant = anna.call("POST", f"/api/organisations/{org}/members/{_person_id(bram_member)}/roles",
                              json={"role": "beheerder_netwerk"})
            self.out.roles_granted_now.append((BRAM, "beheerder_netwerk"))
            self.say(f"Anna gave him beheerder_netwerk; usable from {grant.get('usable_from')} "
                     "(a delay, so a role given by someone else cannot be used at once)")
        else:
            self.say("He already has beheerder_netwerk (earlier run)")

        def usable():
            return "beheerder_netwerk" in bram.refresh(org)["roles"]
        t0 = time.monotonic()
        wait_for("beheerder_netwerk becoming usable (is identity running with the local stack's short "
                 "ROLE_ACTIVATION_DELAY_SECONDS? restart it to pick the setting up)", usable, self.role_wait, every=2)
        self.say(f"After {time.monotonic() - t0:.0f} s his roles are: {', '.join(bram.session['roles'])}")
        return bram

    def upload_networks(self, bram: Browser, org: str) -> None:
        self.step("4. The colleague uploads upload_networks_tricky.txt and reads the per-line report")
        path = shared_data("netdata", "upload_networks_tricky.txt")
        resp = bram.request("POST", f"/api/organisations/{org}/netdata/uploads", content=path.read_bytes(),
                            params={"partial": "true", "filename": path.name},
                            headers={"Content-Type": "text/plain"})
        if resp.status_code != 200:
            raise StepFailed(f"upload answered {resp.status_code}: {_errors(resp)}")
        body = resp.json()
        self.out.upload = body
        report = body["report"]
        self.say(f"{len(report['outcomes'])} lines read ({report['format']}); per outcome: "
                 + ", ".join(f"{k} {v}" for k, v in report["summary"].items()))
        self.say(f"Applied: {body['applied']}, set version {body.get('set_version')}, "
                 f"added {len(body.get('change', {}).get('added', []))} value(s)")
        for o in report["outcomes"][:27]:
            if o.get("line") in (1, 2, 4, 7, 10, 11, 17, 19, 21, 23):
                why = [n["message_en"] for n in o["warnings"] + ([o["refusal"]] if o["refusal"] else [])]
                self.say(f"  line {o['line']:>2} {o['input']!r:>26} -> {o['status']:<10} "
                         f"{', '.join(o['values'])}  {'; '.join(why)}"[:220])

    def report_incident(self, anna: Browser, org: str) -> None:
        self.step("5. Anna reports an incident: early warning, then notification, with the deadlines")
        aware = (datetime.now(timezone.utc) - timedelta(hours=2)).replace(microsecond=0)
        inc = anna.call("POST", f"/api/organisations/{org}/incidents",
                        json={"title": "Storing in de besturing van pompstation Oost (demo)",
                              "became_aware_at": aware.isoformat()})
        self.say(f"Opened {inc['reference']} (became aware {inc['became_aware_at']}, "
                 f"{inc['became_aware_at_local']} Europe/Amsterdam); statutory: {inc['statutory']}")
        self._deadlines(inc)
        contact = {"name": "Anna de Vries", "email": EMAILS[ANNA], "phone": "+31 70 765 4321"}
        stages = [
            ("early_warning", {"suspected_malicious": "unknown", "cross_border_impact": "no", "contact": contact,
                               "summary": "Pumps stopped responding to the control system."}),
            ("notification", {"initial_assessment": "Ransomware on an engineering workstation; OT network isolated.",
                              "severity": "high", "impact": "One pumping station on manual control for 6 hours.",
                              "indicators_of_compromise": [{"type": "ipv4", "value": "203.0.113.66"}]}),
        ]
        for stage, data in stages:
            anna.call("POST", f"/api/organisations/{org}/incidents/{inc['id']}/stages/{stage}", json={"data": data})
            inc = anna.call("GET", f"/api/organisations/{org}/incidents/{inc['id']}")
            self.say(f"Submitted the {stage.replace('_', ' ')}; next possible: {', '.join(inc['stages_possible'])}")
            self._deadlines(inc)
        self.out.incident = inc

    def _deadlines(self, inc: dict) -> None:
        for d in inc["deadlines"]:
            state = "open" if d["open"] else f"met at {d['closed_at']}"
            if d["missed"]:
                state += ", MISSED"
            self.say(f"  deadline {d['kind']:<14} due {d['due']} UTC = {d['due_local']} {d['zone']}  ({state})")

    def staff_roles(self) -> tuple[Browser, Browser]:
        self.step("6. CSIRT staff: the CSIRT admin gives two staff members their editor and analyst roles")
        gijs = self.browser(GIJS, "ssonrijk")
        g = gijs.login()
        csirt = g["acting_organisation_id"]
        self.say(f"{g['name']} logs in with SSOnRijk: CSIRT admin ({', '.join(g['roles'])}), organisation {csirt}")
        eva = self.browser(EVA, "ssonrijk")
        e = eva.login()
        self.say(f"{e['name']} logs in with SSOnRijk: CSIRT staff, roles now: {', '.join(e['roles']) or 'none'}")
        want = {EVA: ["redacteur", "analist"], GIJS: ["redacteur"]}
        members = gijs.call("GET", f"/api/organisations/{csirt}/members")
        for hint, roles in want.items():
            member = _member(members, EMAILS[hint])
            if member is None:
                raise StepFailed(f"{EMAILS[hint]} is not a member of the CSIRT after logging in")
            for role in roles:
                if role in _role_names(member):
                    continue
                grant = gijs.call("POST", f"/api/organisations/{csirt}/members/{_person_id(member)}/roles",
                                  json={"role": role})
                self.out.roles_granted_now.append((hint, role))
                self.say(f"Gave {member.get('name', hint)} the role {role}, usable from {grant.get('usable_from')}")
        t0 = time.monotonic()
        for browser, hint in ((eva, EVA), (gijs, GIJS)):
            wait_for(f"the roles of {hint} becoming usable (is identity running with the local stack's "
                     "short ROLE_ACTIVATION_DELAY_SECONDS? restart it to pick the setting up)",
                     lambda b=browser, h=hint: set(want[h]) <= set(b.refresh(csirt)["roles"]), self.role_wait, every=2)
        self.say(f"After {time.monotonic() - t0:.0f} s: {e['name']}: {', '.join(eva.session['roles'])}; "
                 f"{g['name']}: {', '.join(gijs.session['roles'])}")
        return gijs, eva

    def publish_advisories(self, eva: Browser, gijs: Browser, anna: Browser) -> None:
        self.step("7. An editor ingests the four CSAF advisories; a second editor approves one at TLP:AMBER")
        approved_id = None
        for path in sorted(shared_data("csaf").glob("*.json")):
            # As a browser's form sends it (multipart), so the refusal record keeps the file name.
            resp = eva.request("POST", "/api/csirt/advisories",
                               files={"file": (path.name, path.read_bytes(), "application/json")})
            body = resp.json() if resp.headers.get("content-type", "").startswith("application/json") else {}
            self.out.advisories[path.name] = {"status": resp.status_code, "body": body}
            if resp.status_code == 201:
                self.say(f"{path.name}: taken in as draft {body['tracking_id']} v{body['csaf_version']}, "
                         f"TLP:{body['tlp']}{' (configured default: the document has none)' if body['tlp_defaulted'] else ''}"
                         f", {len(body.get('affected') or [])} affected product(s)")
            elif resp.status_code == 422 and body.get("failed_tests"):
                first = body["errors"][0]
                self.say(f"{path.name}: REFUSED, failed CSAF test(s) {', '.join(body['failed_tests'])}: "
                         f"{first.get('message_en')} at {first.get('path')}")
            elif resp.status_code == 409:
                self.say(f"{path.name}: known already (earlier run): {_errors(resp)}")
            else:
                raise StepFailed(f"{path.name}: answered {resp.status_code}: {_errors(resp)}")
            if path.name == APPROVED_ADVISORY:
                approved_id = body.get("id") if resp.status_code == 201 else self._find_advisory(eva, path)

        if approved_id is None:
            raise StepFailed(f"{APPROVED_ADVISORY} was not found among the publications")
        current = eva.call("GET", f"/api/publications/{approved_id}")
        if current.get("state") == "published" and current.get("tlp") == "AMBER":
            self.say(f"'{current['title']}' is already published at TLP:AMBER (earlier run)")
        else:
            eva.call("PATCH", f"/api/csirt/publications/{approved_id}",
                     json={"tlp": "AMBER", "audience": {"sectors": ["drinking_water"]}})
            eva.call("POST", f"/api/csirt/publications/{approved_id}/submit", json={})
            self.say(f"{eva.session['name']} set TLP:AMBER for the drinking-water sector and submitted it for review")
            own = eva.request("POST", f"/api/csirt/publications/{approved_id}/approve", json={})
            self.say(f"Approving her own work: {own.status_code} ({_errors(own)}) - four eyes")
            if own.status_code < 400:
                raise StepFailed("the author could approve her own advisory")
            gijs.call("POST", f"/api/csirt/publications/{approved_id}/approve", json={})
            self.out.published_now = True
            self.say(f"{gijs.session['name']} approved it: published")
        self.out.approved = eva.call("GET", f"/api/publications/{approved_id}")
        seen = anna.call("GET", "/api/publications", params={"kind": "advisory"})
        self.out.reader_sees = [i["id"] for i in seen["items"]]
        self.say(f"{anna.session['name']} (drinking water) sees {seen['total']} advisory(ies): "
                 + "; ".join(f"{i['title'][:50]} [TLP:{i['tlp']}]" for i in seen["items"][:4]))
        refusals = eva.call("GET", "/api/csirt/advisories/refusals")
        self.say(f"Refusals on record for the editors: {len(refusals)} "
                 f"(latest failed {', '.join(refusals[0]['failed_tests']) if refusals else '-'})")

    def _find_advisory(self, eva: Browser, path: Path) -> str | None:
        tracking = json.loads(path.read_text())["document"]["tracking"]["id"]
        listing = eva.call("GET", "/api/publications", params={"kind": "advisory", "limit": 200})
        for item in listing["items"]:
            if (item.get("advisory") or {}).get("tracking_id") == tracking:
                return item["id"]
        return None

    def run_feed(self, eva: Browser, bram: Browser, org: str) -> None:
        self.step(f"8. An analyst runs the feed {FEED}.csv against the registered networks")
        path = shared_data("feeds", f"{FEED}.csv")
        run = eva.call("POST", "/api/csirt/feed-runs", content=path.read_bytes(), params={"name": FEED},
                       headers={"Content-Type": "text/csv"})
        self.out.feed_run = run
        self.say("Feed run: " + ", ".join(f"{k} {v}" for k, v in run.items()
                                          if isinstance(v, (int, str)) and k not in ("id", "name")))
        found = bram.call("GET", f"/api/organisations/{org}/netdata/findings")
        self.out.findings = found
        sets = found.get("finding_sets", [])
        self.say(f"The water company sees {len(sets)} finding set(s); newest: "
                 f"{json.dumps(sets[0], ensure_ascii=False)[:300] if sets else '-'}")

    def dashboard(self, anna: Browser) -> None:
        self.step("9. Anna's dashboard: one call composing the services")
        d = anna.call("GET", "/api/dashboard")
        self.out.dashboard = d
        for name in ("registration", "incidents", "advisories", "tasks"):
            part = d[name]
            if part["status"] != "ok":
                self.say(f"  {name}: UNAVAILABLE ({part.get('message_en')})")
                continue
            data = part["data"] or {}
            text = {"registration": lambda: f"classification {data['classification']['final']}",
                    "incidents": lambda: f"{len(data['open'])} open, next deadline "
                                         f"{(data.get('next_deadline') or {}).get('due', '-')}",
                    "advisories": lambda: f"{data['total']} visible, latest "
                                          f"'{data['latest'][0]['title'][:50] if data['latest'] else '-'}'",
                    "tasks": lambda: f"{len(data['items'])} pending task(s)"}[name]
            self.say(f"  {name}: {text()}")

    def list_mails(self, timeout: float = 60) -> None:
        self.step("10. The mails that arrived in the local SMTP server for these people")
        want = self.out.expected_mails()

        def arrived():
            self.out.mails = self._mails()
            have = {(m["to"], m["kind"]) for m in self.out.mails}
            return all(w in have for w in want)
        try:
            wait_for("the expected mails", arrived, timeout, every=2)
        finally:
            for m in self.out.mails:
                self.say(f"  {m['received_at'][11:19]}  {m['to']:<40} [{m['kind']}] {m['subject']}")
        self.say(f"{len(self.out.mails)} mail(s) since the start of this run; all {len(want)} expected ones arrived")

    def _mails(self) -> list[dict[str, Any]]:
        resp = httpx.get(f"{self.urls.mailbox}/api/messages", timeout=10)
        resp.raise_for_status()
        since = self.out.started_at - timedelta(seconds=1)
        mails = []
        for m in resp.json():
            received = datetime.fromtimestamp(m["received_at"], timezone.utc)  # the catcher's epoch seconds
            for to in m["to"]:
                if received >= since and (to in EMAILS.values() or to == GROUP_MAILBOX):
                    mails.append({"to": to, "subject": m["subject"], "kind": kind_of(m["subject"]),
                                  "received_at": received.isoformat()})
        return sorted(mails, key=lambda m: m["received_at"])


def _member(members: Any, email: str) -> dict | None:
    return next((m for m in members["members"] if (m.get("email") or "").lower() == email), None)


def _person_id(member: dict) -> str:
    return member["id"]


def _role_names(member: dict) -> set[str]:
    return {r["role"] for r in member["roles"]}


def main() -> int:
    urls = Urls.of_local_stack()
    try:
        httpx.get(f"{urls.gateway}/readyz", timeout=5).raise_for_status()
    except httpx.HTTPError:
        print(f"The gateway does not answer at {urls.gateway}: start the stack first "
              "(.venv/bin/python deploy/local/weerbaar_stack.py up)", file=sys.stderr)
        return 2
    print(f"Main scenario against {urls.gateway} (IdP {urls.idp}, mail {urls.mailbox})")
    scenario = Scenario(urls)
    try:
        scenario.run()
    except StepFailed as exc:
        print(f"\nFAILED: {exc}", file=sys.stderr)
        return 1
    print("\nThe main scenario ran to the end.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

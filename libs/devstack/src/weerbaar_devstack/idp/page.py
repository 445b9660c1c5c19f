"""The small login page: pick a test person (kies een testpersoon)."""

from html import escape

from .people import TestPerson

STYLE = ("body{font-family:sans-serif;max-width:40rem;margin:2rem auto}"
          "button{display:block;width:100%;text-align:left;margin:.4rem 0;padding:.6rem}")


def label(person: TestPerson) -> str:
    who = f"{person.name} — {person.organization_name}"
    detail = f"KvK {person.kvk}" if person.kvk else f"OIN {person.oin}" if person.oin else ""
    level = person.acr.rsplit(":", 1)[-1]
    return escape(f"{who} ({', '.join(p for p in (detail, level) if p)})")


def login_page(idp_title: str, action: str, request_id: str, people: list[TestPerson]) -> str:
    buttons = "\n".join(
        f'<button type="submit" name="person" value="{escape(p.id)}">{label(p)}</button>' for p in people
    )
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{escape(idp_title)} (test)</title>
<style>{STYLE}</style></head><body>
<h1>{escape(idp_title)} — testomgeving / test environment</h1>
<p>Kies een testpersoon om mee in te loggen. / Choose a test person to log in as.</p>
<form method="post" action="{escape(action)}">
<input type="hidden" name="request_id" value="{escape(request_id)}">
{buttons}
</form></body></html>"""


def error_page(message_nl: str, message_en: str) -> str:
    return (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Fout / Error</title></head>'
            f"<body><h1>Inloggen niet mogelijk / Cannot log in</h1><p>{escape(message_nl)}</p>"
            f'<p lang="en">{escape(message_en)}</p></body></html>')

"""The bilingual page a person sees when identity refuses a login."""
from __future__ import annotations

from html import escape

from fastapi.responses import HTMLResponse

from ..domain.refusals import Refusal


def refusal_page(refusal: Refusal) -> HTMLResponse:
    e = escape
    body = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(refusal.title_nl)} / {e(refusal.title_en)}</title>
<style>body{{font-family:"RijksoverheidSansWebText",Verdana,sans-serif;max-width:40rem;margin:2rem auto;
padding:0 1rem;color:#000;line-height:1.5}} h1{{color:#154273;font-size:1.6rem}} section+section{{margin-top:2rem;
border-top:1px solid #ccc}}</style></head>
<body><main>
<section lang="nl"><h1>{e(refusal.title_nl)}</h1><p><strong>Waarom:</strong> {e(refusal.reason_nl)}</p>
<p><strong>Wat kunt u doen:</strong> {e(refusal.todo_nl)}</p></section>
<section lang="en"><h1>{e(refusal.title_en)}</h1><p><strong>Why:</strong> {e(refusal.reason_en)}</p>
<p><strong>What you can do:</strong> {e(refusal.todo_en)}</p></section>
<p><small>Code: {e(refusal.code)}</small></p>
</main></body></html>"""
    return HTMLResponse(body, status_code=refusal.status,
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                 "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})

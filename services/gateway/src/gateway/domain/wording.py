"""How codes and instants read on a page: NIS2 report stages by their names, moments as
Amsterdam wall-clock time (the law's deadlines are shown where the reporter lives)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from weerbaar_contracts.events.incidents import STAGE_NAMES

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def stage_name(code: str | None, lang: str = "nl") -> str:
    nl, en = STAGE_NAMES.get(code or "", (code or "", code or ""))
    return en if lang == "en" else nl


def local_time(value: str | datetime | None) -> str:
    """'04-01-2027 06:24 CET' for an instant; what cannot be read is shown as it came."""
    if not value:
        return ""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%d-%m-%Y %H:%M")
    local = moment.astimezone(AMSTERDAM)
    return local.strftime("%d-%m-%Y %H:%M ") + (local.tzname() or "")

"""Rules of notify that need no database: preferences, references, TLP, digests, retries. (The
audience rule is shared: libs/contracts/tests/test_audience.py.)"""
import random
import re
import uuid
from datetime import datetime, timezone
from uuid import uuid4

import pytest
from weerbaar_platform.errors import DomainError

from notify.domain.categories import Category, Delivery, check_choices, effective
from notify.domain.confidentiality import body_may_carry_content, mail_safe
from notify.domain.digest import digest_key, due_digest
from notify.domain.references import message_id_header, reference_for
from notify.domain.retry import Outcome, backoff_seconds, outcome_of_code


def test_mandatory_categories_cannot_be_switched_off_or_postponed():
    with pytest.raises(DomainError) as refused:
        check_choices({Category.DEADLINES: Delivery.OFF, Category.ROLES: Delivery.DIGEST,
                       Category.ADVISORIES: Delivery.OFF})
    fields = {e.field for e in refused.value.errors}
    assert fields == {"categories.deadlines", "categories.roles"}
    assert all(e.message_nl and e.message_en and e.message_nl != e.message_en for e in refused.value.errors)
    check_choices({Category.CSIRT_REQUESTS: Delivery.IMMEDIATELY, Category.FINDINGS: Delivery.OFF})


def test_a_stored_choice_never_silences_a_mandatory_category():
    assert effective(Category.DEADLINES, Delivery.OFF) is Delivery.IMMEDIATELY
    assert effective(Category.ADVISORIES, Delivery.OFF) is Delivery.OFF
    assert effective(Category.ADVISORIES, None) is Delivery.IMMEDIATELY


def test_reference_is_short_quotable_and_stable():
    mid = uuid.UUID("1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d")
    assert reference_for(mid) == "WB-1A2B-3C4D-5E6F"
    assert re.fullmatch(r"WB-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", reference_for(uuid4()))
    assert message_id_header(mid, "weerbaar.example") == "<1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d@weerbaar.example>"


@pytest.mark.parametrize("tlp,allowed", [("CLEAR", True), ("GREEN", True), ("AMBER", False),
                                         ("AMBER+STRICT", False), ("RED", False), ("TLP:AMBER", False), (None, False)])
def test_only_clear_and_green_may_carry_content_in_a_mail(tlp, allowed):
    assert body_may_carry_content(tlp) is allowed


def test_confidential_context_keeps_only_title_and_link():
    ctx = {"title": "T", "path": "/p/1", "summary": "secret details", "changes": ["IOC 203.0.113.7"]}
    assert mail_safe(ctx, "AMBER", allowed=frozenset({"title", "path"})) == {"title": "T", "path": "/p/1"}
    assert mail_safe(ctx, "GREEN", allowed=frozenset({"title"})) == ctx


def test_digest_is_due_after_the_local_hour_and_holds_later_items_for_tomorrow():
    # 06:30 in Amsterdam (CET, UTC+1): yesterday's digest; 07:30: today's.
    early = due_digest(datetime(2026, 1, 15, 5, 30, tzinfo=timezone.utc), hour=7, zone="Europe/Amsterdam")
    late = due_digest(datetime(2026, 1, 15, 6, 30, tzinfo=timezone.utc), hour=7, zone="Europe/Amsterdam")
    assert str(early.day) == "2026-01-14" and str(late.day) == "2026-01-15"
    assert late.cutoff == datetime(2026, 1, 15, 6, 0, tzinfo=timezone.utc)
    # Summer time (CEST, UTC+2)
    summer = due_digest(datetime(2026, 7, 1, 5, 0, tzinfo=timezone.utc), hour=7, zone="Europe/Amsterdam")
    assert str(summer.day) == "2026-07-01" and summer.cutoff == datetime(2026, 7, 1, 5, 0, tzinfo=timezone.utc)
    assert digest_key("p", late.day) == "digest:p:2026-01-15"


def test_smtp_codes_decide_retry_or_failure():
    assert outcome_of_code(250) is Outcome.SENT
    assert outcome_of_code(451) is Outcome.TEMPORARY
    assert outcome_of_code(421) is Outcome.TEMPORARY
    assert outcome_of_code(550) is Outcome.PERMANENT


def test_backoff_doubles_and_is_capped():
    rnd = random.Random(1)
    delays = [backoff_seconds(n, base=30, ceiling=600, jitter=0, rnd=rnd) for n in range(1, 7)]
    assert delays == [30, 60, 120, 240, 480, 600]
    jittered = backoff_seconds(3, base=30, ceiling=600, jitter=0.1, rnd=rnd)
    assert 108 <= jittered <= 132

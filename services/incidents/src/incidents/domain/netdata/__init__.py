"""Network data (netwerkgegevens): uploads of prefixes, AS numbers and domain names by an
organisation's beheerder netwerkgegevens, and matching feeds against them.

Pure domain code: no database, no broker, no network I/O.
"""

from .changes import ChangeMode, RegistrationChange, change_registrations
from .feeds import FeedLayout, FeedReader, FeedRecord, FeedUnreadable, parse_feed_time
from .matcher import Finding, MatchedBy, MatchResult, Register, ReviewItem, match_feed
from .messages import Refused
from .models import EntryOutcome, Kind, Parsed, Registration, Status, UploadResult
from .parse import parse_entry, parse_upload

__all__ = [
    "ChangeMode", "EntryOutcome", "FeedLayout", "FeedReader", "FeedRecord", "FeedUnreadable", "Finding", "Kind",
    "MatchResult", "MatchedBy", "Parsed", "Refused", "Register", "Registration",
    "RegistrationChange", "ReviewItem", "Status", "UploadResult", "change_registrations",
    "match_feed", "parse_entry", "parse_feed_time", "parse_upload",
]

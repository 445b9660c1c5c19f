"""Network data (netwerkgegevens) as a part of the incidents service: what the composition
root (``app.py``) adds to its ServiceSpec."""
from weerbaar_contracts.events.netdata import ClaimProvenV1, ConflictRaisedV1, FindingsReadyV1, NetworkDataChangedV1

from .entrypoints import netdata_claims, netdata_feeds, netdata_uploads

ROUTERS = [netdata_uploads.router, netdata_claims.router, netdata_feeds.router]
HANDLERS: dict = {}
PRODUCES = [NetworkDataChangedV1, ClaimProvenV1, ConflictRaisedV1, FindingsReadyV1]
BACKGROUND: list = []

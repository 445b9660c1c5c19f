"""Topic names, in one place. One topic per aggregate kind; events are keyed by aggregate id
so that the events of one organisation, person or incident keep their order."""

IDENTITY_PEOPLE = "weerbaar.identity.people.v1"
REGISTRY_ENTITIES = "weerbaar.registry.entities.v1"
INCIDENTS = "weerbaar.incidents.incidents.v1"
NETDATA = "weerbaar.incidents.netdata.v1"
CONTENT_PUBLICATIONS = "weerbaar.content.publications.v1"
NOTIFY_DELIVERY = "weerbaar.notify.delivery.v1"

#: Where a consumer puts what it cannot handle; one per consuming service.
def dead_letter(service: str) -> str:
    return f"weerbaar.{service}.deadletter.v1"


ALL = [IDENTITY_PEOPLE, REGISTRY_ENTITIES, INCIDENTS, NETDATA, CONTENT_PUBLICATIONS, NOTIFY_DELIVERY]

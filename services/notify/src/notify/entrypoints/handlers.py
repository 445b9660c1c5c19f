"""Event handlers: keep the read models, and store the mails each event calls for.

Each runs inside the consumer's transaction (with the inbox row), so an event's mails are
stored exactly once, however often Kafka delivers it; the sender picks them up after commit."""
from __future__ import annotations

from datetime import timedelta

from weerbaar_contracts import CloudEvent
from weerbaar_contracts.audience import reach
from weerbaar_contracts.events import content, identity, incidents, netdata, registry

from ..adapters import readmodels
from ..adapters.messages import PUBLICATION_KINDS, Targets, queue, queue_to_earlier_recipients
from ..domain.categories import Category
from ..domain.confidentiality import body_may_carry_content, mail_safe
from ..domain.kinds import category_of_publication

#: roles whose holders act on incidents (gebruiker) and on network data (beheerder netwerkgegevens)
INCIDENT_ROLES = ["gebruiker"]
NETWORK_ROLES = ["beheerder_netwerk"]
#: what a mail about a TLP:AMBER/RED publication may carry: its title and a link, nothing more
CONFIDENTIAL_FIELDS = frozenset({"title", "tlp", "path", "publication_kind", "confidential", "revision"})


# ------------------------------------------------------------------ identity


async def person_joined(conn, payload: identity.PersonJoinedV1, event: CloudEvent) -> None:
    await readmodels.upsert_person(conn, payload.person_id, payload.name, str(payload.email), payload.language)
    await readmodels.add_membership(conn, payload.organisation_id, payload.person_id)


async def _role_mail(conn, kind: str, payload, event: CloudEvent, **extra) -> None:
    context = {"role": payload.role, "organisation_name": await readmodels.organisation_name(conn, payload.organisation_id),
               "path": "/", **extra}
    await queue(conn, event_id=event.id, kind=kind, category=Category.ROLES, context=context,
                targets=Targets(person_ids=[payload.person_id], organisation_id=payload.organisation_id))


async def role_granted(conn, payload: identity.RoleGrantedV1, event: CloudEvent) -> None:
    await readmodels.grant_role(conn, payload.organisation_id, payload.person_id, payload.role, payload.usable_from)
    # A role given with no waiting time (the first admin of a new registration) is usable at once.
    usable_now = payload.usable_from <= event.time + timedelta(seconds=1)
    await _role_mail(conn, "role_granted", payload, event, usable_from=payload.usable_from.isoformat(),
                     usable_now=usable_now)


async def role_activated(conn, payload: identity.RoleActivatedV1, event: CloudEvent) -> None:
    await readmodels.activate_role(conn, payload.organisation_id, payload.person_id, payload.role)
    await _role_mail(conn, "role_activated", payload, event)


async def role_withdrawn(conn, payload: identity.RoleWithdrawnV1, event: CloudEvent) -> None:
    await readmodels.withdraw_role(conn, payload.organisation_id, payload.person_id, payload.role)
    await _role_mail(conn, "role_withdrawn", payload, event)


async def person_removed(conn, payload: identity.PersonRemovedV1, event: CloudEvent) -> None:
    # The mail first: it needs the address, which stays in `persons` (other memberships may use it).
    context = {"organisation_name": await readmodels.organisation_name(conn, payload.organisation_id), "path": "/"}
    await queue(conn, event_id=event.id, kind="person_removed", category=Category.ROLES, context=context,
                targets=Targets(person_ids=[payload.person_id], organisation_id=payload.organisation_id))
    await readmodels.remove_membership(conn, payload.organisation_id, payload.person_id)


async def invitation_created(conn, payload: identity.InvitationCreatedV1, event: CloudEvent) -> None:
    """Mail the invited address, bilingual (we do not know the person's language yet). Keyed by
    the invitation, not the event, so even a re-announced invitation gives one mail."""
    inviter = await readmodels.person(conn, payload.invited_by)
    context = {"organisation_name": payload.organisation_name
               or await readmodels.organisation_name(conn, payload.organisation_id),
               "roles": list(payload.roles), "expires_at": payload.expires_at.isoformat(),
               "invited_by_name": inviter["name"] if inviter else "", "path": "/login"}
    await queue(conn, event_id=f"invitation:{payload.invitation_id}", kind="invitation", category=Category.ROLES,
                context=context, about=str(payload.invitation_id),
                targets=Targets(addresses=[str(payload.email)], organisation_id=payload.organisation_id))


# ------------------------------------------------------------------ registry


async def entity_registered(conn, payload: registry.EntityRegisteredV1, event: CloudEvent) -> None:
    await readmodels.upsert_organisation(conn, payload)


async def entity_updated(conn, payload: registry.EntityUpdatedV1, event: CloudEvent) -> None:
    await readmodels.upsert_organisation(conn, payload)


async def entity_deregistered(conn, payload: registry.EntityDeregisteredV1, event: CloudEvent) -> None:
    await readmodels.deregister_organisation(conn, payload.organisation_id)


# ------------------------------------------------------------------ incidents


def _incident_path(incident_id) -> str:
    return f"/incidenten/{incident_id}"


async def incident_reported(conn, payload: incidents.IncidentReportedV1, event: CloudEvent) -> None:
    if payload.organisation_id is None and payload.reported_by is None:
        return  # an anonymous public report: nobody to confirm to
    context = {"incident_reference": payload.reference, "title": payload.title, "statutory": payload.statutory,
               "path": _incident_path(payload.incident_id)}
    targets = Targets(person_ids=[payload.reported_by] if payload.reported_by else [],
                      mailboxes_of=[payload.organisation_id] if payload.organisation_id else [],
                      organisation_id=payload.organisation_id)
    await queue(conn, event_id=event.id, kind="incident_reported", category=Category.INCIDENTS,
                context=context, targets=targets, about=str(payload.incident_id))


async def stage_submitted(conn, payload: incidents.StageSubmittedV1, event: CloudEvent) -> None:
    context = {"incident_reference": payload.reference, "stage": payload.stage, "next_stage": payload.next_stage,
               "next_deadline": payload.next_deadline.isoformat() if payload.next_deadline else None,
               "path": _incident_path(payload.incident_id)}
    await queue(conn, event_id=event.id, kind="stage_submitted", category=Category.INCIDENTS, context=context,
                targets=Targets(person_ids=[payload.submitted_by], organisation_id=payload.organisation_id),
                about=str(payload.incident_id))


async def _to_incident_handlers(conn, kind: str, category: Category, payload, event: CloudEvent, **context) -> None:
    targets = Targets(role_holders=(payload.organisation_id, INCIDENT_ROLES), mailboxes_of=[payload.organisation_id],
                      organisation_id=payload.organisation_id)
    await queue(conn, event_id=event.id, kind=kind, category=category, targets=targets,
                context={"incident_reference": payload.reference, "path": _incident_path(payload.incident_id),
                         **context}, about=str(payload.incident_id))


async def intermediate_requested(conn, payload: incidents.IntermediateReportRequestedV1, event: CloudEvent) -> None:
    await _to_incident_handlers(conn, "intermediate_requested", Category.CSIRT_REQUESTS, payload, event,
                                due=payload.due.isoformat() if payload.due else None)


async def deadline_approaching(conn, payload: incidents.DeadlineApproachingV1, event: CloudEvent) -> None:
    await _to_incident_handlers(conn, "deadline_approaching", Category.DEADLINES, payload, event,
                                stage=payload.stage, deadline=payload.deadline.isoformat())


async def deadline_missed(conn, payload: incidents.DeadlineMissedV1, event: CloudEvent) -> None:
    await _to_incident_handlers(conn, "deadline_missed", Category.DEADLINES, payload, event,
                                stage=payload.stage, deadline=payload.deadline.isoformat())


async def findings_ready(conn, payload: netdata.FindingsReadyV1, event: CloudEvent) -> None:
    targets = Targets(role_holders=(payload.organisation_id, NETWORK_ROLES), mailboxes_of=[payload.organisation_id],
                      organisation_id=payload.organisation_id)
    context = {"feed_name": payload.feed_name, "findings": payload.findings, "rows": payload.rows,
               "path": "/netwerkgegevens"}
    await queue(conn, event_id=event.id, kind="findings_ready", category=Category.FINDINGS, context=context,
                targets=targets, about=str(payload.feed_run_id))


# ------------------------------------------------------------------ content


async def _publication(conn, kind: str, payload, event: CloudEvent, **extra) -> None:
    context = {"title": payload.title, "publication_kind": payload.kind, "tlp": payload.tlp,
               "tracking_id": payload.tracking_id, "revision": payload.revision,
               "confidential": not body_may_carry_content(payload.tlp),
               "path": f"/adviezen/{payload.publication_id}", **extra}
    await queue(conn, event_id=event.id, kind=kind, category=category_of_publication(payload.kind),
                context=mail_safe(context, payload.tlp, allowed=CONFIDENTIAL_FIELDS),
                targets=Targets(reach=reach(payload.tlp, payload.audience)), about=str(payload.publication_id))


async def publication_published(conn, payload: content.PublicationPublishedV1, event: CloudEvent) -> None:
    await _publication(conn, "publication_published", payload, event)


async def publication_revised(conn, payload: content.PublicationRevisedV1, event: CloudEvent) -> None:
    await _publication(conn, "publication_revised", payload, event, changes=list(payload.changes))


async def publication_withdrawn(conn, payload: content.PublicationWithdrawnV1, event: CloudEvent) -> None:
    """Tell everyone who had a mail about the publication that it is withdrawn. They are the
    audience as it was when they were mailed, so TLP:RED still reaches only its named people.
    An event without a label (from before the label was carried) is treated as confidential."""
    context = {"title": payload.title, "publication_kind": payload.kind, "tlp": payload.tlp,
               "tracking_id": payload.tracking_id, "revision": payload.revision, "reason": payload.reason,
               "confidential": not body_may_carry_content(payload.tlp),
               "path": f"/adviezen/{payload.publication_id}"}
    await queue_to_earlier_recipients(
        conn, event_id=event.id, kind="publication_withdrawn",
        category=category_of_publication(payload.kind) if payload.kind else Category.ADVISORIES,
        context=mail_safe(context, payload.tlp, allowed=CONFIDENTIAL_FIELDS),
        about=str(payload.publication_id), earlier_kinds=PUBLICATION_KINDS)


HANDLERS = {
    identity.PersonJoinedV1: person_joined,
    identity.RoleGrantedV1: role_granted,
    identity.RoleActivatedV1: role_activated,
    identity.RoleWithdrawnV1: role_withdrawn,
    identity.PersonRemovedV1: person_removed,
    identity.InvitationCreatedV1: invitation_created,
    registry.EntityRegisteredV1: entity_registered,
    registry.EntityUpdatedV1: entity_updated,
    registry.EntityDeregisteredV1: entity_deregistered,
    incidents.IncidentReportedV1: incident_reported,
    incidents.StageSubmittedV1: stage_submitted,
    incidents.IntermediateReportRequestedV1: intermediate_requested,
    incidents.DeadlineApproachingV1: deadline_approaching,
    incidents.DeadlineMissedV1: deadline_missed,
    netdata.FindingsReadyV1: findings_ready,
    content.PublicationPublishedV1: publication_published,
    content.PublicationRevisedV1: publication_revised,
    content.PublicationWithdrawnV1: publication_withdrawn,
}

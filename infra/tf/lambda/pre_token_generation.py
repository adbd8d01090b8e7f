"""Cognito pre-token-generation trigger (event version V2_0).

Copies the user's ``custom:tenant_id`` attribute into the access token's
``claimsToAddOrOverride`` so tenant-api can prove a request's tenant from the
verified token alone. The value comes from the user pool (which no app client
may write), never from anything the client sends such as ``clientMetadata``.

A user without a tenant gets no claim: sign-in still succeeds and tenant-api
answers 403 for tenant-scoped calls, which is safer than failing every token.
"""

import logging

TENANT_ATTRIBUTE = "custom:tenant_id"

LOGGER = logging.getLogger(__name__)


def handler(event, context):  # noqa: ARG001 - Lambda's fixed signature
    """Add the tenant claim to the access token and return the event."""
    if str(event.get("version")) != "2":
        # A V1 event has no access-token section; answering it unchanged keeps
        # sign-in working if the trigger is misconfigured, and the log says why.
        LOGGER.warning(
            "pre token generation: expected event version 2, got %r (trigger %s)",
            event.get("version"),
            event.get("triggerSource"),
        )
        return event

    attributes = (event.get("request") or {}).get("userAttributes") or {}
    tenant_id = attributes.get(TENANT_ATTRIBUTE)
    if not isinstance(tenant_id, str) or not tenant_id:
        return event

    response = event.setdefault("response", {})
    if not isinstance(response.get("claimsAndScopeOverrideDetails"), dict):
        response["claimsAndScopeOverrideDetails"] = {}
    details = response["claimsAndScopeOverrideDetails"]
    if not isinstance(details.get("accessTokenGeneration"), dict):
        details["accessTokenGeneration"] = {}
    access = details["accessTokenGeneration"]
    if not isinstance(access.get("claimsToAddOrOverride"), dict):
        access["claimsToAddOrOverride"] = {}
    access["claimsToAddOrOverride"][TENANT_ATTRIBUTE] = tenant_id

    # Never let another part of the response suppress the claim we just set.
    suppressed = access.get("claimsToSuppress")
    if isinstance(suppressed, list) and TENANT_ATTRIBUTE in suppressed:
        access["claimsToSuppress"] = [c for c in suppressed if c != TENANT_ATTRIBUTE]

    return event

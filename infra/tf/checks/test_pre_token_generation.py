"""The pre-token-generation Lambda, driven with Cognito V2_0 events."""

import copy

from pre_token_generation import TENANT_ATTRIBUTE, handler

# Shape of a Cognito "pre token generation" V2_0 event as delivered for a
# sign-in (the developer guide's example, with a tenant attribute added).
V2_EVENT = {
    "version": "2",
    "triggerSource": "TokenGeneration_Authentication",
    "region": "ap-northeast-1",
    "userPoolId": "ap-northeast-1_EXAMPLE",
    "userName": "6c1b8a4e-0000-4000-8000-000000000001",
    "callerContext": {
        "awsSdkVersion": "aws-sdk-unknown-unknown",
        "clientId": "1example23456789",
    },
    "request": {
        "userAttributes": {
            "sub": "6c1b8a4e-0000-4000-8000-000000000001",
            "cognito:user_status": "CONFIRMED",
            "email_verified": "true",
            "email": "jane@example.com",
            "custom:tenant_id": "acme",
        },
        "groupConfiguration": {
            "groupsToOverride": [],
            "iamRolesToOverride": [],
            "preferredRole": None,
        },
        "scopes": ["aws.cognito.signin.user.admin", "openid"],
    },
    "response": {"claimsAndScopeOverrideDetails": None},
}


def event(**request_changes):
    sample = copy.deepcopy(V2_EVENT)
    sample["request"].update(request_changes)
    return sample


def access_claims(result):
    return result["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"][
        "claimsToAddOrOverride"]


def test_tenant_attribute_is_copied_into_the_access_token():
    result = handler(event(), None)
    assert access_claims(result) == {TENANT_ATTRIBUTE: "acme"}
    assert TENANT_ATTRIBUTE == "custom:tenant_id"


def test_the_id_token_section_is_left_alone():
    result = handler(event(), None)
    assert "idTokenGeneration" not in result["response"]["claimsAndScopeOverrideDetails"]


def test_the_rest_of_the_event_is_returned_unchanged():
    original = event()
    result = handler(copy.deepcopy(original), None)
    assert result["request"] == original["request"]
    assert result["userName"] == original["userName"]
    assert result["triggerSource"] == original["triggerSource"]


def test_user_without_a_tenant_gets_no_claim_and_still_signs_in():
    attributes = dict(V2_EVENT["request"]["userAttributes"])
    del attributes["custom:tenant_id"]
    result = handler(event(userAttributes=attributes), None)
    assert result["response"] == {"claimsAndScopeOverrideDetails": None}


def test_an_empty_tenant_attribute_adds_no_claim():
    attributes = dict(V2_EVENT["request"]["userAttributes"], **{"custom:tenant_id": ""})
    result = handler(event(userAttributes=attributes), None)
    assert result["response"] == {"claimsAndScopeOverrideDetails": None}


def test_client_metadata_cannot_choose_the_tenant():
    result = handler(event(clientMetadata={"custom:tenant_id": "other", "tenant_id": "other"}), None)
    assert access_claims(result) == {TENANT_ATTRIBUTE: "acme"}


def test_existing_overrides_are_kept_and_a_suppression_of_the_tenant_is_dropped():
    sample = event()
    sample["response"]["claimsAndScopeOverrideDetails"] = {
        "accessTokenGeneration": {
            "claimsToAddOrOverride": {"plan": "gold", TENANT_ATTRIBUTE: "spoofed"},
            "claimsToSuppress": ["email", TENANT_ATTRIBUTE],
            "scopesToAdd": ["reports/read"],
        },
        "idTokenGeneration": {"claimsToSuppress": ["phone_number"]},
    }
    details = handler(sample, None)["response"]["claimsAndScopeOverrideDetails"]
    access = details["accessTokenGeneration"]
    assert access["claimsToAddOrOverride"] == {"plan": "gold", TENANT_ATTRIBUTE: "acme"}
    assert access["claimsToSuppress"] == ["email"]
    assert access["scopesToAdd"] == ["reports/read"]
    assert details["idTokenGeneration"] == {"claimsToSuppress": ["phone_number"]}


def test_a_version_1_event_is_returned_untouched():
    sample = event()
    sample["version"] = "1"
    sample["response"] = {"claimsOverrideDetails": None}
    result = handler(copy.deepcopy(sample), None)
    assert result == sample


def test_every_token_generation_trigger_source_gets_the_claim():
    for source in ("TokenGeneration_HostedAuth", "TokenGeneration_RefreshTokens",
                   "TokenGeneration_NewPasswordChallenge", "TokenGeneration_AuthenticateDevice"):
        sample = event()
        sample["triggerSource"] = source
        assert access_claims(handler(sample, None)) == {TENANT_ATTRIBUTE: "acme"}, source

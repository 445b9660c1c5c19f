"""The rules of identity, without I/O."""
from uuid import uuid4

import pytest
from identity.domain import levels
from identity.domain.login import OrganisationKeys, UpstreamLogin, choose_acting, is_staff_login, speaks_for
from identity.domain.roles import LastBeheerder, check_keeps_a_beheerder, check_role_fits, is_last_beheerder
from identity.domain.secrets import new_secret, pkce_matches, s256
from weerbaar_platform.errors import DomainError

EH = "urn:etoegang:core:assurance-class:"


@pytest.mark.parametrize("level,ok", [("loa1", False), ("loa2", False), ("loa2plus", True), ("loa3", True),
                                      ("loa4", True)])
def test_eherkenning_needs_eh2plus_or_higher(level, ok):
    assert levels.is_sufficient(EH + level) is ok


@pytest.mark.parametrize("acr", [None, "", "loa3", EH + "loa5", "urn:other:loa4"])
def test_unknown_levels_are_never_sufficient(acr):
    assert not levels.is_sufficient(acr)


def test_the_only_admin_is_the_last_one():
    anna, bram = uuid4(), uuid4()
    assert is_last_beheerder({anna}, anna)
    assert not is_last_beheerder({anna, bram}, anna)
    assert not is_last_beheerder({anna}, bram)  # bram is no admin: removing him leaves anna


def test_the_last_admin_keeps_the_admin_role_but_may_lose_others():
    anna = uuid4()
    with pytest.raises(LastBeheerder) as refused:
        check_keeps_a_beheerder({anna}, anna)
    assert refused.value.status == 409 and "Maak eerst iemand anders beheerder" in refused.value.errors[0].message_nl
    with pytest.raises(LastBeheerder):
        check_keeps_a_beheerder({anna}, anna, "beheerder_personen")
    check_keeps_a_beheerder({anna}, anna, "beheerder_netwerk")


def test_staff_roles_only_in_the_csirt_and_organisation_roles_only_outside():
    check_role_fits("analist", is_csirt=True)
    check_role_fits("gebruiker", is_csirt=False)
    for role, csirt in [("analist", False), ("gebruiker", True), ("koning", False)]:
        with pytest.raises(DomainError):
            check_role_fits(role, is_csirt=csirt)


def _login(idp="eherkenning", kvk="12345678", oin=None):
    return UpstreamLogin(idp=idp, subject="s", name="n", email="e@example.nl", organisation_name="o", kvk=kvk, oin=oin)


def test_a_login_speaks_for_the_organisation_of_its_kvk_or_oin_only():
    water = OrganisationKeys(uuid4(), "Water", "12345678", None)
    ministry = OrganisationKeys(uuid4(), "Ministerie", None, "00000001003214345000")
    assert speaks_for(_login(), water) and not speaks_for(_login(), ministry)
    assert not speaks_for(_login(kvk="87654321"), water)
    sso = _login(idp="ssonrijk", kvk=None, oin="00000001003214345000")
    assert speaks_for(sso, ministry) and not speaks_for(sso, water)
    assert not speaks_for(_login(kvk=None), OrganisationKeys(uuid4(), "No KvK", None, None))


def test_acting_organisation_prefers_the_asked_then_the_login_then_the_first():
    a = OrganisationKeys(uuid4(), "A", "11111111", None)
    b = OrganisationKeys(uuid4(), "B", "12345678", None)
    assert choose_acting([a, b], _login()) == b.id
    assert choose_acting([a, b], _login(), preferred=a.id) == a.id
    assert choose_acting([a, b], None, preferred=uuid4()) == a.id
    assert choose_acting([], _login()) is None


def test_staff_are_recognised_by_ssonrijk_with_the_csirt_oin():
    assert is_staff_login(_login(idp="ssonrijk", kvk=None, oin="X"), ["X"])
    assert not is_staff_login(_login(idp="eherkenning", kvk=None, oin="X"), ["X"])
    assert not is_staff_login(_login(idp="ssonrijk", kvk=None, oin="Y"), ["X"])


def test_state_and_nonce_have_at_least_128_bits_and_pkce_is_s256():
    assert len(new_secret()) >= 22  # 128 bits in base64url
    verifier = "a" * 43
    assert pkce_matches(s256(verifier), verifier)
    assert not pkce_matches(s256(verifier), "b" * 43)
    assert not pkce_matches(s256("short"), "short")  # RFC 7636 needs 43..128 characters


def test_in_the_csirt_the_last_csirt_admin_is_kept():
    from identity.domain.roles import admin_role

    gijs = uuid4()
    assert admin_role(True) == "csirt_beheerder" and admin_role(False) == "beheerder_personen"
    with pytest.raises(LastBeheerder):
        check_keeps_a_beheerder({gijs}, gijs, "csirt_beheerder", admin="csirt_beheerder")
    with pytest.raises(LastBeheerder):
        check_keeps_a_beheerder({gijs}, gijs, admin="csirt_beheerder")
    check_keeps_a_beheerder({gijs}, gijs, "analist", admin="csirt_beheerder")

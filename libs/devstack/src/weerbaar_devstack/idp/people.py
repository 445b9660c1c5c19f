"""Test people (testpersonen) that the stand-in IdP can log in, and the claims each IdP releases."""

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, TypeAdapter

IdpName = Literal["ssonrijk", "eherkenning"]
IDP_NAMES: tuple[IdpName, ...] = ("ssonrijk", "eherkenning")

# eHerkenning assurance levels (betrouwbaarheidsniveaus); EH2+ is loa2plus.
EHERKENNING_LEVELS = tuple(
    f"urn:etoegang:core:assurance-class:{level}" for level in ("loa2", "loa2plus", "loa3", "loa4")
)
SSONRIJK_ACR = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"


class TestPerson(BaseModel):
    __test__ = False  # not a pytest test class, despite the name

    id: str  # what a test passes as login_hint
    idp: IdpName
    sub: str  # for eHerkenning: the acting person's pseudonym
    name: str
    email: str
    organization_name: str
    kvk: str | None = None  # KvK number (eHerkenning)
    oin: str | None = None  # Organisatie-identificatienummer (SSOnRijk)
    acr: str = SSONRIJK_ACR

    def claims(self) -> dict[str, str]:
        """The person's claims for both the ID token and userinfo, as this person's IdP names them."""
        claims = {"sub": self.sub, "name": self.name, "email": self.email,
                  "organization_name": self.organization_name}
        if self.idp == "ssonrijk" and self.oin:
            claims["oin"] = self.oin
        if self.idp == "eherkenning" and self.kvk:
            claims["kvk"] = self.kvk
        return claims


def _eh(level: str) -> str:
    return f"urn:etoegang:core:assurance-class:{level}"


DEFAULT_PEOPLE: list[TestPerson] = [
    TestPerson(id="drinkwater-beheerder", idp="eherkenning", sub="eh-pseudo-7f3a91c2",
               name="Anna de Vries", email="anna.devries@drinkwater.example.nl",
               organization_name="Waterbedrijf Voorbeeld N.V.", kvk="12345678", acr=_eh("loa2plus")),
    TestPerson(id="drinkwater-collega", idp="eherkenning", sub="eh-pseudo-24be08d1",
               name="Bram Jansen", email="bram.jansen@drinkwater.example.nl",
               organization_name="Waterbedrijf Voorbeeld N.V.", kvk="12345678", acr=_eh("loa3")),
    TestPerson(id="drinkwater-loa2", idp="eherkenning", sub="eh-pseudo-c0ffee02",
               name="Chris Bakker", email="chris.bakker@drinkwater.example.nl",
               organization_name="Waterbedrijf Voorbeeld N.V.", kvk="12345678", acr=_eh("loa2")),
    TestPerson(id="energie-loa4", idp="eherkenning", sub="eh-pseudo-5eed4444",
               name="Fatima el Amrani", email="fatima.elamrani@netbeheer.example.nl",
               organization_name="Netbeheer Voorbeeld B.V.", kvk="87654321", acr=_eh("loa4")),
    TestPerson(id="ministerie-medewerker", idp="ssonrijk", sub="ssor-3c1d5e77",
               name="Dewi Kramer", email="dewi.kramer@ministerie.example.nl",
               organization_name="Ministerie van Voorbeeldzaken", oin="00000001003214345000"),
    TestPerson(id="csirt-analist", idp="ssonrijk", sub="ssor-9a8b7c6d",
               name="Eva Smit", email="eva.smit@csirt.example.nl",
               organization_name="Nationaal CSIRT (voorbeeld)", oin="00000001822477348000"),
    TestPerson(id="csirt-coordinator", idp="ssonrijk", sub="ssor-1f2e3d4c",
               name="Gijs Mulder", email="gijs.mulder@csirt.example.nl",
               organization_name="Nationaal CSIRT (voorbeeld)", oin="00000001822477348000"),
]


def load_people(path: Path | None) -> list[TestPerson]:
    if path is None:
        return list(DEFAULT_PEOPLE)
    return TypeAdapter(list[TestPerson]).validate_python(json.loads(path.read_text(encoding="utf-8")))

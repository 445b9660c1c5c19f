
import copy  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

_VALID: dict[str, Any] = {
    "sector": "drinking_water",
    "kvk_number": "12345678",
    "rsin": "111222333",
    "legal_name": "Waterbedrijf Voorbeeld N.V.",
    "visiting_address": {
        "street": "Bezuidenhoutseweg", "house_number": "12", "postal_code": "2594 AV",
        "city": "Den Haag", "country": "NL",
    },
    "email": "info@waterbedrijf.example.nl",
    "phone": "070 123 4567",
    "security_contact": {"phone_24x7": "+31 6 1234 5678", "email": "soc@waterbedrijf.example.nl"},
    "incident_official": {
        "name": "J. de Vries", "email": "j.devries@waterbedrijf.example.nl",
        "phone": "+31 70 765 4321",
    },
    "member_states": ["NL"],
    "size": {"employees": 900, "annual_turnover_eur": "300000000",
             "balance_sheet_total_eur": "1200000000"},
}


@pytest.fixture
def registration_data():
    """A valid registration as form data; pass overrides (None removes a key)."""

    def make(**overrides: Any) -> dict[str, Any]:
        data = copy.deepcopy(_VALID)
        for key, value in overrides.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return data

    return make

"""Stand-in OpenID provider playing SSOnRijk and eHerkenning, for development and tests only."""

from .app import create_app
from .people import DEFAULT_PEOPLE, TestPerson
from .settings import ClientRegistration, IdpSettings
from .tokens import TAMPER_MODES

__all__ = ["create_app", "IdpSettings", "ClientRegistration", "TestPerson", "DEFAULT_PEOPLE", "TAMPER_MODES"]

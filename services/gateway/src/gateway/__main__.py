from weerbaar_platform.service import serve
from weerbaar_platform.settings import load_settings

from .app import create_app
from .settings import GatewaySettings

settings = load_settings(GatewaySettings)
serve(create_app(settings), settings)

from weerbaar_platform.service import serve
from weerbaar_platform.settings import load_settings

from .app import create_app
from .settings import NotifySettings

settings = load_settings(NotifySettings)
serve(create_app(settings), settings)

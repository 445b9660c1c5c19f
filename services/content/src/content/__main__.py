from weerbaar_platform.service import serve
from weerbaar_platform.settings import load_settings

from .app import create_app
from .settings import ContentSettings

settings = load_settings(ContentSettings)
serve(create_app(settings), settings)

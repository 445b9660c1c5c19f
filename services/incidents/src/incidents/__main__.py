from weerbaar_platform.service import serve
from weerbaar_platform.settings import load_settings

from .adapters.netdata_settings import NetdataSettings
from .app import create_app
from .settings import IncidentsSettings

settings = load_settings(IncidentsSettings)
# The network-data part reads its own prefix; a wrong value stops start-up here, not at the
# first upload.
netdata = load_settings(NetdataSettings)
serve(create_app(settings, netdata=netdata), settings)

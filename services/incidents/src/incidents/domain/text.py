"""Free text a person typed into an incident (the rule itself is shared: weerbaar_platform.text)."""
from weerbaar_platform.text import VisibleText, visible_text  # noqa: F401  (re-exported)

#: An incident's title: at most 200 characters, with something readable in it.
Title = VisibleText(200)

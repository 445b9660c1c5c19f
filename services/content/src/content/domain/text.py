"""Text an editor typed (the rule itself is shared: weerbaar_platform.text)."""
from weerbaar_platform.text import VisibleText, visible_text  # noqa: F401  (re-exported)

#: A publication's title: at most 300 characters, with something readable in it.
Title = VisibleText(300)

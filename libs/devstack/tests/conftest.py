import pathlib
import sys

# Lets the tests import the package before it is installed.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "src"))

"""zdesk: the Zermelo portal's formatie and roostergroepen at a glance, checked, and in Excel."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("zdesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

"""warraq: Arabic sources to bilingual PDF and EPUB editions, through gettext catalogs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("warraq")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

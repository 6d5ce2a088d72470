"""Saving: a catalog written back only when it changed, atomically, never over someone's edit."""

from __future__ import annotations

from pathlib import Path

from warraq.catalogs.pofile import PoCatalog, render_po
from warraq.errors import WarraqError
from warraq.util.clock import now, po_date
from warraq.util.files import write_bytes_atomic


class CatalogFile:
    """A catalog being worked on, and the file it is saved to as work goes on.

    Saving writes only what changed (a catalog whose messages did not change
    keeps its bytes and dates), atomically; and refuses to overwrite a file
    someone changed on disk since it was read.
    """

    def __init__(self, path: Path, catalog: PoCatalog, on_disk: PoCatalog | None) -> None:
        self.path = path
        self.catalog = catalog
        self._saved_body = render_po(on_disk, header=False) if on_disk is not None else None
        self._signature = _signature(path)

    def save(self) -> bool:
        """Write the catalog if it changed; return whether the file was written."""
        body = render_po(self.catalog, header=False)
        if self._saved_body is not None and body != self._saved_body:
            self.catalog.set_header("PO-Revision-Date", po_date(now()))
        data = render_po(self.catalog)
        if _signature(self.path) != self._signature:
            raise WarraqError(
                f"{self.path} changed on disk while warraq was working on it; your changes are "
                "kept and everything translated so far is saved: run 'warraq translate' again"
            )
        if self.path.is_file() and self.path.read_bytes() == data:
            self._saved_body = body
            return False
        write_bytes_atomic(self.path, data)
        self._saved_body = body
        self._signature = _signature(self.path)
        return True


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

"""The EPUB container: a zip with ``mimetype`` first, one timestamp, fixed permissions."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping

from warraq.render.job import EditionJob

MEDIA_TYPE = "application/epub+zip"


# Zip timestamps cannot be before 1980 or after 2107.
_ZIP_EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_ZIP_LATEST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)


def zip_time(job: EditionJob) -> dt.datetime:
    """The edition's time, as a zip can hold it (1980 to 2107)."""
    return min(max(job.modified, _ZIP_EARLIEST), _ZIP_LATEST)


def zip_epub(files: Mapping[str, bytes], when: dt.datetime) -> bytes:
    """Zip an EPUB: ``mimetype`` first and stored, then ``files`` in the order given.

    Every entry gets the same timestamp, permissions and creator system, so the
    archive depends only on its contents and ``when``.
    """
    date_time = when.astimezone(dt.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entries = [("mimetype", MEDIA_TYPE.encode("ascii")), *files.items()]
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time)
            info.create_system = 3  # Unix, whatever system builds it
            info.external_attr = 0o100644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, data)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()

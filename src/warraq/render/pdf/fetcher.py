"""The URL fetcher WeasyPrint gets: the located fonts, files under the templates and theme."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname


def _weasyprint_fetcher_base() -> type:
    from weasyprint import URLFetcher  # imported here: WeasyPrint takes a second to import

    return URLFetcher  # type: ignore[no-any-return]


def make_fetcher(
    roots: Sequence[Path], files: Iterable[Path], overlay: tuple[Path, Path] | None = None
) -> Any:
    """A WeasyPrint URL fetcher that serves only ``files`` and files under ``roots``.

    ``overlay`` is ``(project_templates, theme)``: a file asked for under the
    project's templates folder but absent there is served from the same place
    in the theme, so a template override can still use the theme's assets.
    Every other URL (network, ``file://`` elsewhere, ``..`` escapes, symbolic
    links out) is refused and recorded in the fetcher's ``refused`` list.
    """
    base = _weasyprint_fetcher_base()
    resolved_roots = tuple(root.resolve() for root in roots)
    allowed_files = frozenset(path.resolve() for path in files)

    class SafeFetcher(base):  # type: ignore[valid-type, misc]
        """Serves local files from an allow-list; refuses everything else."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",))
            self.refused: list[str] = []
            self.fetched: list[str] = []

        def resolve(self, url: str) -> Path | None:
            """The allowed file ``url`` names, or ``None``."""
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                return None
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if path in allowed_files:
                return path
            if overlay is not None:
                project, theme = (folder.resolve() for folder in overlay)
                if not path.is_file() and path.is_relative_to(project):
                    path = (theme / path.relative_to(project)).resolve()
                    if not path.is_relative_to(theme):
                        return None
            if path.is_file() and any(path.is_relative_to(root) for root in resolved_roots):
                return path
            return None

        def fetch(self, url: str, headers: Any = None) -> Any:
            from weasyprint.urls import URLFetcherResponse

            path = self.resolve(url)
            if path is None:
                self.refused.append(url)
                raise ValueError(f"warraq does not fetch {url}")
            self.fetched.append(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
            )

    return SafeFetcher()

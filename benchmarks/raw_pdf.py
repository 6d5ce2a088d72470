"""WeasyPrint alone: render an HTML file to PDF as warraq's ``render_pdf`` configures WeasyPrint.

``python benchmarks/raw_pdf.py HTML BASE_URL PROJECT OUTPUT``: the same URL
fetcher (warraq's, serving the fonts and theme files only), base URL and
options as ``warraq.render.pdf.render_pdf``; one layout, no checks. The
benchmark times this whole process against ``warraq build``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def raw_pdf(html_path: Path, base_url: str, project: Path, output: Path) -> None:
    """Render ``html_path`` with WeasyPrint and write the PDF to ``output``."""
    from weasyprint import HTML

    from warraq.render.fonts import find_faces
    from warraq.render.pdf import font_faces, make_fetcher
    from warraq.render.templates import THEME_DIR

    templates = (project / "templates").resolve()
    fetcher = make_fetcher(
        roots=(templates, THEME_DIR),
        files=(face.path for face in font_faces(find_faces())),
        overlay=(templates, THEME_DIR),
    )
    html = html_path.read_text(encoding="utf-8")
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    output.write_bytes(document.write_pdf(pdf_variant=None, pdf_identifier=True))


if __name__ == "__main__":
    raw_pdf(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))

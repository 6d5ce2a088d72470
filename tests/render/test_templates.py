"""Project templates: partial overrides, extra stylesheets, and what templates may not do."""

from __future__ import annotations

import http.server
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import Runner, copy_fixture
from warraq.render.epub.references import css_references

PAYLOAD = '{{ cycler.__init__.__globals__.os.popen("id").read() }}'


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _pdf_override(project: Path, block: str, body: str) -> None:
    _write(
        project / "templates" / "pdf" / "book.html.j2",
        f'{{% extends "warraq/pdf/book.html.j2" %}}\n{{% block {block} %}}{body}{{% endblock %}}\n',
    )


def _epub_section(project: Path, extra: str) -> None:
    """A section template: the theme's, with ``extra`` just inside ``<body>``."""
    from warraq.render.templates import THEME_DIR

    theme = (THEME_DIR / "epub" / "section.xhtml.j2").read_text(encoding="utf-8")
    opening = theme.index(">", theme.index("<body")) + 1
    _write(
        project / "templates" / "epub" / "section.xhtml.j2",
        theme[:opening] + extra + theme[opening:],
    )


def _one_line_error(result: object) -> str:
    stderr: str = getattr(result, "stderr")  # noqa: B009
    assert getattr(result, "exit_code") == 1, stderr  # noqa: B009
    assert len(stderr.strip().splitlines()) == 1, stderr
    return stderr


@contextmanager
def _logging_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request made to it."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# Sandbox and loader (fast: they fail before anything is typeset) -------------------------


def test_pdf_template_cannot_run_code(tmp_path: Path, warraq: Runner) -> None:
    project = copy_fixture("pdf/water", tmp_path)
    _pdf_override(project, "imprint", PAYLOAD)
    stderr = _one_line_error(warraq("-C", str(project), "build", "--format", "pdf"))
    assert "book.html.j2" in stderr and "sandboxed" in stderr
    assert "uid=" not in stderr
    assert not (project / "build" / "water.ar-fr.pdf").exists()


def test_epub_template_cannot_run_code(tmp_path: Path, warraq: Runner) -> None:
    project = copy_fixture("epub/qanat", tmp_path)
    _epub_section(project, f"<p>{PAYLOAD}</p>")
    stderr = _one_line_error(warraq("-C", str(project), "build"))
    assert "section.xhtml.j2" in stderr and "sandboxed" in stderr
    assert "uid=" not in stderr
    assert not list((project / "build").glob("*.epub"))


@pytest.mark.parametrize("fmt", ["pdf", "epub"])
def test_include_of_a_symlink_out_of_templates_is_refused(
    tmp_path: Path, warraq: Runner, fmt: str
) -> None:
    fixture = "pdf/water" if fmt == "pdf" else "epub/qanat"
    project = copy_fixture(fixture, tmp_path)
    secret = _write(tmp_path / "secret.txt", "SECRET-CONTENT")
    leak = project / "templates" / fmt / "leak.j2"
    leak.parent.mkdir(parents=True)
    leak.symlink_to(secret)
    if fmt == "pdf":
        _pdf_override(project, "imprint", '{% include "pdf/leak.j2" %}')
    else:
        _epub_section(project, '<p>{% include "epub/leak.j2" %}</p>')
    stderr = _one_line_error(warraq("-C", str(project), "build", "--format", fmt))
    assert "leak.j2" in stderr and "outside" in stderr
    assert "SECRET-CONTENT" not in stderr
    assert not list((project / "build").glob(f"*.{fmt}")) if (project / "build").exists() else True


def test_old_epub_template_names_are_an_error(tmp_path: Path, warraq: Runner) -> None:
    project = copy_fixture("epub/qanat", tmp_path)
    _write(project / "templates" / "epub" / "book.css", "p { color: red; }\n")
    stderr = _one_line_error(warraq("-C", str(project), "build"))
    assert "book.css.j2" in stderr


# EPUB: nothing from outside the book ------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        '<img src="http://127.0.0.1:9/a.png" alt=""/>',
        '<script src="https://127.0.0.1:9/s.js"></script>',
        '<link rel="stylesheet" href="file:///etc/passwd"/>',
        '<p style="background: url(//127.0.0.1:9/b.png)">x</p>',
    ],
)
def test_epub_refuses_references_out_of_the_book(
    tmp_path: Path, warraq: Runner, extra: str
) -> None:
    project = copy_fixture("epub/qanat", tmp_path)
    _epub_section(project, extra)
    stderr = _one_line_error(warraq("-C", str(project), "build"))
    assert "127.0.0.1:9" in stderr or "file:///etc/passwd" in stderr
    assert "section.xhtml.j2" in stderr


def test_epub_refuses_a_remote_import_in_extra_css(tmp_path: Path, warraq: Runner) -> None:
    project = copy_fixture("epub/qanat", tmp_path)
    _write(
        project / "templates" / "epub" / "extra.css", '@import url("http://127.0.0.1:9/x.css");\n'
    )
    stderr = _one_line_error(warraq("-C", str(project), "build", "--format", "epub"))
    assert "http://127.0.0.1:9/x.css" in stderr


def test_css_references_see_through_escapes_and_comments() -> None:
    css = '@import "h\\74tp://a/x.css"; p { background: url( /**/ "../img/ok.png" ); }'
    assert css_references(css) == ["http://a/x.css"]
    assert css_references('p::after { content: "see http://a" } q { b: url(data:x) }') == []


# Partial overrides and extra stylesheets ---------------------------------------------------


@pytest.mark.slow
def test_epub_extra_css_is_appended_and_drops_the_conformance_claim(
    tmp_path: Path, warraq: Runner
) -> None:
    project = copy_fixture("epub/qanat", tmp_path)
    _write(project / "templates" / "epub" / "extra.css", "p.author { letter-spacing: 0.1em; }\n")
    result = warraq("-C", str(project), "build", "--format", "epub")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(project / "build" / "qanat.ar-fr.epub") as archive:
        css = archive.read("EPUB/css/book.css").decode()
        package = archive.read("EPUB/package.opf").decode()
    assert css.rstrip().endswith("p.author { letter-spacing: 0.1em; }")
    assert "@font-face" in css  # the theme's stylesheet comes first
    assert "dcterms:conformsTo" not in package
    assert "extra.css" in package


@pytest.mark.slow
def test_pdf_block_override_and_extra_css(tmp_path: Path, warraq: Runner) -> None:
    project = copy_fixture("pdf/water", tmp_path)
    _pdf_override(
        project, "imprint", '{{ super() }}<p class="house" lang="fr">Maison Warraq, Lyon</p>'
    )
    _write(
        project / "templates" / "pdf" / "extra.css",
        'p.house::after { content: " (feuille de style du projet)"; }\n',
    )
    result = warraq("-C", str(project), "build", "--format", "pdf")
    assert result.exit_code == 0, result.stderr
    pdf = project / "build" / "water.ar-fr.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Maison Warraq, Lyon (feuille de style du projet)" in text
    assert "L’eau dans les villes arabes" in text  # the rest of the theme still prints
    assert "Salma al-Rachid" in text


@pytest.mark.slow
def test_pdf_template_reaching_out_stops_the_build(tmp_path: Path, warraq: Runner) -> None:
    project = copy_fixture("pdf/water", tmp_path)
    with _logging_server() as (base, requests):
        _pdf_override(
            project,
            "imprint",
            '{{ super() }}<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            f'<image href="{base}/x.png" width="10" height="10"/></svg>'
            '<link rel="attachment" href="file:///etc/hostname">',
        )
        stderr = _one_line_error(warraq("-C", str(project), "build", "--format", "pdf"))
    assert f"{base}/x.png" in stderr or "file:///etc/hostname" in stderr
    assert requests == []
    assert not (project / "build" / "water.ar-fr.pdf").exists()

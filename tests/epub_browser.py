"""Open EPUB chapters in Debian's Chromium (headless, through playwright) and measure them.

The tests use :func:`open_browser` and :func:`measure_chapter`; run by hand,
``python -m tests.epub_browser BOOK.epub [OUT]`` writes screenshots of every
chapter at phone and desktop widths (default OUT: build/screenshots/).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDE, NARROW = 1000, 400


def extract(epub: Path, folder: Path) -> Path:
    """Unzip ``epub`` into ``folder`` and return the folder holding the package."""
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(folder)
    return folder / "EPUB"


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on localhost; yield its base URL.

    Chromium will not load fonts from file:// pages (they are cross-origin
    there), so the extracted book is served as a reading system would serve it.
    """
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".xhtml": "application/xhtml+xml",
        ".css": "text/css",
        ".ttf": "font/ttf",
        ".otf": "font/otf",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def open_browser() -> Iterator[Any]:
    """A fresh Chromium context (its own empty profile), closed afterwards."""
    from playwright.sync_api import sync_playwright

    profile = Path(tempfile.mkdtemp(prefix="warraq-chromium-"))
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(profile),
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": WIDE, "height": 800},
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@dataclass
class Measure:
    """Where the first pair's two blocks are, and which fonts rendered its text."""

    source_box: dict[str, float]
    target_box: dict[str, float]
    font_faces: list[dict[str, str]]
    source_fonts: list[dict[str, Any]]
    target_fonts: list[dict[str, Any]]


_BOXES = """() => {
  const pair = document.querySelector("div.pair");
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  };
  return {
    source: box(pair.querySelector(".source")),
    target: box(pair.querySelector(".target")),
  };
}"""

_FACES = """async () => {
  await document.fonts.ready;
  return Array.from(document.fonts).map((face) => ({
    family: face.family.replace(/"/g, ""),
    weight: String(face.weight),
    style: face.style,
    status: face.status,
  }));
}"""


def _platform_fonts(page: Any, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium actually drew a node's text with (DevTools protocol)."""
    session = page.context.new_cdp_session(page)
    try:
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument", {"depth": -1})["root"]
        node = session.send("DOM.querySelector", {"nodeId": root["nodeId"], "selector": selector})
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
        return list(fonts["fonts"])
    finally:
        session.detach()


def measure_chapter(context: Any, url: str, width: int, screenshot: Path | None = None) -> Measure:
    """Open ``url`` at ``width`` CSS pixels; measure its first pair; save a screenshot."""
    page = context.new_page()
    try:
        page.set_viewport_size({"width": width, "height": 900 if width > 600 else 800})
        page.goto(url, wait_until="load")
        faces = page.evaluate(_FACES)
        boxes = page.evaluate(_BOXES)
        source_fonts = _platform_fonts(page, "div.pair > .source")
        target_fonts = _platform_fonts(page, "div.pair > .target")
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        return Measure(boxes["source"], boxes["target"], faces, source_fonts, target_fonts)
    finally:
        page.close()


def screenshot_book(epub: Path, out: Path) -> list[Path]:
    """Screenshots of every content document of ``epub`` at both widths, into ``out``."""
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        root = extract(epub, Path(tmp))
        pages = [*sorted((root / "text").glob("*.xhtml")), root / "nav.xhtml"]
        with serve(root) as base, open_browser() as context:
            for document in pages:
                for width in (WIDE, NARROW):
                    name = f"{epub.stem}.{document.stem}.{width}.png"
                    page = context.new_page()
                    page.set_viewport_size({"width": width, "height": 800})
                    page.goto(base + str(document.relative_to(root)), wait_until="load")
                    page.evaluate("document.fonts.ready.then(() => true)")
                    page.screenshot(path=str(out / name), full_page=True)
                    page.close()
                    written.append(out / name)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("build/screenshots")
    target.mkdir(parents=True, exist_ok=True)
    for path in screenshot_book(Path(sys.argv[1]), target):
        print(path)

"""Bad sources: each gets one line naming the file and the fix, and a non-zero exit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Runner
from warraq.document.readers import MAX_SOURCE_BYTES


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("latin1.txt", "نص.\n".encode() + b"caf\xe9\n", ["not UTF-8", "offset 9", "line 2"]),
        ("empty.txt", "", ["the source is empty"]),
        ("blank.txt", " \n\t\n\u00a0\n", ["the source is empty"]),
        ("french.txt", "Un texte en français.\n", ["no Arabic text", "source_language"]),
        (
            "bad.md",
            "---\ntitle: [unclosed\n---\nنص.\n",
            ["line 2", "front matter is not valid YAML"],
        ),
        ("open.md", "---\ntitle: عنوان\nنص.\n", ["line 1", "never closed"]),
        ("list.md", "---\n- a\n- b\n---\nنص.\n", ["line 2", "must be 'key: value' lines"]),
        ("number.md", "---\ntitle: 12\n---\nنص.\n", ["line 2", "'title' must be a non-empty text"]),
        ("book.docx", "نص", ["book.docx", "not a readable .docx file"]),
        ("book.rtf", "نص", ["unknown source type '.rtf'", ".md", ".txt", ".docx", ".odt"]),
        ("only-code.md", "```\nنص برمجي\n```\n", ["no text to publish"]),
        ("c0.txt", "سطر.\n\nهذا\x01 نص.\n", ["line 3", "U+0001", "remove it from the source"]),
        ("del.md", "# عنوان\n\nنص\x7f هنا.\n", ["line 3", "U+007F"]),
        ("c1.md", "نص.\n\n> اقتباس\n> فيه \x9b رمز.\n", ["line 3", "U+009B"]),
        ("heading.md", "# عنوان\x1b\n\nنص.\n", ["line 1", "U+001B"]),
    ],
)
def test_bad_source(
    warraq: Runner, tmp_path: Path, name: str, data: bytes | str, expected: list[str]
) -> None:
    path = _write(tmp_path, name, data)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = warraq("structure", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"warraq: error: {path}")
    for fragment in expected:
        assert fragment in lines[0]
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_directory_and_missing_file(warraq: Runner, tmp_path: Path) -> None:
    result = warraq("structure", str(tmp_path))
    assert result.exit_code == 1
    assert "is a directory" in result.stderr
    result = warraq("structure", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_language_disagreement(warraq: Runner, tmp_path: Path) -> None:
    path = _write(tmp_path, "x.md", "---\nlanguage: fr\n---\nنص عربي.\n")
    result = warraq("structure", str(path), "--language", "ar")
    assert result.exit_code == 1
    assert "front matter says language 'fr'" in result.stderr


def test_other_language_source_is_accepted_when_declared(warraq: Runner, tmp_path: Path) -> None:
    path = _write(tmp_path, "x.md", "---\nlanguage: fr\n---\nUn texte. Deux phrases.\n")
    result = warraq("structure", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert '"language": "fr"' in result.stdout


def _nested_quotes(path: Path, depth: int) -> Path:
    path.write_text(f"نص أول.\n\n{'>' * depth} اقتباس عميق.\n\nنص أخير.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ("structure",),
        ("translate", "--update-only", "--to", "fr"),
        ("build", "--draft", "--to", "fr", "-j", "1"),
    ],
)
def test_quotes_nested_past_the_limit_are_one_line_naming_file_and_line(
    warraq: Runner, tmp_path: Path, command: tuple[str, ...]
) -> None:
    source = _nested_quotes(tmp_path / "deep.md", 1000)
    result = warraq(command[0], str(source), *command[1:], cwd=tmp_path)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"warraq: error: {source}, line 3: block quotes nested more than 100")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep.md"]  # nothing written


def test_quotes_nested_to_the_limit_are_read(warraq: Runner, tmp_path: Path) -> None:
    source = _nested_quotes(tmp_path / "deep.md", 100)
    result = warraq("structure", "--json", str(source))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count('"type": "quote"') == 100


@pytest.mark.slow
def test_quotes_nested_to_the_limit_build(warraq: Runner, tmp_path: Path) -> None:
    source = _nested_quotes(tmp_path / "deep.md", 100)
    result = warraq("build", str(source), "--draft", "--to", "fr", "-j", "1", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "build" / "deep.ar-fr.pdf").stat().st_size > 0
    assert (tmp_path / "build" / "deep.ar-fr.epub").stat().st_size > 0


def _source_of(path: Path, size: int) -> Path:
    """A .txt source of exactly ``size`` bytes: Arabic paragraphs, padded with spaces."""
    paragraph = "هذه جملة من نص طويل جدا.\n\n"
    data = (paragraph * (size // len(paragraph.encode()) + 1)).encode()[:size]
    data = data[: data.rfind(b"\n") + 1]
    path.write_bytes(data + b" " * (size - len(data)))
    assert path.stat().st_size == size
    return path


@pytest.mark.parametrize(
    "command",
    [
        ("structure",),
        ("translate", "--engine", "fake", "--to", "fr"),
        ("build", "--draft", "--to", "fr", "-j", "1"),
    ],
)
def test_a_source_past_the_size_limit_is_refused_before_anything_is_written(
    warraq: Runner, tmp_path: Path, command: tuple[str, ...]
) -> None:
    source = _source_of(tmp_path / "big.txt", MAX_SOURCE_BYTES + 1)
    result = warraq(command[0], str(source), *command[1:], cwd=tmp_path)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"warraq: error: {source}: 2.0 MiB ({MAX_SOURCE_BYTES + 1:,} bytes)")
    assert "up to 2 MiB" in line and "split it" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt"]


def test_the_size_limit_is_the_size_itself(
    warraq: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("warraq.document.readers.MAX_SOURCE_BYTES", 4000)
    assert warraq("structure", str(_source_of(tmp_path / "a.txt", 4000))).exit_code == 0
    result = warraq("structure", str(_source_of(tmp_path / "b.txt", 4001)))
    assert result.exit_code == 1 and "(4,001 bytes)" in result.stderr


def test_the_size_limit_counts_a_web_pages_text_not_its_scripts(
    warraq: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("warraq.document.readers.MAX_SOURCE_BYTES", 4000)
    script = "<script>" + "var x = 1;\n" * 1000 + "</script>"
    page = tmp_path / "page.html"
    paragraph = "<p>هذه جملة من مقالة على الشبكة.</p>\n"
    body = f"{script}<article>{paragraph * 10}</article>"
    page.write_text(f'<html lang="ar"><body>{body}</body></html>')
    assert page.stat().st_size > 4000
    assert warraq("structure", str(page)).exit_code == 0
    page.write_text(f'<html lang="ar"><body><article>{paragraph * 200}</article></body></html>')
    result = warraq("structure", str(page))
    assert result.exit_code == 1 and "MiB of text" in result.stderr

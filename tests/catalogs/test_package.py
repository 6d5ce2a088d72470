"""The catalogs package: split by job, small modules, every public name still importable."""

from __future__ import annotations

import importlib
from pathlib import Path

import warraq.catalogs

PACKAGE = Path(warraq.catalogs.__file__).parent
JOBS = ("paths", "entries", "extract", "merge", "load", "save", "pofile", "translation")


def test_one_module_per_job_none_over_400_lines() -> None:
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    assert set(JOBS) <= modules
    for path in PACKAGE.glob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 400, f"{path.name}: {lines} lines"


def test_the_package_reexports_what_its_modules_define() -> None:
    for name in warraq.catalogs.__all__:
        value = getattr(warraq.catalogs, name)
        home = getattr(value, "__module__", None)
        if home is not None and home.startswith("warraq.catalogs."):
            assert getattr(importlib.import_module(home), name) is value
    # What the other stages import today.
    for name in (
        "catalog_path",
        "template_path",
        "load_translation",
        "read_catalog",
        "translatable_segments",
        "extract_template",
        "merge_catalog",
        "settle_template",
        "CatalogFile",
        "needs_translation",
        "record_machine_translation",
        "message_status",
        "MACHINE_COMMENT_PREFIX",
        "PREVIOUS_TRANSLATION_PREFIX",
    ):
        assert name in warraq.catalogs.__all__

"""Fixtures of the translate tests: what CTranslate2 is asked to run on."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def translator_devices(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every ``device`` CTranslate2's ``Translator`` is made with, in this process.

    The translator is made on the CPU all the same, so that a test of the
    ``cuda`` setting runs the real code path up to the constructor, and on,
    without a GPU.
    """
    import ctranslate2

    real = ctranslate2.Translator
    devices: list[str] = []

    def translator(model_path: str, *args: Any, device: str = "cpu", **options: Any) -> Any:
        devices.append(device)
        return real(model_path, *args, device="cpu", **options)

    monkeypatch.setattr(ctranslate2, "Translator", translator)
    return devices

"""A fake engine for tests: ``[fr] <source>``, deterministic, optionally slow.

``WARRAQ_FAKE_DELAY`` (seconds per segment) slows it down, so that a test can
interrupt a run halfway.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence

from warraq.errors import WarraqError
from warraq.translate.engine import Batch

BATCH_SIZE = 4


class FakeEngine:
    """Prefixes each text with the target language in brackets: ``[fr] نص``."""

    name = "fake"

    def pair(self, source: str, target: str) -> FakePair:
        """A fake translator for any pair."""
        return FakePair(target)


class FakePair:
    """The fake translator of one pair."""

    def __init__(self, target: str) -> None:
        self.target = target
        delay = os.environ.get("WARRAQ_FAKE_DELAY", "0")
        try:
            self.delay = float(delay)
        except ValueError:
            raise WarraqError(f"WARRAQ_FAKE_DELAY is {delay!r}; give seconds, e.g. 0.1") from None

    @property
    def provenance(self) -> str:
        """Says plainly that this is not a translation."""
        return "fake engine (a test double; not a translation)"

    def translate(self, texts: Sequence[str]) -> Iterator[Batch]:
        """``[target] text`` for every text, in batches of :data:`BATCH_SIZE`."""
        for start in range(0, len(texts), BATCH_SIZE):
            chunk = range(start, min(start + BATCH_SIZE, len(texts)))
            time.sleep(self.delay * len(chunk))
            yield [(index, f"[{self.target}] {texts[index]}") for index in chunk]

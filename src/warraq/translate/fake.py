"""A fake engine for tests and benchmarks: ``[fr] <source>`` by default, deterministic.

Registered as ``fake`` (``warraq translate --engine fake``), it answers
``[target] text``; ``WARRAQ_FAKE_DELAY`` (seconds per segment) slows it down,
so that a test can interrupt a run halfway, in another process or on a
cluster's workers. In-process, :class:`FakeEngine`'s options make every test
double a test needs: fixed or computed answers (:data:`Answer`), a delay, a
failure after some batches, and a record of every text received.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence

from warraq.errors import WarraqError
from warraq.translate.engine import Batch

BATCH_SIZE = 4
PROVENANCE = "fake engine (a test double; not a translation)"

Answer = Callable[[str, str, int], str]
"""How a fake engine answers: ``(target language, text, its index in the call)`` → translation."""


def bracketed(target: str, text: str, index: int) -> str:
    """The default answer: ``[fr] text``."""
    return f"[{target}] {text}"


class FakeError(RuntimeError):
    """The failure a fake engine was asked to raise."""


class FakeEngine:
    """A deterministic engine for any pair; the instance is its own factory, for ``ENGINES``.

    ``answer`` makes each translation; ``delay`` is seconds per text (``None``:
    ``WARRAQ_FAKE_DELAY``, else none); after ``fail_after`` batches (all pairs
    together) the next one raises :class:`FakeError`. :attr:`received` holds
    every text given to it, by target language; :attr:`calls` counts calls to
    ``translate``.
    """

    def __init__(
        self,
        *,
        name: str = "fake",
        answer: Answer = bracketed,
        delay: float | None = None,
        batch_size: int = BATCH_SIZE,
        fail_after: int | None = None,
        provenance: str = PROVENANCE,
    ) -> None:
        self.name = name
        self.answer = answer
        self.delay = delay
        self.batch_size = batch_size
        self.fail_after = fail_after
        self.provenance = provenance
        self.received: dict[str, list[str]] = {}
        self.calls = 0
        self.batches = 0

    def __call__(self) -> FakeEngine:
        """This engine: so that an instance can be registered in ``ENGINES``."""
        return self

    def pair(self, source: str, target: str) -> FakePair:
        """A fake translator into ``target`` (from any source)."""
        delay = self.delay
        if delay is None:
            setting = os.environ.get("WARRAQ_FAKE_DELAY", "0")
            try:
                delay = float(setting)
            except ValueError:
                raise WarraqError(
                    f"WARRAQ_FAKE_DELAY is {setting!r}; give seconds, e.g. 0.1"
                ) from None
        return FakePair(self, target, delay)


class FakePair:
    """The fake translator of one pair."""

    def __init__(self, engine: FakeEngine, target: str, delay: float) -> None:
        self.engine = engine
        self.target = target
        self.delay = delay

    @property
    def provenance(self) -> str:
        """Says plainly that this is not a translation (unless the test says otherwise)."""
        return self.engine.provenance

    def translate(self, texts: Sequence[str]) -> Iterator[Batch]:
        """The engine's answer for every text, in batches of its ``batch_size``."""
        engine = self.engine
        engine.calls += 1
        engine.received.setdefault(self.target, []).extend(texts)
        for start in range(0, len(texts), engine.batch_size):
            if engine.fail_after is not None and engine.batches >= engine.fail_after:
                raise FakeError(f"fake engine: failing after {engine.fail_after} batches, as asked")
            chunk = range(start, min(start + engine.batch_size, len(texts)))
            time.sleep(self.delay * len(chunk))
            engine.batches += 1
            yield [(index, engine.answer(self.target, texts[index], index)) for index in chunk]

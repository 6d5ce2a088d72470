"""Progress of long work: a live line on a terminal, occasional plain lines elsewhere."""

from __future__ import annotations

import time
from typing import Protocol, TextIO


class Progress(Protocol):
    """Told how much work there is, and how much is done."""

    def start(self, total: int) -> None:
        """There are ``total`` units of work."""

    def update(self, done: int, label: str) -> None:
        """``done`` units are finished; ``label`` says what is being worked on."""

    def finish(self) -> None:
        """The work is over (finished or interrupted)."""


class NoProgress:
    """Shows nothing."""

    def start(self, total: int) -> None:
        """Ignore."""

    def update(self, done: int, label: str) -> None:
        """Ignore."""

    def finish(self) -> None:
        """Ignore."""


def duration(seconds: float) -> str:
    """A short human duration.

    >>> duration(4.2), duration(75), duration(7300)
    ('4 s', '1 min 15 s', '2 h 1 min')
    """
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60} min"


class _Meter:
    """Counts units against the clock: rate and time left."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.total = 0
        self.done = 0
        self.started = time.monotonic()

    def start(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.started = time.monotonic()

    def describe(self, label: str) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        text = f"{label}: {self.done}/{self.total} {self.unit}"
        if self.done:
            rate = self.done / elapsed
            text += f", {rate:.1f}/s"
            if self.done < self.total:
                text += f", about {duration((self.total - self.done) / rate)} left"
            else:
                text += f", {duration(elapsed)}"
        return text


class TerminalProgress(_Meter):
    """One line, redrawn in place: done/total, units per second, time left."""

    def __init__(self, stream: TextIO, unit: str = "segments") -> None:
        super().__init__(unit)
        self.stream = stream
        self.width = 0
        self.drawn = False

    def update(self, done: int, label: str) -> None:
        """Redraw the line."""
        self.done = done
        line = self.describe(label)
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)
        self.drawn = True

    def finish(self) -> None:
        """End the line."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
        self.drawn = False


class LineProgress(_Meter):
    """A plain line now and then (every ``interval`` seconds), for logs and pipes."""

    def __init__(self, stream: TextIO, unit: str = "segments", interval: float = 10.0) -> None:
        super().__init__(unit)
        self.stream = stream
        self.interval = interval
        self.last = 0.0
        self.label = ""
        self.printed: tuple[int, str] | None = None  # the state the last line showed

    def start(self, total: int) -> None:
        """Reset the counters."""
        super().start(total)
        self.last = time.monotonic()
        self.printed = None

    def update(self, done: int, label: str) -> None:
        """Print a line if the interval has passed."""
        self.done = done
        self.label = label
        if time.monotonic() - self.last >= self.interval:
            self._print(label)
            self.last = time.monotonic()

    def finish(self) -> None:
        """Print where the work ended, unless the last line said so already."""
        if self.total and self.printed != (self.done, self.label or "done"):
            self._print(self.label or "done")

    def _print(self, label: str) -> None:
        self.stream.write(self.describe(label) + "\n")
        self.stream.flush()
        self.printed = (self.done, label)


def progress_for(stream: TextIO, unit: str = "segments", interval: float = 10.0) -> Progress:
    """A live line when ``stream`` is a terminal, else plain lines ``interval`` seconds apart.

    A few long units (outputs to validate, say) want ``interval=0``: a line for each.
    """
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        return TerminalProgress(stream, unit)
    return LineProgress(stream, unit, interval)

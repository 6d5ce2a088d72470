"""An exclusive lock on a project's catalogs, so two runs never write them at once."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from warraq.errors import WarraqError


@contextlib.contextmanager
def exclusive_lock(
    path: Path, *, wait: bool = False, on_wait: Callable[[str], None] = lambda _: None
) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if needed) for the ``with`` block.

    When another process holds it: wait for it if ``wait`` (telling ``on_wait``
    once), else raise a :class:`WarraqError` naming the holder's process id.
    The lock goes with the process, so a killed run never leaves it stuck.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise WarraqError(
                    f"another 'warraq translate'{holder} is working on these catalogs "
                    f"(lock {path}); let it finish, or run with --wait to wait for it"
                ) from None
            on_wait(f"waiting for another 'warraq translate'{holder} to finish (lock {path})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    """`` (process N)`` from the lock file, when it names one."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {text})" if text.isdigit() else ""

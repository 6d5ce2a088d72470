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
    The lock goes with the process, so a killed run never leaves it stuck. On
    the way out the lock file is removed, and so are the folders made for it
    that are still empty (a failed first run leaves no empty ``locales/``).
    """
    created = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    fd = _acquire(path, wait, on_wait)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        # Removed while still held: a run waiting on this file sees it gone and locks afresh.
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)
        for folder in created:
            try:
                folder.rmdir()
            except OSError:  # not empty: someone's files, or another run's lock
                break


def _acquire(path: Path, wait: bool, on_wait: Callable[[str], None]) -> int:
    """A descriptor of ``path``, flocked, still the file at ``path`` (not one removed meanwhile)."""
    told = False
    while True:
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
                if not told:
                    on_wait(
                        f"waiting for another 'warraq translate'{holder} to finish (lock {path})"
                    )
                    told = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            if _same_file(fd, path):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the holder removed the file as it finished: lock the new one


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _holder(fd: int) -> str:
    """`` (process N)`` from the lock file, when it names one."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {text})" if text.isdigit() else ""

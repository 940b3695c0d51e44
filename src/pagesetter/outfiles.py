"""Writing output files so that none is ever half-written, lost or mixed.

Every output (PDF, preview PNG, JSON report) is written to a temporary file
beside its target, flushed to disk, given the mode the target already had,
and renamed over it in one step. Temporary files are removed when the write
fails or the process is interrupted (SIGINT, SIGTERM). The renames of one
render's files happen under a lock on their folder, so two renders writing
the same outputs at once never leave one's PDF beside the other's PNG.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from pagesetter.errors import PagesetterError


class Terminated(BaseException):
    """SIGTERM, raised where the process is, so ``finally`` blocks remove temporary files."""


_SIGNALLED: list[type[BaseException]] = []  # what a SIGINT or SIGTERM raised, kept


def raise_on_sigterm() -> None:
    """SIGTERM raises Terminated; SIGINT, KeyboardInterrupt as always. Each is also kept, and
    ``commit`` raises it again: a library's bare ``except:`` may swallow the first (it did, now
    and then, while a PDF was written), and then nothing half-done may still be put in place."""
    import signal

    def on_signal(signum, frame):
        raised = Terminated if signum == signal.SIGTERM else KeyboardInterrupt
        _SIGNALLED.append(raised)
        raise raised()

    signal.signal(signal.SIGTERM, on_signal)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, on_signal)


_PENDING: set[str] = set()  # temporary files not yet renamed or removed


@contextlib.contextmanager
def _signals_held():
    """Hold SIGINT/SIGTERM while a temporary file is created and recorded, so none escapes the record."""
    import signal
    import threading
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


STALE_SECONDS = 600  # no render within the limits takes this long: an older temporary file is a killed one's


def _remove_stale(target: Path, suffix: str) -> None:
    """Temporary files a killed render (SIGKILL, power loss) left beside ``target``."""
    import glob
    import time
    now = time.time()
    for name in glob.glob(glob.escape(str(target.parent / f".{target.stem}.")) + f"*{glob.escape(suffix)}.tmp"):
        with contextlib.suppress(OSError):
            st = os.lstat(name)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > STALE_SECONDS:
                os.unlink(name)


def temp_beside(target: Path, suffix: str) -> Path:
    """A new, empty temporary file in ``target``'s folder (created there, so the rename is atomic).
    Temporary files of the same target left by a killed render are removed first."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target, suffix)
        with _signals_held():
            fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f"{suffix}.tmp", dir=target.parent)
            _PENDING.add(tmp)
    except OSError as exc:
        raise PagesetterError(f"cannot write the {suffix.lstrip('.').upper()} there: {exc.strerror}",
                              file=str(target)) from None
    os.close(fd)
    return Path(tmp)


def discard_pending() -> None:
    """Remove every temporary file still lying about (on SIGINT/SIGTERM, wherever they struck)."""
    discard(*list(_PENDING))


def _mode_for(target: Path) -> int:
    try:
        st = os.stat(target)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
    if not stat.S_ISREG(st.st_mode):
        raise PagesetterError("is not a regular file; refusing to replace it", file=str(target))
    return stat.S_IMODE(st.st_mode)


def commit(tmp: Path, target: Path) -> None:
    """Flush ``tmp`` to disk, give it ``target``'s mode (new files: 0666 less the umask) and rename it over ``target``."""
    with _discarding(tmp, target):
        if _SIGNALLED:
            raise _SIGNALLED[0]()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
        _PENDING.discard(str(tmp))
        with contextlib.suppress(OSError):  # make the rename itself durable
            dfd = os.open(Path(target).parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)


@contextlib.contextmanager
def _discarding(tmp: Path, target: Path):
    """On any failure inside: ``tmp`` is removed, and an OSError becomes one line naming ``target``."""
    try:
        yield
    except OSError as exc:
        discard(tmp)
        raise PagesetterError(f"cannot write: {exc.strerror or exc}", file=str(target)) from None
    except BaseException:
        discard(tmp)
        raise


def discard(*paths) -> None:
    for p in paths:
        if p is not None:
            with contextlib.suppress(OSError):
                os.unlink(p)
            _PENDING.discard(str(p))


@contextlib.contextmanager
def folder_lock(folder: Path):
    """Held while one render renames its files into ``folder`` (advisory; where flock exists)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_atomically(target: Path, data: bytes) -> None:
    """``data`` into ``target``: all of it, or (on any failure) the old file untouched."""
    tmp = temp_beside(target, Path(target).suffix)
    with _discarding(tmp, target):
        tmp.write_bytes(data)
    commit(tmp, target)

"""The journal of a sweep: finished configurations, appended as they finish.

A journal is a text file of JSON lines. The first line is a header naming the sweep it belongs
to (the fingerprint of :meth:`~councilsim.sweep.spec.SweepSpec.fingerprint`: base scenario,
grid, options, measure function and councilsim version) and the number of configurations;
every other line is one finished row, with a checksum (``check``: SHA-256 of the sweep's
fingerprint and the row) so that a line edited, forged or copied from another journal is
refused. Lines are written whole and flushed after every batch,
so a killed process leaves every batch it wrote (the operating system keeps what was
written); they are also forced to disk (``fsync``) at most every :data:`SYNC_SECONDS` and
when the journal is closed, so a power cut loses at most that much. A last line cut short by
a crash is dropped when the journal is read back.

Every line read back is checked against the grid (:func:`read_rows`): the index in range, the
configuration id and values of that index, the status, the measures an ``ok`` row must have
and the checksum; an error names the line. Only a regular file is taken for a journal (a
folder, a link or a special file in its place is refused). An open journal holds an exclusive
lock (``flock``) on the journal file itself, so that two runs cannot write or resume one
journal at once; the lock goes with the process, so a killed run leaves no stale lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from councilsim import __version__
from councilsim.errors import ScenarioError
from councilsim.files import read_bytes
from councilsim.limits import MAX_JOURNAL_BYTES

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

Expect = Callable[[int], Mapping[str, Any]]
"""For a configuration index, what its row must hold: ``id`` and ``vary``."""

FORMAT = "councilsim-sweep-journal"
SYNC_SECONDS = 1.0


def journal_path(output: str | os.PathLike[str]) -> Path:
    """The journal that belongs to an output file: ``<output>.journal`` beside it."""
    out = Path(output)
    return out.with_name(out.name + ".journal")


class Journal:
    """An open journal: :meth:`append` rows, :meth:`close` when done.

    Open one with :meth:`create` (a new sweep) or :meth:`resume` (read the rows of an
    interrupted run of the same sweep, then append).
    """

    def __init__(
        self, path: Path, handle: IO[str], rows: dict[int, dict[str, Any]], fingerprint: str
    ) -> None:
        self.path = path
        self.rows = rows
        """Rows already in the journal, by configuration index."""
        self._handle = handle
        self._fingerprint = fingerprint
        self._synced = time.monotonic()

    @classmethod
    def create(cls, path: str | os.PathLike[str], fingerprint: str, total: int) -> Journal:
        """Start a new journal; an existing file is an error (resume it or remove it)."""
        target = Path(path)
        if _kind(target) is not None:
            raise ScenarioError(
                "a journal of an unfinished sweep is in the way",
                file=str(target),
                fix="add --resume to continue that sweep, or --force to start again",
            )
        handle = _open(target, "x")
        _lock(handle, target)
        handle.write(json.dumps(_header(fingerprint, total)) + "\n")
        journal = cls(target, handle, {}, fingerprint)
        journal.sync()
        return journal

    @classmethod
    def resume(
        cls,
        path: str | os.PathLike[str],
        fingerprint: str,
        total: int,
        expect: Expect | None = None,
    ) -> Journal:
        """Open an existing journal of this sweep (or start one where there is none); every
        row is checked (see :func:`read_rows`)."""
        target = Path(path)
        kind = _kind(target)
        if kind is None:
            return cls.create(target, fingerprint, total)
        if kind != "file":
            raise ScenarioError(
                f"the journal is {kind}, not a file",
                file=str(target),
                fix="move it away, or choose another --output",
            )
        handle = _open(target, "r+")
        try:
            _lock(handle, target)
            rows, good = read_rows(target, fingerprint, total, expect)
            handle.seek(good)
            handle.truncate()
        except BaseException:
            handle.close()
            raise
        return cls(target, handle, rows, fingerprint)

    def append(self, rows: Iterable[dict[str, Any]]) -> None:
        """Write finished rows and flush them; sync to disk when due."""
        batch = list(rows)
        text = "".join(_line(r, self._fingerprint) for r in batch)
        with _ctrl_c_held():
            # written and counted together: a Ctrl-C never finds rows written but not counted
            # in ``rows`` (or counted but not written)
            self._handle.write(text)
            self._handle.flush()
            for r in batch:
                self.rows[int(r["index"])] = r
        if time.monotonic() - self._synced >= SYNC_SECONDS:
            self.sync()

    def sync(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._synced = time.monotonic()

    def close(self) -> None:
        if not self._handle.closed:
            self.sync()
            self._handle.close()

    def remove(self) -> None:
        """Close and delete the journal (once the final output is safely written)."""
        self.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold back a Ctrl-C (SIGINT) until the block is done, then raise it as usual.

    Only the main thread receives signals; elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread() or (
        signal.getsignal(signal.SIGINT) is None  # a handler not set from Python: leave it
    ):
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            signal.raise_signal(signal.SIGINT)  # now, to the handler it was meant for


def _header(fingerprint: str, total: int) -> dict[str, Any]:
    return {"format": FORMAT, "sweep": fingerprint, "version": __version__, "total": total}


def _checksum(row: Mapping[str, Any], fingerprint: str) -> str:
    body = {k: v for k, v in row.items() if k != "check"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{fingerprint}\n{text}".encode()).hexdigest()[:16]


def _line(row: dict[str, Any], fingerprint: str) -> str:
    line = {**row, "check": _checksum(row, fingerprint)}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"


def _kind(path: Path) -> str | None:
    """``None`` where nothing is, ``"file"`` for a regular file, else what is there."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a folder" if stat.S_ISDIR(mode) else "a special file"


def _lock(handle: IO[str], path: Path) -> None:
    """Hold an exclusive lock on the open journal, or refuse at once."""
    if fcntl is None:  # pragma: no cover
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise ScenarioError(
            "another run is using this journal",
            file=str(path),
            fix="wait for it to finish, or stop it first",
        ) from None


def _open(path: Path, mode: str) -> IO[str]:
    try:
        return path.open(mode, encoding="utf-8", newline="\n")
    except OSError as err:
        raise ScenarioError(
            f"cannot write the journal: {err.strerror}",
            file=str(path),
            fix="choose an --output in a folder you can write to",
        ) from None


def read_rows(
    path: Path, fingerprint: str, total: int, expect: Expect | None = None
) -> tuple[dict[int, dict[str, Any]], int]:
    """The rows of a journal of this sweep, and the byte length of its whole lines.

    Each row is checked: an index in ``0..total-1`` given once, the fields of a row, the
    status (``ok`` with measures, the same names in every ``ok`` row; ``invalid`` with a
    reason), the checksum and, with ``expect``, the configuration id and values of that index.

    Raises :class:`~councilsim.errors.ScenarioError` when the file is not a journal, belongs
    to another sweep, or has a line that fails a check (naming the line).
    """
    data = read_bytes(path, str(path), limit=MAX_JOURNAL_BYTES, what="a sweep journal")
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: empty, or a line cut short
    header = _json(lines[0]) if lines else None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ScenarioError(
            "not a sweep journal",
            file=str(path),
            fix="move it away, or add --force to replace it",
        )
    if header.get("sweep") != fingerprint or header.get("total") != total:
        raise ScenarioError(
            "the journal belongs to a different sweep (another grid, base scenario, "
            f"options or councilsim version {str(header.get('version'))[:20]})",
            file=str(path),
            fix="run the same sweep to resume it, or add --force to start this one afresh",
        )
    rows: dict[int, dict[str, Any]] = {}
    names: set[str] | None = None
    offset = len(lines[0]) + 1
    for n, raw in enumerate(lines[1:], start=2):
        row = _json(raw)
        problem = _row_problem(row, fingerprint, total, rows, expect)
        if problem is None and row["status"] == "ok":
            if names is not None and set(row["measures"]) != names:
                problem = "its measures differ from those of the rows before it"
            names = set(row["measures"])
        if problem is not None:
            raise ScenarioError(
                f"line {n}: {problem}",
                file=str(path),
                line=n,
                fix="add --force to start the sweep again",
            )
        rows[row["index"]] = {k: v for k, v in row.items() if k != "check"}
        offset += len(raw) + 1
    del tail
    return rows, offset


_FIELDS = {"index", "id", "vary", "status", "reason", "measures", "check"}


def _row_problem(
    row: Any,
    fingerprint: str,
    total: int,
    seen: Mapping[int, Any],
    expect: Expect | None,
) -> str | None:
    """What is wrong with a journal row, or ``None``."""
    if not isinstance(row, dict):
        return "not a row of a sweep journal"
    if set(row) != _FIELDS:
        missing = sorted(_FIELDS - set(row)) or sorted(set(row) - _FIELDS)
        return f"the row {'lacks' if _FIELDS - set(row) else 'has an unknown'} {missing[0]!r}"
    index = row["index"]
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < total:
        return f"index {str(index)[:20]} is not in 0..{total - 1}"
    if index in seen:
        return f"configuration {index} is given twice"
    if row["check"] != _checksum(row, fingerprint):
        return "the checksum does not match the row (an edited or copied line)"
    if expect is not None:
        want = expect(index)
        if row["id"] != want["id"] or row["vary"] != want["vary"]:
            return f"the row is not that of configuration {index} of this grid"
    if row["status"] == "ok":
        if row["reason"] is not None or not isinstance(row["measures"], dict):
            return "an ok row has a reason or no measures"
    elif row["status"] == "invalid":
        if not isinstance(row["reason"], str) or row["measures"] != {}:
            return "an invalid row has no reason, or has measures"
    else:
        return f"unknown status {str(row['status'])[:20]!r}"
    return None


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None

"""The journal of a sweep: finished configurations, appended as they finish.

A journal is a text file of JSON lines. The first line is a header naming the sweep it belongs
to (the fingerprint of :meth:`~councilsim.sweep.spec.SweepSpec.fingerprint`: base scenario,
grid, options, measure function and councilsim version) and the number of configurations;
every other line is one finished row. Lines are written whole and flushed after every batch,
so a killed process leaves every batch it wrote (the operating system keeps what was
written); they are also forced to disk (``fsync``) at most every :data:`SYNC_SECONDS` and
when the journal is closed, so a power cut loses at most that much. A last line cut short by
a crash is dropped when the journal is read back.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from councilsim import __version__
from councilsim.errors import ScenarioError

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

    def __init__(self, path: Path, handle: IO[str], rows: dict[int, dict[str, Any]]) -> None:
        self.path = path
        self.rows = rows
        """Rows already in the journal, by configuration index."""
        self._handle = handle
        self._synced = time.monotonic()

    @classmethod
    def create(cls, path: str | os.PathLike[str], fingerprint: str, total: int) -> Journal:
        """Start a new journal; an existing file is an error (resume it or remove it)."""
        target = Path(path)
        if target.exists():
            raise ScenarioError(
                "a journal of an unfinished sweep is in the way",
                file=str(target),
                fix="add --resume to continue that sweep, or --force to start again",
            )
        handle = _open(target, "x")
        handle.write(json.dumps(_header(fingerprint, total)) + "\n")
        journal = cls(target, handle, {})
        journal.sync()
        return journal

    @classmethod
    def resume(cls, path: str | os.PathLike[str], fingerprint: str, total: int) -> Journal:
        """Open an existing journal of this sweep (or start one where there is none)."""
        target = Path(path)
        if not target.exists():
            return cls.create(target, fingerprint, total)
        rows, good = read_rows(target, fingerprint, total)
        handle = _open(target, "r+")
        handle.seek(good)
        handle.truncate()
        return cls(target, handle, rows)

    def append(self, rows: Iterable[dict[str, Any]]) -> None:
        """Write finished rows and flush them; sync to disk when due."""
        batch = list(rows)
        self._handle.write("".join(_line(r) for r in batch))
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


def _header(fingerprint: str, total: int) -> dict[str, Any]:
    return {"format": FORMAT, "sweep": fingerprint, "version": __version__, "total": total}


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


def _open(path: Path, mode: str) -> IO[str]:
    try:
        return path.open(mode, encoding="utf-8", newline="\n")
    except OSError as err:
        raise ScenarioError(
            f"cannot write the journal: {err.strerror}",
            file=str(path),
            fix="choose an --output in a folder you can write to",
        ) from None


def read_rows(path: Path, fingerprint: str, total: int) -> tuple[dict[int, dict[str, Any]], int]:
    """The rows of a journal of this sweep, and the byte length of its whole lines.

    Raises :class:`~councilsim.errors.ScenarioError` when the file is not a journal, belongs
    to another sweep, or is damaged before its last line.
    """
    data = path.read_bytes()
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
            f"options or councilsim version {header.get('version')})",
            file=str(path),
            fix="run the same sweep to resume it, or add --force to start this one afresh",
        )
    rows: dict[int, dict[str, Any]] = {}
    offset = len(lines[0]) + 1
    for n, raw in enumerate(lines[1:], start=2):
        row = _json(raw)
        index = row.get("index") if isinstance(row, dict) else None
        if not isinstance(row, dict) or not isinstance(index, int) or not 0 <= index < total:
            raise ScenarioError(
                f"line {n} is damaged",
                file=str(path),
                fix="add --force to start the sweep again",
            )
        rows[index] = row
        offset += len(raw) + 1
    del tail
    return rows, offset


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None

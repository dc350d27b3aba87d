"""Files: reading input safely, checking output locations, writing output whole or not at all.

Every reader of user files (scenario and sweep files, ideal-point, candidates and membership
CSV files) goes through :func:`read_text`: a file is read only if it is a regular file (not a
folder, a device such as ``/dev/zero``, a FIFO or a socket), and never past a size cap, so a
few bytes of scenario cannot make a command read without end. Every file read is remembered, so
that no output of the same command can replace it (:func:`check_output`,
:func:`write_atomic`).

Every output location (``-o``, ``--plot``, ``--report``, a sweep's table) is checked by
:func:`check_output` before any work: its folder must exist, and it must not be a folder, a
special file, a symbolic link, or a file the command reads. Symbolic links are refused rather
than followed: writing is done by renaming a new file over the target, which would replace the
link itself (not the file it points to), so either choice would surprise; naming the real
file is always possible.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from councilsim.errors import ScenarioError

__all__ = [
    "PACKAGE",
    "check_output",
    "forget_inputs",
    "package_data",
    "read_bytes",
    "read_text",
    "remember_input",
    "why_not_a_file",
    "write_atomic",
]

_INPUTS: set[tuple[int, int]] = set()


PACKAGE = Path(__file__).resolve().parent
"""The package's own folder, where :func:`importlib.resources.files` would find its files
for an installed package, without importing :mod:`importlib.resources` on every command's
start."""


def package_data(name: str) -> str:
    """The text of a data file shipped in the package (``councilsim/data/NAME``, UTF-8)."""
    return (PACKAGE / "data" / name).read_text(encoding="utf-8")


def remember_input(path: str | os.PathLike[str]) -> None:
    """Note that this process read ``path``: no output may replace it."""
    try:
        st = os.stat(path)
    except OSError:
        return
    _INPUTS.add((st.st_dev, st.st_ino))


def forget_inputs() -> None:
    """Forget the files read so far (a command starts with none)."""
    _INPUTS.clear()


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_bytes(
    path: str | os.PathLike[str], display: str, *, limit: int, what: str = "a data file"
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises
    ------
    ScenarioError
        Naming ``display``: a missing or unreadable file, a folder, a device, a FIFO or a
        socket, a file larger than ``limit`` (also one that grows past it while read).
    """
    fix = f"give the path of {what}"
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError("no such file", file=display, fix=fix) from None
    except OSError as err:
        raise ScenarioError(f"cannot read: {_reason(err)}", file=display, fix=fix) from None
    if not stat.S_ISREG(st.st_mode):
        raise ScenarioError(f"is {_kind(st.st_mode)}, not a file", file=display, fix=fix)
    too_big = ScenarioError(
        f"file is over {limit:,} bytes; {what} is at most {limit:,}",
        file=display,
        fix=f"check that this is {what} file" if " file" not in what else "check the file",
    )
    if st.st_size > limit:
        raise too_big
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ScenarioError("is not a regular file", file=display, fix=fix)
            data = fh.read(limit + 1)
    except OSError as err:
        raise ScenarioError(f"cannot read: {_reason(err)}", file=display, fix=fix) from None
    if len(data) > limit:
        raise too_big
    _INPUTS.add((st.st_dev, st.st_ino))
    return data


def read_text(
    path: str | os.PathLike[str], display: str, *, limit: int, what: str = "a data file"
) -> str:
    """The UTF-8 text of a regular file (see :func:`read_bytes`); a leading byte-order mark
    is dropped."""
    data = read_bytes(path, display, limit=limit, what=what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ScenarioError(
            "not UTF-8 text", file=display, line=line, fix="save it as UTF-8"
        ) from None


def why_not_a_file(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be read as a file (``"does not exist"``, ``"is a folder"``, ``"is a
    loop of symbolic links"``...), or ``None`` when it is a regular file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "is a broken symbolic link" if os.path.islink(path) else "does not exist"
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "is a loop of symbolic links"
        return f"cannot be read: {_reason(err)}"
    if stat.S_ISREG(st.st_mode):
        return None
    return f"is {_kind(st.st_mode)}, not a file"


def _reason(err: OSError) -> str:
    return err.strerror or type(err).__name__


def check_output(
    path: str | os.PathLike[str] | None,
    option: str = "--output",
    inputs: Iterable[str | os.PathLike[str]] = (),
    *,
    read: bool = True,
) -> None:
    """Refuse, before any work, an output location that cannot or must not be written.

    Refused: a path whose folder does not exist; a folder, a device, a FIFO or a socket; a
    symbolic link (see the module docstring); a file named in ``inputs``; with ``read``, a
    file read since the command started (:func:`read_bytes`, :func:`forget_inputs`).
    """
    if path is None or str(path) == "":
        return
    target = Path(path)
    shown = str(path)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError as err:
        raise ScenarioError(f"cannot use {shown!r}: {_reason(err)}", key=option) from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise ScenarioError(
                f"{shown!r} is a symbolic link",
                key=option,
                fix="name the file it points to, or remove the link",
            )
        if not stat.S_ISREG(st.st_mode):
            raise ScenarioError(
                f"{shown!r} is {_kind(st.st_mode)}", key=option, fix="give the path of a file"
            )
        same = {(st.st_dev, st.st_ino)}
        if (read and same & _INPUTS) or any(_same(p, st) for p in inputs):
            raise ScenarioError(
                f"{shown!r} is an input of this command",
                key=option,
                fix="write the output to another file",
            )
    if not target.absolute().parent.is_dir():
        raise ScenarioError(
            f"the folder of {shown!r} does not exist", key=option, fix="create it first"
        )


def _same(path: str | os.PathLike[str], st: os.stat_result) -> bool:
    try:
        other = os.stat(path)
    except (OSError, ValueError):
        return False
    return (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all.

    The data go to a temporary file beside the target, flushed to disk, which then replaces
    the target in one rename: an error or Ctrl-C leaves the previous file (or none), never a
    partial one. The new file gets the permissions a plainly created file would get (0666
    less the umask), not the private mode of temporary files. Text is written as UTF-8 with
    the line endings given. The target is checked first (:func:`check_output`, without the
    files read): a special file, a link or a folder is never replaced.
    """
    check_output(path, "output", read=False)
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    import tempfile  # here: reading files, every command's start, does not need it

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

"""The input files of a directory, and what was skipped there and why.

Why not `p.is_file() for p in path.iterdir()`: that follows every symlink (a `passwd.jsonl ->
/etc/passwd` in a shared folder was read and loaded) and drops dangling links, loops, FIFOs and
subdirectories without a word, so a user could not tell why a file was not loaded. Here a directory
is read one level deep and each entry is either an input (a regular file, or a symlink to a regular
file inside the same directory tree) or a `Skipped` with its reason; the loader prints one note per
skipped entry (`tracker load` and `tracker extract`).

A FIFO is skipped rather than opened: opening one blocks until a writer appears.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str

    def note(self) -> str:
        return f"{self.path}: skipped: {self.reason}"


@dataclass
class DirectoryScan:
    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _kind(mode: int) -> str | None:
    """None for a regular file, else what the entry is."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a subdirectory (directories are read one level deep; give it as an input of its own)"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    return "not a regular file"


def _link_target(entry: Path, root: Path) -> str | None:
    """None for a symlink to something inside `root`, else why it is skipped."""
    try:
        target = entry.resolve(strict=True)
    except FileNotFoundError:
        return f"a dangling symlink (to {os.readlink(entry)}, which does not exist)"
    except RuntimeError:  # Python before 3.13 says "Symlink loop" this way
        return "a symlink loop"
    except OSError as e:
        return "a symlink loop" if e.errno == errno.ELOOP else f"cannot follow the symlink: {e.strerror or e}"
    if target != root and root not in target.parents:
        return f"a symlink to {target}, outside the directory (give that file as an input itself to load it)"
    return None


def scan_directory(path: Path) -> DirectoryScan:
    """The inputs of directory `path` (sorted by name) and every entry skipped, with its reason."""
    root = path.resolve()
    scan = DirectoryScan()
    for entry in sorted(path.iterdir()):
        if entry.name.startswith("."):
            scan.skipped.append(Skipped(entry, "a hidden file"))
            continue
        why = _link_target(entry, root) if entry.is_symlink() else None
        if why is not None:
            scan.skipped.append(Skipped(entry, why))
            continue
        try:
            mode = os.stat(entry).st_mode  # follows a (checked) symlink: what it points at is what is read
        except OSError as e:
            scan.skipped.append(Skipped(entry, f"cannot read: {e.strerror or e}"))
            continue
        why = _kind(mode)
        if why is not None:
            scan.skipped.append(Skipped(entry, why))
        else:
            scan.files.append(entry)
    return scan

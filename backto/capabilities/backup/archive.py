"""The backup folder: its layout, its manifest, its checksums, and the media files in it.

A backup is a folder rather than one archive file:

    PATH/
      manifest.json     what is in it (BackTo version, database, migrations, row counts, files)
      SHA256SUMS        a checksum of every other file, in the format `sha256sum -c` reads
      database.sqlite3  (SQLite) or database.pgdump (PostgreSQL, pg_dump's custom format)
      media/...         the uploaded files, as they are under BACKTO_MEDIA_ROOT

A folder is written file by file with no second copy of the data, a damaged file is named by
its checksum while the others stay usable, anyone can check it with coreutils alone, and
incremental tools (restic, borg, rsync) store the unchanged media once. Who wants one file runs
`tar` (and encryption) over the folder. The folder is written under a temporary name beside PATH
and renamed into place last, so a folder named PATH is always a complete backup.
"""

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.management.base import CommandError
from pydantic import BaseModel, ValidationError
from tqdm import tqdm

FORMAT = "backto-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
MEDIA = "media"
CHUNK = 1024 * 1024

# progress(description, total, unit) -> a tqdm bar (the commands draw it on stderr).
Progress = Callable[[str, int, str], tqdm]


def no_progress(description: str, total: int, unit: str) -> tqdm:
    return tqdm(total=total, disable=True)


def progress_bars(verbosity: int) -> Progress:
    """Bars on stderr, as the other commands draw them; none at verbosity 0."""

    def bar(description: str, total: int, unit: str) -> tqdm:
        return tqdm(
            desc=description,
            total=total,
            unit=unit,
            unit_scale=unit == "B",
            disable=verbosity < 1,
            file=sys.stderr,
        )

    return bar


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the backup folder, with forward slashes
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


def sha256_of(path: Path, bar: tqdm | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            if bar is not None:
                bar.update(len(chunk))
    return digest.hexdigest()


def entry_for(folder: Path, relative: str) -> FileEntry:
    path = folder / relative
    return FileEntry(relative, path.stat().st_size, sha256_of(path))


# --- Writing


def reserve(target: Path) -> Path:
    """The temporary folder a backup is written into, beside `target`. Refuses an existing
    `target`: a backup is never overwritten."""
    if target.exists() or target.is_symlink():
        raise CommandError(
            f"{target} already exists: a backup is never overwritten. Give a new path, e.g. "
            "one with the date in it."
        )
    partial = target.parent / f".{target.name}.partial-{secrets.token_hex(4)}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.mkdir(mode=0o700)
    except OSError as error:
        raise CommandError(f"Cannot write a backup in {target.parent}: {error.strerror}.") from None
    return partial


def publish(partial: Path, target: Path) -> None:
    """Rename the finished folder into place (refusing a path that appeared meanwhile)."""
    if target.exists() or target.is_symlink():
        raise CommandError(f"{target} appeared while the backup was written; it was left alone.")
    partial.rename(target)


def media_files(root: Path) -> list[str]:
    """Every regular file under the media folder, relative and sorted. Symbolic links are not
    followed: an upload is always a plain file."""
    if not root.is_dir():
        return []
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                relative = path.relative_to(root).as_posix()
                if "\n" in relative or "\\" in relative:
                    raise CommandError(
                        f"The media file {relative!r} has a newline or backslash in its name; "
                        "rename it before backing up."
                    )
                found.append(relative)
    return found


def copy_hashing(source: Path, destination: Path, bar: tqdm) -> FileEntry | None:
    """Copy one file and checksum what was written, in one pass. None when the file went away
    while the backup ran (the database snapshot, taken first, cannot name it)."""
    digest = hashlib.sha256()
    size = 0
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        src = source.open("rb")
    except FileNotFoundError:
        return None
    with src, destination.open("xb") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            bar.update(len(chunk))
    return FileEntry("", size, digest.hexdigest())


def copy_media(root: Path, folder: Path, progress: Progress) -> list[FileEntry]:
    names = media_files(root)
    total = sum((root / name).stat().st_size for name in names if (root / name).exists())
    entries = []
    with progress("Media files", total, "B") as bar:
        for name in names:
            copied = copy_hashing(root / name, folder / MEDIA / name, bar)
            if copied is not None:
                entries.append(FileEntry(f"{MEDIA}/{name}", copied.size, copied.sha256))
    return entries


def write_manifest(folder: Path, manifest: dict[str, Any], files: list[FileEntry]) -> None:
    """manifest.json, then SHA256SUMS over every file including the manifest."""
    manifest = {**manifest, "files": [entry.as_json() for entry in files]}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n")
    every = [entry_for(folder, MANIFEST), *files]
    (folder / CHECKSUMS).write_text("".join(f"{e.sha256}  {e.path}\n" for e in every))


# --- Reading and verifying


def read_checksums(folder: Path) -> dict[str, str]:
    path = folder / CHECKSUMS
    if not path.is_file():
        raise CommandError(
            f"{folder} has no {CHECKSUMS}: it is not a BackTo backup, or an unfinished one."
        )
    sums = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64:
            raise CommandError(f"{path} is damaged: line {number} is not `<sha256>  <file>`.")
        sums[name] = digest
    return sums


class _File(BaseModel):
    path: str
    size: int
    sha256: str


class _Database(BaseModel):
    vendor: str
    file: str


class _Manifest(BaseModel):
    """What a restore relies on in manifest.json (the rest is for people)."""

    backto_version: str
    created_at: str
    database: _Database
    migrations: dict[str, list[str]]
    tables: dict[str, int]
    files: list[_File]


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (UnicodeDecodeError, json.JSONDecodeError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(f"{folder}/{MANIFEST} is not a BackTo backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise CommandError(
            f"This backup's format version is {manifest.get('format_version')}; this BackTo "
            f"reads version {FORMAT_VERSION}. Restore it with the BackTo version that made it "
            f"({manifest.get('backto_version')})."
        )
    try:
        _Manifest.model_validate(manifest)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CommandError(
            f"{MANIFEST} is not as BackTo writes it: {where}: {first['msg']}."
        ) from None
    return manifest


def verify(folder: Path, progress: Progress) -> dict[str, Any]:
    """Check every file against its checksum before anything is touched; the manifest, once
    its own checksum holds. A damaged or missing file is named."""
    if not folder.is_dir():
        raise CommandError(f"{folder} is not a folder: give the folder `backto backup` wrote.")
    sums = read_checksums(folder)
    if MANIFEST not in sums:
        raise CommandError(f"{folder}/{CHECKSUMS} does not list {MANIFEST}.")
    if sha256_of(folder / MANIFEST) != sums[MANIFEST]:
        raise CommandError(f"{MANIFEST} is damaged: its checksum differs from {CHECKSUMS}.")
    manifest = read_manifest(folder)
    entries = [FileEntry(**entry) for entry in manifest["files"]]
    for entry in entries:
        parts = PurePosixPath(entry.path).parts
        if entry.path.startswith("/") or ".." in parts or "\\" in entry.path or not parts:
            raise CommandError(f"{MANIFEST} names a file outside the backup: {entry.path!r}.")
    listed = {entry.path for entry in entries} | {MANIFEST}
    if set(sums) != listed:
        raise CommandError(
            f"{CHECKSUMS} and {MANIFEST} list different files: "
            f"{', '.join(sorted(set(sums) ^ listed))}."
        )
    with progress("Checking checksums", sum(e.size for e in entries), "B") as bar:
        for entry in entries:
            path = folder / entry.path
            if not path.is_file():
                raise CommandError(f"{entry.path} is missing from the backup.")
            if path.stat().st_size != entry.size:
                raise CommandError(
                    f"{entry.path} is damaged: {path.stat().st_size} bytes, the manifest says "
                    f"{entry.size}."
                )
            if sha256_of(path, bar) != entry.sha256 or sums[entry.path] != entry.sha256:
                raise CommandError(f"{entry.path} is damaged: its checksum differs.")
    return manifest


def media_entries(manifest: dict[str, Any]) -> list[FileEntry]:
    prefix = f"{MEDIA}/"
    return [FileEntry(**e) for e in manifest["files"] if e["path"].startswith(prefix)]


# --- Restoring media


def files_under(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for directory, _subdirs, files in os.walk(root):
            for name in files:
                yield Path(directory) / name


def refuse_nonempty_media(root: Path) -> None:
    existing = next(files_under(root), None)
    if existing is not None:
        raise CommandError(
            f"The media folder {root} already holds files ({existing.relative_to(root)}, ...). "
            "A restore goes into an empty media folder: move these away first."
        )


class MediaRestore:
    """Media files staged under the media folder (so that moving them into place is a rename on
    one file system), then put in place, and taken out again if the database restore fails."""

    def __init__(self, folder: Path, root: Path, entries: list[FileEntry]) -> None:
        self.folder, self.root, self.entries = folder, root, entries
        self.staging = root / f".restore-{secrets.token_hex(4)}"
        self.placed: list[Path] = []
        self.created_dirs: list[Path] = []
        self.created_root = not root.exists()

    def stage(self, progress: Progress) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.staging.mkdir(mode=0o700)
        with progress("Media files", sum(e.size for e in self.entries), "B") as bar:
            for entry in self.entries:
                relative = entry.path.removeprefix(f"{MEDIA}/")
                copied = copy_hashing(self.folder / entry.path, self.staging / relative, bar)
                if copied is None or copied.sha256 != entry.sha256:
                    raise CommandError(f"{entry.path} changed while it was being restored.")

    def put_in_place(self) -> None:
        for entry in self.entries:
            relative = entry.path.removeprefix(f"{MEDIA}/")
            destination = self.root / relative
            missing = destination.parent
            while not missing.exists():
                self.created_dirs.append(missing)
                missing = missing.parent
            destination.parent.mkdir(parents=True, exist_ok=True)
            (self.staging / relative).rename(destination)
            self.placed.append(destination)
        shutil.rmtree(self.staging, ignore_errors=True)

    def undo(self) -> None:
        """Back to the empty media folder the restore started from."""
        for path in self.placed:
            path.unlink(missing_ok=True)
        shutil.rmtree(self.staging, ignore_errors=True)
        made = sorted(self.created_dirs, key=lambda d: len(d.parts), reverse=True)
        for directory in [*made, *([self.root] if self.created_root else [])]:
            with contextlib.suppress(OSError):
                directory.rmdir()

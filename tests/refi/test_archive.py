"""Safe .qdpx reading: traversal, symlinks, limits streamed (never header sizes), DTDs."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from tests.refi.conftest import DATA
from thematic.errors import ArchiveLimitError, ExchangeError, UnsafeArchiveError
from thematic.refi.archive import ArchiveLimits, QdpxArchive, parse_xml
from thematic.refi.qde_read import read_project


def make(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("/etc/passwd", "an absolute path"),
        ("C:/x.txt", "an absolute path"),
        ("sources/../../x.txt", "a '../' path"),
        ("..\\x.txt", "a '../' path"),
    ],
)
def test_escaping_names(tmp_path: Path, name: str, why: str) -> None:
    path = make(tmp_path / "a.qdpx", {"project.qde": b"<Project/>", name: b"x"})
    with pytest.raises(UnsafeArchiveError, match=rf"a\.qdpx: entry '.*' is {why}"):
        QdpxArchive(path)


def test_symlink_entries(tmp_path: Path) -> None:
    path = tmp_path / "link.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        info = zipfile.ZipInfo("sources/p.txt")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(info, "/etc/passwd")
    with pytest.raises(UnsafeArchiveError, match=r"entry 'sources/p\.txt' is a symbolic link"):
        QdpxArchive(path)


def test_over_the_size_limit_counts_inflated_bytes(tmp_path: Path) -> None:
    path = make(
        tmp_path / "bomb.qdpx", {"project.qde": b"<Project/>", "sources/big.txt": b"a" * 3_000_000}
    )
    archive = QdpxArchive(path, limits=ArchiveLimits(max_total_bytes=1_000_000))
    with pytest.raises(
        ArchiveLimitError,
        match=r"entry 'sources/big\.txt' takes the archive past the limit of 1000000",
    ):
        archive.read("sources/big.txt")


def test_header_sizes_are_not_trusted(tmp_path: Path) -> None:
    """A zip whose headers claim a tiny size still stops at the byte budget."""
    path = make(tmp_path / "liar.qdpx", {"sources/big.txt": b"a" * 2_000_000})
    data = bytearray(path.read_bytes())
    # rewrite the uncompressed size in the central directory to 10 bytes
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    archive = QdpxArchive(path, limits=ArchiveLimits(max_total_bytes=100_000))
    with pytest.raises((ArchiveLimitError, ExchangeError)):
        archive.read("sources/big.txt")


def test_project_over_the_limit(tmp_path: Path) -> None:
    with pytest.raises(ArchiveLimitError, match=r"past the limit of 2000 inflated bytes"):
        read_project(DATA / "nvivo_windows.qdpx", limits=ArchiveLimits(max_total_bytes=2000))


def test_too_many_entries(tmp_path: Path) -> None:
    path = make(tmp_path / "many.qdpx", {f"sources/{i}.txt": b"x" for i in range(30)})
    with pytest.raises(ArchiveLimitError, match=r"holds 30 entries, more than the limit of 10"):
        QdpxArchive(path, limits=ArchiveLimits(max_entries=10))


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.qdpx"
    path.write_bytes(b"hello")
    with pytest.raises(ExchangeError, match=r"x\.qdpx: not a REFI-QDA project archive"):
        QdpxArchive(path)


def test_external_entity_is_refused() -> None:
    xxe = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><p>&x;</p>'
    with pytest.raises(
        UnsafeArchiveError, match=r"a\.qdpx: entry 'project\.qde' declares a DOCTYPE"
    ):
        parse_xml(xxe, path="a.qdpx", entry="project.qde")


def test_find_accepts_the_tools_spellings(tmp_path: Path) -> None:
    path = make(tmp_path / "f.qdpx", {"Sources/A.txt": b"x", "sources/.root": b""})
    archive = QdpxArchive(path)
    assert archive.find("internal://A.txt") == "Sources/A.txt"
    assert archive.find("a.txt") == "Sources/A.txt"
    assert archive.find("internal://missing.txt") is None


@pytest.mark.parametrize(("root", "remedy", "hint"), [
    ("CodeBook", "load-as-codebook", "Load it as the project's codebook"),
    ("html", None, "Check that this is the project file you meant."),
])
def test_a_loose_file_that_is_no_project_says_what_it_is(tmp_path: Path, root: str,
                                                         remedy: str | None, hint: str) -> None:
    path = tmp_path / "codes.qdc"
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?><{root}/>', encoding="utf-8")
    with pytest.raises(ExchangeError, match=f"not a REFI-QDA project: the root element is <{root}>") as info:
        read_project(path)
    assert info.value.remedy == remedy and hint in (info.value.hint or "")

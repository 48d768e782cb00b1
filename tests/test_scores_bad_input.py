"""`ladderbuild scores` on bad input: each bad file gets its own error, the others are still scored,
the exit code says something went wrong and a summary line ends the run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from ladderbuild.forms import identity
from ladderbuild.scores import read
from scores_support import fill, packets, run


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("bad-input")
    project, _roster, blank = packets(root, "employee_id,name,level,manager\nA1,Ana Silva,assistant-1,Dr. Chen\n")
    pdf = fill(blank / "A1.pdf", root / "good.pdf", {
        "annual.rating.vital-signs": "3", "annual.rating.scheduling": "3", "annual.value.respect.rating": "3",
        "annual.goal.1.text": "A goal", "annual.goal.1.rating": "3"})
    return {"project": project, "pdf": pdf, "root": root}


def _edited(good: dict, folder: Path, name: str, edit) -> Path:
    target = folder / name
    with pikepdf.open(good["pdf"]) as pdf:
        edit(pdf)
        pdf.save(target)
    return target


def _flatten(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/AcroForm"]
    for page in pdf.pages:
        if "/Annots" in page.obj:
            del page.obj["/Annots"]


def _strip_metadata(pdf: pikepdf.Pdf) -> None:
    for key in identity.KEYS:
        if "/" + key in pdf.docinfo:
            del pdf.docinfo["/" + key]


def _other_framework(pdf: pikepdf.Pdf) -> None:
    pdf.docinfo["/" + identity.FRAMEWORK] = "nursing-clinical-ladder"


BAD = {
    "not-a-pdf.pdf": ("not a PDF file", lambda good, folder: _write(folder / "not-a-pdf.pdf", b"Name,Rating\nAna,3\n")),
    "empty.pdf": ("the file is empty", lambda good, folder: _write(folder / "empty.pdf", b"")),
    "encrypted.pdf": ("encrypted with a password", lambda good, folder: _encrypted(good, folder)),
    "corrupted.pdf": ("damaged", lambda good, folder: _write(
        folder / "corrupted.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")),
    "flattened.pdf": ("no form fields", lambda good, folder: _edited(good, folder, "flattened.pdf", _flatten)),
    "no-metadata.pdf": ("no ladderbuild metadata",
                        lambda good, folder: _edited(good, folder, "no-metadata.pdf", _strip_metadata)),
    "other-framework.pdf": ("another framework, `nursing-clinical-ladder`",
                            lambda good, folder: _edited(good, folder, "other-framework.pdf", _other_framework)),
    "huge.pdf": ("larger than the limit", lambda good, folder: _sparse(folder / "huge.pdf", 500_000_000)),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _encrypted(good: dict, folder: Path) -> Path:
    with pikepdf.open(good["pdf"]) as pdf:
        pdf.save(folder / "encrypted.pdf", encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return folder / "encrypted.pdf"


def _sparse(path: Path, size: int) -> Path:
    """A 500 MB file that takes no disk space: a PDF header, then a hole."""
    with open(path, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(size)
    return path


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_file_gets_its_own_error_and_the_good_one_is_still_scored(good, tmp_path, name):
    expected, make = BAD[name]
    folder = tmp_path / "in"
    folder.mkdir()
    make(good, folder)
    shutil.copy(good["pdf"], folder / "good.pdf")
    result = run("scores", str(folder), "-C", str(good["project"]), "-o", str(tmp_path / "out"), "-j", "1")
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1 and name in errors[0] and expected in errors[0], result.output
    assert result.output.strip().splitlines()[-1].startswith("2 files read: 1 scored, 1 refused")
    scored = (tmp_path / "out" / "scores.csv").read_text(encoding="utf-8-sig")
    assert "good.pdf" in scored and name not in scored
    assert name in (tmp_path / "out" / "problems.csv").read_text(encoding="utf-8-sig")


def test_a_truncated_pdf_is_reported_and_the_run_goes_on(good, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    data = good["pdf"].read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    shutil.copy(good["pdf"], folder / "good.pdf")
    result = run("scores", str(folder), "-C", str(good["project"]), "-o", str(tmp_path / "out"), "-j", "1")
    lines = [line for line in result.output.splitlines() if "truncated.pdf" in line]
    assert lines and ("damaged" in lines[0] or "no form fields" in lines[0] or "missing" in lines[0]), result.output
    assert "good.pdf" in (tmp_path / "out" / "scores.csv").read_text(encoding="utf-8-sig")


def test_a_huge_file_is_refused_without_being_opened(good, tmp_path, monkeypatch):
    huge = _sparse(tmp_path / "huge.pdf", 500_000_000)

    def never(*args, **kwargs):
        raise AssertionError("a file over the limit must not be handed to the PDF reader")

    monkeypatch.setattr(read.pikepdf, "open", never)
    reads = []
    real_open = open

    def counting_open(path, mode="r", *args, **kwargs):
        handle = real_open(path, mode, *args, **kwargs)
        if Path(path) == huge:
            reads.append(handle)
        return handle

    monkeypatch.setattr("builtins.open", counting_open)
    with pytest.raises(read.ReadError) as caught:
        read.read_pdf(huge, max_bytes=64_000_000)
    assert "500 MB" in caught.value.message
    assert reads == []  # the size alone refuses it: not even the header is read


def test_a_folder_of_ten_thousand_files_is_streamed_file_by_file(good, tmp_path):
    folder = tmp_path / "many"
    for n in range(100):
        sub = folder / f"batch-{n:03d}"
        sub.mkdir(parents=True)
        for m in range(100):
            (sub / f"{m:03d}.pdf").write_bytes(b"not a pdf")
    shutil.copy(good["pdf"], folder / "batch-050" / "good.pdf")
    (folder / "notes.txt").write_text("not a form, not a .pdf: skipped in folders", encoding="utf-8")
    result = run("scores", str(folder), "-C", str(good["project"]), "-o", str(tmp_path / "out"), "-j", "2", "-q")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: not a PDF file" in line]
    assert len(errors) == 10_000
    assert result.output.strip().splitlines()[-1].startswith("10001 files read: 1 scored, 10000 refused")
    assert "good.pdf" in (tmp_path / "out" / "scores.csv").read_text(encoding="utf-8-sig")


def test_a_path_that_does_not_exist_is_an_error_for_that_path(good, tmp_path):
    result = run("scores", str(tmp_path / "nowhere.pdf"), str(good["pdf"]), "-C", str(good["project"]),
                 "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "nowhere.pdf: error: no such file or folder" in result.output
    assert result.output.strip().splitlines()[-1].startswith("2 files read: 1 scored, 1 refused")

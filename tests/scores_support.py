"""Helpers for the `scores` tests (no tests here): fill PDFs the way a viewer saves them.

`fill` sets field values with pypdf and saves an incremental update, as
Acrobat and most form tools do: the original bytes, then the changed fields.
A radio button's value is its export value (`"3"`, `"na"`); a signature field
(/Sig) gets a signature dictionary, a text field the text.
"""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ByteStringObject, DictionaryObject, NameObject, TextStringObject


def run(*args: str):
    """`ladderbuild ARGS…` in this process, its output and exit code in the result."""
    from ladderbuild.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def packets(root: Path, roster_csv: str) -> tuple[Path, Path, Path]:
    """A copy of the minimal fixture in `root`, a roster with `roster_csv`, and `packets --packet
    annual-review` run for it: (project, roster, folder of the blank personalised packets)."""
    import shutil

    project = root / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal", project)
    roster = root / "roster.csv"
    roster.write_text(roster_csv, encoding="utf-8")
    made = run("packets", str(project), "--roster", str(roster), "--packet", "annual-review", "-o", str(root / "p"))
    assert made.exit_code == 0, made.output
    return project, roster, root / "p" / "annual-review"


def fill(src: Path, dst: Path, values: dict[str, str]) -> Path:
    """Copy `src` to `dst` with the named fields filled in (unknown names fail loudly)."""
    kinds = {name: fld.get("/FT") for name, fld in (PdfReader(src).get_fields() or {}).items()}
    unknown = sorted(set(values) - set(kinds))
    assert not unknown, f"no such fields in {src.name}: {unknown[:5]}"
    writer = PdfWriter(src, incremental=True)
    plain = {}
    for name, value in values.items():
        if kinds[name] == "/Btn":
            plain[name] = "/" + value
        elif kinds[name] == "/Sig":
            _sign(writer, name)
        else:
            plain[name] = value
    for page in writer.pages:
        writer.update_page_form_field_values(page, plain, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    dst.write_bytes(out.getvalue())
    return dst


def _sign(writer: PdfWriter, name: str) -> None:
    """Put a (cryptographically empty) signature dictionary in the /Sig field `name`: enough to be 'signed'."""
    for page in writer.pages:
        for ref in page.get("/Annots", []) or []:
            widget = ref.get_object()
            node, parts = widget, []
            while node is not None:
                if "/T" in node:
                    parts.append(str(node["/T"]))
                node = node.get("/Parent")
                node = node.get_object() if node is not None else None
            if ".".join(reversed(parts)) == name:
                target = widget if "/FT" in widget else widget["/Parent"].get_object()
                target[NameObject("/V")] = writer._add_object(DictionaryObject({
                    NameObject("/Type"): NameObject("/Sig"), NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
                    NameObject("/Contents"): ByteStringObject(b"\0" * 8), NameObject("/Name"): TextStringObject(name),
                }))
                return
    raise AssertionError(f"no widget for the signature field {name}")


def field_names(path: Path) -> list[str]:
    return sorted(name for name, fld in (PdfReader(path).get_fields() or {}).items() if fld.get("/FT"))

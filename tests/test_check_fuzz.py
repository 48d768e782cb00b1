"""Property-based: whatever the content, the loader returns a model or diagnostics — never a crash —
and every diagnostic points at a file that exists and a line inside it."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladderbuild.project import load_project

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"
FILES = sorted(p.relative_to(FIXTURE / "content").as_posix() for p in (FIXTURE / "content").rglob("*") if p.is_file())

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                    st.text(max_size=30), st.sampled_from(["vital-signs", "novice", "assistant-1", "all", "{{ x }}"]))
yaml_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=12), inner, max_size=4)), max_leaves=12)


DOCUMENTED = set(re.findall(r"^\| `([a-z0-9-]+)` \| (?:error|warning) \|",
                            (FIXTURE.parents[2] / "docs/content-format.md").read_text(), re.M))


YAML_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # where YAML (and so a diagnostic) starts a new line


def on_the_page(target: Path, line: int, column: int) -> bool:
    """True when `line`:`column` is inside the file: counted in bytes between newlines (as for
    undecodable files) or in characters between YAML's line breaks."""
    raw = target.read_bytes()
    for lines in (raw.split(b"\n"), YAML_BREAKS.split(raw.decode("utf-8", "replace"))):
        if lines and lines[-1] in (b"", "") and len(lines) > 1:
            lines = lines[:-1]  # the text after a final newline is no line
        if 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1:
            return True
    return False


def assert_sound(project: Path) -> None:
    """A model or errors, never an exception; every diagnostic on a line and column of a real file."""
    result = load_project(project)
    assert result.framework is not None or result.errors
    for diag in result.diagnostics:
        target = project / diag.file
        assert target.exists(), diag.format()
        assert diag.code in DOCUMENTED, diag.format()
        assert diag.message
        if target.is_file():
            assert on_the_page(target, diag.line, diag.column), diag.format()


def mutated_copy(relative: str, new_bytes: bytes) -> Path:
    root = Path(tempfile.mkdtemp(prefix="ladderfuzz-"))
    shutil.copytree(FIXTURE, root / "p")
    (root / "p" / "content" / relative).write_bytes(new_bytes)
    return root / "p"


fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fuzz
@given(relative=st.sampled_from(FILES), data=st.data())
def test_random_bytes_in_any_file(relative, data):
    original = (FIXTURE / "content" / relative).read_bytes()
    cut = data.draw(st.integers(0, len(original)))
    noise = data.draw(st.binary(max_size=40))
    project = mutated_copy(relative, original[:cut] + noise + original[cut:])
    try:
        assert_sound(project)
    finally:
        shutil.rmtree(project.parent)


@fuzz
@given(relative=st.sampled_from([f for f in FILES if f.endswith(".yaml")]), value=yaml_values, data=st.data())
def test_random_values_in_valid_yaml(relative, value, data):
    document = yaml.safe_load((FIXTURE / "content" / relative).read_text())
    if isinstance(document, dict) and document:
        key = data.draw(st.sampled_from(sorted(document)))
        document[key] = value
    elif isinstance(document, list) and document:
        document[data.draw(st.integers(0, len(document) - 1))] = value
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    project = mutated_copy(relative, text.encode("utf-8"))
    try:
        assert_sound(project)
    finally:
        shutil.rmtree(project.parent)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(relative=st.sampled_from([f for f in FILES if f.endswith(".md")]), value=yaml_values, data=st.data())
def test_random_values_in_front_matter(relative, value, data):
    _, front, body = (FIXTURE / "content" / relative).read_text().split("---\n", 2)
    document = yaml.safe_load(front)
    key = data.draw(st.sampled_from(sorted(document)))
    document[key] = value
    text = "---\n" + yaml.safe_dump(document, allow_unicode=True, sort_keys=False) + "---\n" + body
    project = mutated_copy(relative, text.encode("utf-8"))
    try:
        assert_sound(project)
    finally:
        shutil.rmtree(project.parent)


@fuzz
@given(lines=st.lists(st.sampled_from(
    ["id: x", "  - a", "\tb: 1", "- [", "key: : value", "'unclosed", "&a x", "*a", "? complex", "---", "...", "%YAML 1.2",
     "!!python/object:os.system ls", "a: !!binary ZZZ", "b: 0x1F", "c: 2026-13-45", ""]), max_size=8))
def test_yaml_fragments_in_a_level(lines):
    project = mutated_copy("levels/lead.md", ("---\n" + "\n".join(lines) + "\n---\nBody\n").encode())
    try:
        assert_sound(project)
    finally:
        shutil.rmtree(project.parent)

"""Property-based: whatever the content, the loader returns a model or diagnostics — never a crash —
and every diagnostic points at a file that exists and a line inside it."""

from __future__ import annotations

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


def assert_sound(project: Path) -> None:
    result = load_project(project)
    assert result.framework is not None or result.errors
    for diag in result.diagnostics:
        target = project / diag.file
        assert target.exists(), diag.format()
        if target.is_file():
            lines = max(1, len(target.read_bytes().splitlines()))
            assert 1 <= diag.line <= lines + 1, diag.format()
        assert diag.column >= 1 and diag.message and diag.code


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

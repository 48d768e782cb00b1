"""The diff misses nothing: every field of every model type, changed one at a time, gives a diff entry.

The model types are found by walking the annotations of the Framework's collections, not from a
list kept here, so a model or field added later is tested without touching this file. Instances
come from the shipped frameworks (the MA ladder and the software engineering example); a type no
framework uses is added to a copy by filling an empty field of a type that holds it, so every type
is tested even when no content uses it yet.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from pathlib import Path

import pytest
from pydantic import BaseModel

from ladderbuild.diff import NOT_COMPARED, PROVENANCE, RELEASE, diff_frameworks
from ladderbuild.project import load_project
from ladderbuild.resolve import Framework

REPO = Path(__file__).resolve().parents[1]
FRAMEWORKS = (REPO, REPO / "examples" / "software-engineering")


def _unwrap(tp):
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _members(tp) -> list:
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType, list, tuple, dict):
        return [m for arg in typing.get_args(tp) if arg is not Ellipsis for m in _members(arg)]
    return [tp]


def _models_in(tp) -> list[type[BaseModel]]:
    return [m for m in _members(tp) if isinstance(m, type) and issubclass(m, BaseModel)]


def _collections(fw: Framework) -> list[str]:
    return [f.name for f in dataclasses.fields(Framework) if f.name not in NOT_COMPARED]


def reachable_types(fw: Framework) -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    todo = [type(fw.meta)] + [type(entry) for name in _collections(fw) if name != "meta"
                              for entry in getattr(fw, name)[:1]]
    while todo:
        model = todo.pop()
        if model in found:
            continue
        found.add(model)
        for info in model.model_fields.values():
            todo += _models_in(info.annotation)
    return found


def instances(fw: Framework) -> dict[type, tuple]:
    """Model type → (path from the Framework, instance) of its first occurrence."""
    out: dict[type, tuple] = {}

    def visit(value, path):
        if isinstance(value, BaseModel):
            out.setdefault(type(value), (path, value))
            for name in type(value).model_fields:
                visit(getattr(value, name), path + (name,))
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                visit(item, path + (i,))
        elif isinstance(value, dict):
            for key, item in value.items():
                visit(item, path + (key,))

    for name in _collections(fw):
        visit(getattr(fw, name), (name,))
    return out


def replace(obj, path: tuple, value):
    """`obj` with the value at `path` replaced, rebuilding the immutable containers on the way."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(obj, Framework):
        return dataclasses.replace(obj, **{head: replace(getattr(obj, head), rest, value)})
    if isinstance(obj, BaseModel):
        return obj.model_copy(update={head: replace(getattr(obj, head), rest, value)})
    if isinstance(obj, tuple):
        return obj[:head] + (replace(obj[head], rest, value),) + obj[head + 1:]
    if isinstance(obj, list):
        return obj[:head] + [replace(obj[head], rest, value)] + obj[head + 1:]
    if isinstance(obj, dict):
        return {**obj, head: replace(obj[head], rest, value)}
    raise TypeError(type(obj))


def sample(tp):
    """A value of type `tp` (models built without validation: only the type matters here)."""
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return sample(args[-1])
    if origin is list:
        return [sample(typing.get_args(tp)[0])]
    if origin is dict:
        return {"sample-key": sample(typing.get_args(tp)[1])}
    if origin is typing.Literal:
        return typing.get_args(tp)[0]
    if isinstance(tp, type) and issubclass(tp, Enum):
        return list(tp)[0]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        values = {name: sample(info.annotation) for name, info in tp.model_fields.items() if info.is_required()}
        return tp.model_construct(**values)
    return {str: "sample text", int: 7, float: 7.5, bool: True}.get(tp, "sample text")


def changed(value, annotation):
    """A different value for a field that holds `value`."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, Enum):
        return next(m for m in type(value) if m != value)
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        members = [m for m in _members(annotation) if typing.get_origin(m) is typing.Literal]
        choices = [c for m in members for c in typing.get_args(m) if c != value]
        if choices:
            return choices[0]
        return value + "-changed" if value else "changed"
    if isinstance(value, (list, tuple)):
        return type(value)(value[:-1]) if value else [sample(typing.get_args(_unwrap(_list_of(annotation)))[0])]
    if isinstance(value, dict):
        if value:
            return {k: v for k, v in list(value.items())[:-1]}
        return sample(_dict_of(annotation))
    if isinstance(value, BaseModel):
        name, info = next((n, i) for n, i in type(value).model_fields.items())
        return value.model_copy(update={name: changed(getattr(value, name), info.annotation)})
    if value is None:
        return sample(annotation)
    if isinstance(value, (type(None),)) or hasattr(value, "isoformat"):
        return value.replace(year=value.year + 1)
    raise TypeError(f"no change known for {value!r}")


def _list_of(annotation):
    return next(m for m in _unwrap_all(annotation) if typing.get_origin(m) is list)


def _dict_of(annotation):
    return next(m for m in _unwrap_all(annotation) if typing.get_origin(m) is dict)


def _unwrap_all(annotation) -> list:
    tp = _unwrap(annotation)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [_unwrap(a) for a in typing.get_args(tp)]
    return [tp]


def enriched(fw: Framework, wanted: set[type]) -> Framework:
    """`fw` with an instance of every wanted type: an empty field that can hold a missing type is filled."""
    for _ in range(10):
        have = instances(fw)
        missing = wanted - set(have)
        if not missing:
            return fw
        for model, (path, value) in list(have.items()):
            for name, info in model.model_fields.items():
                if set(_models_in(info.annotation)) & missing and not getattr(value, name):
                    fw = replace(fw, path + (name,), changed(getattr(value, name), info.annotation))
                    break
            else:
                continue
            break
    return fw


@pytest.fixture(scope="module")
def frameworks():
    out = []
    for root in FRAMEWORKS:
        project = load_project(root)
        assert project.framework is not None, "\n".join(d.format() for d in project.errors)
        out.append(project.framework)
    return out


def cases():
    """(type name, field name) of every field of every model type reachable from the Framework."""
    project = load_project(REPO)
    for model in sorted(reachable_types(project.framework), key=lambda m: m.__name__):
        for name in model.model_fields:
            if name in PROVENANCE or (model.__name__ == "FrameworkFile" and name in RELEASE):
                continue
            yield model.__name__, name


@pytest.mark.parametrize("model_name, field", list(cases()))
def test_changing_any_field_gives_a_diff_entry(frameworks, model_name, field):
    wanted = reachable_types(frameworks[0])
    model = next(m for m in wanted if m.__name__ == model_name)
    for fw in frameworks:
        fw = enriched(fw, wanted)
        found = instances(fw).get(model)
        if found is not None:
            break
    assert found is not None, f"no framework holds a {model_name}, and none could be added"
    path, instance = found
    before = getattr(instance, field)
    after = changed(before, model.model_fields[field].annotation)
    assert after != before
    new = replace(fw, path + (field,), after)
    changes = diff_frameworks(fw, new)
    assert changes, f"changing {model_name}.{field} ({before!r} → {after!r}) at {path} gave no diff entry"
    assert all(c.text for c in changes)


def test_every_collection_of_the_framework_is_compared():
    """Adding a collection to Framework without the diff seeing it fails here, not in production."""
    names = {f.name for f in dataclasses.fields(Framework)}
    assert NOT_COMPARED <= names
    assert {"levels", "competencies", "forms", "packets", "specialisms", "roles"} <= names - NOT_COMPARED

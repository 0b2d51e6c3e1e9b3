"""Loading and checking form files: YAML errors to FILE:LINE issues, never a traceback."""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from inspector_app.core.forms.reader import _Reader
from inspector_app.core.forms.spec import FormError, FormIssue, FormSpec
from inspector_app.i18n import _, ngettext
from inspector_app.paths import shipped

_YAML_HINTS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", "colon"),
    ("cannot start any token", "tab"),
    ("found duplicate key", "duplicate"),
    ("while scanning a quoted scalar", "quote"),
    ("expected <block end>", "indent"),
    ("could not find expected ':'", "colon_missing"),
    ("expected ',' or ']'", "bracket"),
    ("expected ',' or '}'", "brace"),
)


def _yaml_issue(filename: str, error: MarkedYAMLError) -> FormIssue:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else 1
    problem = str(error.problem or "")
    where = f"{problem} {error.context or ''}"
    context_line = error.context_mark.line + 1 if error.context_mark is not None else line
    kind = next((k for text, k in _YAML_HINTS if text in where), "")
    if kind == "tab" and "\\t" not in problem:
        kind = ""
    detail: str
    if kind == "colon":
        detail = _(
            "':' is not allowed here — put text that contains ': ' in double quotes, or check the indentation"
        )
    elif kind == "tab":
        detail = _("a tab character — indent with spaces, never with tabs")
    elif kind == "duplicate":
        m = re.search(r'duplicate key "(.*?)"', problem)
        detail = _("the key {key!r} appears twice in the same block").format(key=m.group(1) if m else "?")
    elif kind == "quote":
        detail = _("a quotation mark opened on line {line} is never closed").format(line=context_line)
    elif kind == "indent":
        detail = _("wrong indentation — this line does not line up with the lines above it")
    elif kind == "colon_missing":
        detail = _("a line without 'key: value' — check for a missing ':' or wrong indentation")
    elif kind in ("bracket", "brace"):
        detail = _("a list or block in brackets opened on line {line} is not closed properly").format(
            line=context_line
        )
    else:
        detail = problem + (f" ({error.context})" if error.context else "")
    return FormIssue(filename, line, _("YAML syntax error: {detail}").format(detail=detail))


def _parse_yaml(text: str) -> object:
    yaml = YAML(typ="rt")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return yaml.load(text)


def _read(text: str, filename: str, sha256: str) -> tuple[FormSpec | None, list[FormIssue], int]:
    """(spec or None, issues, line of the form code) — never raises."""
    reader = _Reader(filename)
    spec: FormSpec | None = None
    try:
        doc = _parse_yaml(text.removeprefix("\ufeff"))
        spec = reader.read(doc)
    except MarkedYAMLError as error:
        reader.issues.append(_yaml_issue(filename, error))
    except Exception as error:  # a loader bug must not become a traceback for the clerk
        reader.issue(
            1,
            _("internal error while reading the form: {error}").format(
                error=f"{type(error).__name__}: {error}"
            ),
        )
    issues = sorted(reader.issues, key=lambda i: i.line)
    if spec is not None and not issues:
        spec = replace(spec, sha256=sha256, source=text)
    return (spec if not issues else None), issues, reader.code_line


def _read_file(path: Path, name: str) -> tuple[FormSpec | None, list[FormIssue], int]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [FormIssue(name, 0, _("file not found"))], 0
    except OSError as error:
        return (
            None,
            [FormIssue(name, 0, _("cannot read the file: {error}").format(error=error.strerror or error))],
            0,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [FormIssue(name, line, _("the file is not UTF-8 text; save it again as UTF-8"))], 0
    return _read(text, name, hashlib.sha256(data).hexdigest())


# --------------------------------------------------------------------------------------------- API


def parse_form(text: str, *, filename: str = "<form>") -> FormSpec:
    """A FormSpec from YAML text, or FormError listing every problem."""
    spec, issues, _line = _read(text, filename, hashlib.sha256(text.encode("utf-8")).hexdigest())
    if spec is None:
        raise FormError(issues)
    return spec


def load_form(path: str | Path) -> FormSpec:
    """A FormSpec from a file, or FormError listing every problem."""
    spec, issues, _line = _read_file(Path(path), str(path))
    if spec is None:
        raise FormError(issues)
    return spec


def _expand(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    out: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend((p, str(p)) for p in sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        else:
            out.append((path, str(raw)))
    return out


def _check(paths: Iterable[str | Path]) -> list[tuple[str, FormSpec | None, list[FormIssue]]]:
    results: list[tuple[str, FormSpec | None, list[FormIssue]]] = []
    codes: dict[str, str] = {}
    for path, name in _expand(paths):
        spec, issues, code_line = _read_file(path, name)
        if spec is not None:
            if spec.code in codes:
                issues.append(
                    FormIssue(
                        name,
                        code_line,
                        _("form code {code!r} is also used by {other}").format(
                            code=spec.code, other=codes[spec.code]
                        ),
                    )
                )
            else:
                codes[spec.code] = name
        results.append((name, spec, issues))
    return results


def check_forms(paths: Iterable[str | Path]) -> list[FormIssue]:
    """Every issue of every file (a folder means its *.yaml files); never raises for bad content."""
    return [issue for _name, _spec, issues in _check(paths) for issue in issues]


def check_command(paths: Sequence[str | Path], out: TextIO) -> int:
    """``inspector-app forms check FILE…``: print issues or an OK line per file; exit status 0/1."""
    results = _check(paths)
    if not results:
        out.write(_("no form files given") + "\n")
        return 2
    total = 0
    for name, spec, issues in results:
        for issue in issues:
            out.write(f"{issue}\n")
        total += len(issues)
        if spec is not None and not issues:
            out.write(
                _(
                    "{file}: OK — {title} (code: {code}, version: {version}, sections: {sections}, items: {items})"  # noqa: E501
                ).format(
                    file=name,
                    title=spec.title,
                    code=spec.code,
                    version=spec.version,
                    sections=len(spec.sections),
                    items=len(spec.items()),
                )
                + "\n"
            )
    if total:
        out.write(
            ngettext("{count} problem found", "{count} problems found", total).format(count=total) + "\n"
        )
    return 1 if total else 0


def shipped_forms() -> list[Path]:
    """The forms that ship with the app (``forms/*.yaml``), sorted by file name."""
    return sorted(shipped("forms").glob("*.yaml"))

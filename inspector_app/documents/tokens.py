"""Known PKCS#11 modules of USB tokens (``resources/tokens.yaml``), extendable by the office.

The list is data, not code: vendor paths change with driver versions, so the office adds or
corrects entries in a ``tokens.yaml`` beside the database without a new release.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from inspector_app.paths import shipped

TOKENS_FILE = "tokens.yaml"


class TokenListError(ValueError):
    """A tokens.yaml file that cannot be read (the message names the file)."""


@dataclass(frozen=True)
class TokenModule:
    name: str
    windows: tuple[str, ...] = ()
    linux: tuple[str, ...] = ()
    verified: bool = False

    def candidates(self, platform: str | None = None) -> tuple[str, ...]:
        """The module paths to try on ``platform`` (``sys.platform`` by default)."""
        platform = platform or sys.platform
        if platform.startswith("win"):
            return tuple(_windows_paths(self.windows))
        return self.linux

    def installed(self, platform: str | None = None) -> str | None:
        """The first candidate present on this machine, or ``None``."""
        return next((p for p in self.candidates(platform) if Path(p).is_file()), None)


def _windows_paths(names: tuple[str, ...]) -> list[str]:
    windir = os.environ.get("WINDIR", r"C:\Windows")
    out: list[str] = []
    for name in names:
        if "\\" in name or "/" in name:
            out.append(name)
        else:
            out += [rf"{windir}\System32\{name}", rf"{windir}\SysWOW64\{name}"]
    return out


def _read(path: Path) -> list[TokenModule]:
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    except (OSError, YAMLError) as exc:
        raise TokenListError(f"{path}: {exc}") from exc
    entries = data.get("modules") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise TokenListError(f"{path}: expected a 'modules:' list")
    out = []
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            raise TokenListError(f"{path}: module #{n} has no name")
        lists = {}
        for key in ("windows", "linux"):
            value = entry.get(key) or []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list):
                raise TokenListError(f"{path}: module {entry['name']!r}: {key} must be a list of paths")
            lists[key] = tuple(str(v) for v in value)
        out.append(
            TokenModule(
                str(entry["name"]).strip(), lists["windows"], lists["linux"], bool(entry.get("verified"))
            )
        )
    return out


def load_token_modules(data_dir: Path | None = None) -> list[TokenModule]:
    """The shipped list, then the office's ``<data_dir>/tokens.yaml``: an entry of the same name
    replaces the shipped one, new names are added at the end."""
    modules = {m.name: m for m in _read(shipped(f"resources/{TOKENS_FILE}"))}
    extra = data_dir / TOKENS_FILE if data_dir is not None else None
    if extra is not None and extra.is_file():
        for m in _read(extra):
            modules[m.name] = m
    return list(modules.values())


def installed_modules(data_dir: Path | None = None) -> list[tuple[TokenModule, str]]:
    """Known modules whose library is present here, with the path found."""
    out = []
    for module in load_token_modules(data_dir):
        path = module.installed()
        if path is not None:
            out.append((module, path))
    return out

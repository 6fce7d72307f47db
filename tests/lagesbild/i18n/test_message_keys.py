"""Every key the code passes to t(...) or nt(...) is in the catalogs, of the right kind, with its placeholders given.

The source of lagesbild/ and dashboard/ is read with `ast`: a literal key must be a message (a plural one for nt),
each branch of `"a" if x else "b"` too, and an f-string key's literal start (f"karta.area.{key}") must begin some
message of the right kind. A call must pass every placeholder of its message as a keyword (unless it passes
**params)."""

from __future__ import annotations

import ast
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

from lagesbild.i18n import DEFAULT_LANG, LANGS, catalog

ROOT = Path(__file__).parents[3]
SOURCES = ("lagesbild", "dashboard")
FUNCTIONS = {"t": False, "nt": True}  # name -> takes a plural message


@dataclass(frozen=True)
class Use:
    where: str  # path:line
    function: str
    key: str
    prefix: bool  # the literal start of an f-string key
    params: frozenset[str] | None  # the keyword params, None when they cannot be known (**params)


def imported_names(tree: ast.Module) -> dict[str, str]:
    """local name -> 't' or 'nt', for the functions a module imports from lagesbild.i18n."""
    return {alias.asname or alias.name: alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "lagesbild.i18n"
            for alias in node.names if alias.name in FUNCTIONS}


def keys_of(node: ast.expr) -> list[tuple[str, bool]]:
    """The keys an argument can be: (literal, False), (f-string start, True); nothing for a plain variable."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, False)]
    if isinstance(node, ast.IfExp):
        return keys_of(node.body) + keys_of(node.orelse)
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return [(node.values[0].value, True)]
    return []


def uses() -> list[Use]:
    found = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.is_relative_to(ROOT / "lagesbild" / "i18n"):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            names = imported_names(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names \
                        and node.args:
                    unknown = any(k.arg is None for k in node.keywords)
                    params = None if unknown else frozenset(k.arg for k in node.keywords)
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found += [Use(where, names[node.func.id], key, prefix, params)
                              for key, prefix in keys_of(node.args[0])]
    return found


USES = uses()


def messages(lang: str) -> dict[str, tuple[str, ...]]:
    """key -> its forms (one for a message that is not plural)."""
    return {m.id[0] if m.pluralizable else m.id: tuple(m.string) if m.pluralizable else (m.string,)
            for m in catalog(lang) if m.id}


MESSAGES = {lang: messages(lang) for lang in LANGS}
PLURAL = {m.id[0] for m in catalog(DEFAULT_LANG) if m.pluralizable}


def test_the_scan_finds_the_calls():
    assert len(USES) > 300
    assert {use.function for use in USES} == set(FUNCTIONS)
    assert any(use.prefix for use in USES)


@pytest.mark.parametrize("use", [u for u in USES if not u.prefix], ids=lambda u: f"{u.where} {u.key}")
def test_every_literal_key_is_a_message_of_its_kind(use):
    assert use.key in MESSAGES[DEFAULT_LANG], f"{use.where}: no message {use.key!r}"
    plural = use.key in PLURAL
    assert plural == FUNCTIONS[use.function], \
        f"{use.where}: {use.key!r} is {'a plural' if plural else 'not a plural'} message: call {use.function}"


@pytest.mark.parametrize("use", [u for u in USES if u.prefix], ids=lambda u: f"{u.where} {u.key}")
def test_every_fstring_key_starts_a_message(use):
    kinds = {key in PLURAL for key in MESSAGES[DEFAULT_LANG] if key.startswith(use.key)}
    assert kinds, f"{use.where}: no message starts with {use.key!r}"
    assert FUNCTIONS[use.function] in kinds, f"{use.where}: no message {use.key!r}… is for {use.function}"


@pytest.mark.parametrize("use", [u for u in USES if not u.prefix and u.params is not None],
                         ids=lambda u: f"{u.where} {u.key}")
def test_every_placeholder_is_given(use):
    for lang in LANGS:
        for form in MESSAGES[lang].get(use.key, ()):
            fields = {name for _, name, _, _ in string.Formatter().parse(form) if name is not None}
            assert fields <= use.params, f"{use.where}: {use.key!r} ({lang}) needs {sorted(fields - use.params)}"

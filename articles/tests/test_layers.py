"""Which way imports run (articles/selectors.py and demo/__init__.py say why).

Every import counts, those inside functions too. import-linter contracts may take
these over; until then the suite holds the rules.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READING = ["views", "feeds", "sitemaps", "api", "structured_data"]
# What the reading surfaces read through selectors instead.
BELOW_SELECTORS = ["models", "related", "topics", "search"]


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path):
    """Every module `path` imports, as dotted names (`from x import y`: x and x.y)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0]
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def names(modules, prefix):
    return sorted(m for m in modules if m == prefix or m.startswith(prefix + "."))


def test_the_imports_reader_sees_relative_and_inner_imports(tmp_path, monkeypatch):
    """The checks below would pass vacuously if the reader missed an import."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "pkg").mkdir()
    module = tmp_path / "pkg" / "mod.py"
    module.write_text(
        "from . import selectors\nfrom .models import Article\n"
        "def f():\n    import demo.desk\n"
    )
    assert imports(module) >= {"pkg.selectors", "pkg.models", "demo.desk"}


def test_nothing_in_articles_imports_the_demo():
    offenders = {
        str(path.relative_to(ROOT)): names(found, "demo")
        + names(found, "articles.demo")
        for path in sorted((ROOT / "articles").rglob("*.py"))
        # The browser journeys log in with the demo accounts `make run` prints.
        if "journeys" not in path.parts
        for found in [imports(path)]
    }
    assert {path: found for path, found in offenders.items() if found} == {}
    assert len(offenders) > 50  # every module of the app was read


@pytest.mark.parametrize("surface", READING)
def test_reading_surfaces_read_through_selectors(surface):
    found = imports(ROOT / "articles" / f"{surface}.py")
    below = [
        name for layer in BELOW_SELECTORS for name in names(found, f"articles.{layer}")
    ]
    assert below == [], f"articles.{surface} reads past articles.selectors"


def test_selectors_import_no_reading_surface():
    found = imports(ROOT / "articles" / "selectors.py")
    assert [name for s in READING for name in names(found, f"articles.{s}")] == []
    assert names(found, "articles.models")  # the reader does see its imports

"""Which way imports run (articles/selectors.py and demo/__init__.py say why).

Every import counts, those inside functions too. The layers between packages and
inside articles and pagecache are import-linter contracts (pyproject.toml, run by
`make lint`); this suite holds what they do not say: no cycle anywhere, no module
too long to read, the demo out of the app, the reading surfaces behind selectors.
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


def imported(path):
    """Each import statement of `path`, inside functions too, as (module, names):
    `import x` is ("x", []), `from .x import y` is ("<package>.x", ["y"])."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0]
                base = f"{anchor}.{base}" if base else anchor
            yield base, [alias.name for alias in node.names]


def imports(path):
    """Every module `path` imports, as dotted names (`from x import y`: x and x.y)."""
    found = set()
    for base, members in imported(path):
        found.add(base)
        found.update(f"{base}.{member}" for member in members)
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


# -- the whole project: no cycles, no module too long to read ------------------------

PACKAGES = ["articles", "pagecache", "desk_security", "demo", "newsroom", "bench"]
MAX_LINES = 500
# Written text, not code: the demo's stories (demo/content.py).
LONG_BY_NATURE = {"demo/content.py"}


def application_modules(root):
    """{dotted name: path} of the project's code, without tests and migrations."""
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(root).parts)
    }


def import_graph(root):
    """{module: the project modules it imports}, inside functions too. `from a
    import b` imports a.b when that is a module, else a; the packages above a
    module running first is how Python imports, not an edge."""
    modules = application_modules(root)
    graph = {}
    for name, path in modules.items():
        targets = set()
        for base, members in imported(path):
            submodules = {f"{base}.{m}" for m in members} & modules.keys()
            targets |= submodules
            if base in modules and (not members or len(submodules) < len(members)):
                targets.add(base)
        graph[name] = targets - {name}
    return graph


def cycles(graph):
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle_through_an_inner_import(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    package = tmp_path / "articles"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("def f():\n    from .topics import g\n")
    (package / "topics.py").write_text("from .models import f\n")
    (package / "views.py").write_text("from . import models, topics\n")
    assert cycles(import_graph(tmp_path)) == [["articles.models", "articles.topics"]]


def test_no_module_imports_itself_back_through_others():
    graph = import_graph(ROOT)
    assert len(graph) > 100  # the project's modules were all read
    assert cycles(graph) == []


def test_no_module_is_too_long_to_read_in_a_sitting():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in application_modules(ROOT).values()
        if str(path.relative_to(ROOT)) not in LONG_BY_NATURE
        for lines in [len(path.read_text().splitlines())]
        if lines > MAX_LINES
    }
    assert too_long == {}

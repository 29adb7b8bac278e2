"""The house by rooms: imports go one way, from higher rooms to lower ones, and never in a circle.

Rooms, highest first (README, "Architecture"):
cli -> rollup -> report -> render -> (readiness, vendor) -> analysis -> validation -> loading -> core.
Sibling rooms (the same rank) never import each other.  Imports inside
functions and under ``TYPE_CHECKING`` count too: a lazy import is still a
dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gapcheck"
RANK = {"core": 0, "loading": 1, "validation": 2, "analysis": 3, "readiness": 4, "vendor": 4,
        "render": 5, "report": 6, "rollup": 7, "cli": 8}
"""Each room's height; a module may import only rooms below its own, and its own room."""
TOP_LEVEL = {"__init__.py", "__main__.py"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The gapcheck modules ``name`` imports (``from x import y`` counts ``x.y`` when that is a module)."""
    tree = ast.parse(path.read_text("utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {name: _imports(name, path, set(mods)) for name, path in mods.items()}


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


def test_top_level_holds_only_the_package_files_and_the_rooms() -> None:
    files = {p.name for p in PACKAGE.glob("*.py")}
    assert files == TOP_LEVEL
    rooms = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert rooms <= set(RANK), rooms - set(RANK)


def test_every_room_says_what_it_does_and_what_it_may_import() -> None:
    for room in (p for p in PACKAGE.iterdir() if (p / "__init__.py").exists()):
        doc = ast.get_docstring(ast.parse((room / "__init__.py").read_text("utf-8"))) or ""
        assert len(doc) > 80 and "import" in doc, f"{room.name}/__init__.py needs a docstring naming what it may import"


def test_imports_go_down_never_up_nor_sideways() -> None:
    wrong = []
    for module, targets in _graph().items():
        src = _room(module)
        if src is None:  # gapcheck/__init__.py and __main__.py sit above every room
            continue
        for target in targets:
            dst = _room(target)
            if dst is None:
                wrong.append(f"{module} imports the package top {target}")
            elif dst != src and RANK[dst] >= RANK[src]:
                wrong.append(f"{module} ({src}) imports {target} ({dst})")
    assert not wrong, "\n".join(sorted(wrong))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles() -> None:
    assert _cycles(_graph()) == []


def test_the_circle_finder_finds_circles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_stay_short(path: Path) -> None:
    text = path.read_text("utf-8")
    assert text.count("\n") <= MAX_MODULE_LINES, f"{path.name}: {text.count(chr(10))} lines"
    long = [f"{n.name} ({n.end_lineno - n.lineno + 1} lines)" for n in ast.walk(ast.parse(text))
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno
            and n.end_lineno - n.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{path.name}: {', '.join(long)}"


def test_every_format_has_a_renderer_that_exists() -> None:
    from importlib import import_module

    from gapcheck.render import formats

    formats.check_tables()
    for table in (formats.ANALYSIS_RENDERERS, formats.READINESS_RENDERERS, formats.REPORT_RENDERERS,
                  formats.DIFF_RENDERERS, formats.ROLLUP_RENDERERS,
                  formats.SUGGEST_RENDERERS):
        for renderer in table.values():
            module, _, function = renderer.target.partition(":")
            assert callable(getattr(import_module(f"gapcheck.render.{module}"), function)), renderer
            assert renderer.media_type and renderer.suffix.startswith(".")


def test_help_imports_no_heavy_library() -> None:
    import subprocess
    import sys

    code = ("import sys, gapcheck.cli.commands\n"
            "heavy = {'pandas', 'numpy', 'openpyxl', 'xlsxwriter', 'matplotlib', 'jinja2', 'rich', 'jsonschema', 'yaml', 'duckdb',"
            " 'pyarrow', 'sklearn', 'scipy'}\n"
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

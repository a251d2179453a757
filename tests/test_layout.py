"""The package's layout rules (issue 9), checked on the source: the model and analyses
at the top are pure (they import no interface subpackage), no subpackage imports the
CLI, modules stay small, and notebooks stay thin (no def/class, no outputs)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hvdesign"
SUBPACKAGES = ("views", "widgets", "report", "cli")
#: STYLE.md: "modules stay under about 1,000 lines"; issue 9: "no module over ~800".
MAX_MODULE_LINES = 850


def _imports(path: Path) -> set[str]:
    """Every module an ``import`` or ``from ... import`` in ``path`` names (lazy ones
    inside functions included), relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


def _modules(where: Path) -> list[Path]:
    return sorted(p for p in where.rglob("*.py") if "templates" not in p.parts)


def test_every_interface_is_a_subpackage():
    for sub in SUBPACKAGES:
        assert (PACKAGE / sub / "__init__.py").is_file(), sub
    flat = {p.stem for p in PACKAGE.glob("*.py")}
    # the old flat prefixes are gone
    assert not [m for m in flat if m.startswith("cli") or m.endswith(("_plots", "_widgets"))]


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(PACKAGE.glob("*.py")) if p.name != "__main__.py"],  # the CLI's entry
    ids=lambda p: p.name,
)
def test_top_level_modules_import_no_subpackage(path):
    bad = {m for m in _imports(path) for sub in SUBPACKAGES if m.startswith(f"hvdesign.{sub}")}
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize(
    "path",
    [p for s in ("views", "widgets", "report") for p in _modules(PACKAGE / s)],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_subpackage_imports_the_cli(path):
    bad = {m for m in _imports(path) if m == "hvdesign.cli" or m.startswith("hvdesign.cli.")}
    assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_the_rule_is_detected():
    """The checker itself: a lazy import inside a function counts."""
    src = ROOT / "tests" / "_layout_probe.py"
    src.write_text("def f():\n    from hvdesign.cli import common\n", encoding="utf-8")
    try:
        assert "hvdesign.cli.common" in _imports(src)
    finally:
        src.unlink()


@pytest.mark.parametrize("path", _modules(PACKAGE), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(PACKAGE)}: {lines} lines"


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_stay_thin(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert not cell.get("outputs"), f"{path.name} cell {i} has outputs"
        assert cell.get("execution_count") is None, f"{path.name} cell {i} was executed"
        tree = ast.parse("".join(cell["source"]))
        defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
        assert not defs, f"{path.name} cell {i} defines {defs[0].name}: move it to the package"

"""The product never imports test code: the in-memory twins and doubles live under ``tests/support`` and only
tests wire them in."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("domain", "application", "adapters", "entrypoints")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_no_product_module_imports_tests() -> None:
    files = [path for package in PRODUCT for path in (ROOT / package).rglob("*.py")]
    assert len(files) > 100  # the scan found the tree
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path) if m.split(".")[0] == "tests")
        for path in files
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}

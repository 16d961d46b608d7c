"""Shape of the package: no function over 100 lines, the typing marker shipped."""

from __future__ import annotations

import ast
from pathlib import Path

import corridor

PACKAGE = Path(corridor.__file__).parent
MAX_LINES = 100


def test_no_function_is_longer_than_100_lines() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, "split these functions: " + ", ".join(long)


def test_the_package_says_it_is_typed() -> None:
    assert (PACKAGE / "py.typed").is_file()


def test_readme_docs_and_code_point_only_to_files_in_the_repository() -> None:
    root = PACKAGE.parent
    texts = [root / "README.md", *(root / "docs").rglob("*.md"), *PACKAGE.rglob("*.py")]
    outside = ("DESIGN.md", "domain-data.md", "domain-extra.md", "../shared")
    found = [f"{p.relative_to(root)}: {name}" for p in texts for name in outside if name in p.read_text("utf-8")]
    assert not found, "these point to files the repository does not have: " + ", ".join(found)

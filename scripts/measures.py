"""The code-shape measures of docs/architecture.md ("## Measures"), read from the source.

    .venv/bin/python scripts/measures.py [--json]

- ``any``: uses of ``typing.Any`` (a name or ``typing.Any`` in code, imports not
  counted) outside generated files (``gui/forms/ui_*.py``, migration versions);
- ``any_in_desk``: the same inside ``pser_desk/desk/``;
- ``getattr``: calls of ``getattr(`` in ``pser_desk/gui/`` and ``pser_desk/app.py``;
- ``largest_class``: the longest class (lines from ``class`` to its last line).

``tests/unit/test_measures.py`` holds the goals; this script prints where each one stands.
"""

from __future__ import annotations

import ast
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "pser_desk"
GENERATED = ("pser_desk/gui/forms/ui_", "pser_desk/store/migrations/versions/")


@dataclass
class Measures:
    any: int = 0
    any_in_desk: int = 0
    getattr: int = 0
    largest_class: int = 0
    largest_class_name: str = ""
    any_by_file: dict[str, int] = field(default_factory=dict)
    getattr_at: list[str] = field(default_factory=list)


def _generated(rel: str) -> bool:
    return rel.startswith(GENERATED)


def _any_uses(tree: ast.AST) -> int:
    count = 0
    for node in ast.walk(tree):
        if (isinstance(node, ast.Name) and node.id == "Any") or (
            isinstance(node, ast.Attribute) and node.attr == "Any"
        ):
            count += 1
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # a string annotation ("dict[str, Any]") counts as what it names
            count += _string_annotation_uses(node.value)
    return count


def _string_annotation_uses(text: str) -> int:
    if "Any" not in text or len(text) > 200:
        return 0
    try:
        inner = ast.parse(text, mode="eval")
    except SyntaxError:
        return 0
    return sum(1 for n in ast.walk(inner) if isinstance(n, ast.Name) and n.id == "Any")


def _getattr_calls(tree: ast.AST, rel: str) -> list[str]:
    return [
        f"{rel}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
    ]


def measure(package: Path = PACKAGE) -> Measures:
    found = Measures()
    root = package.parent
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if _generated(rel):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        uses = _any_uses(tree)
        if uses:
            found.any_by_file[rel] = uses
            found.any += uses
            if rel.startswith("pser_desk/desk/"):
                found.any_in_desk += uses
        if rel.startswith("pser_desk/gui/") or rel == "pser_desk/app.py":
            found.getattr_at.extend(_getattr_calls(tree, rel))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                lines = node.end_lineno - node.lineno + 1
                if lines > found.largest_class:
                    found.largest_class = lines
                    found.largest_class_name = f"{rel}:{node.name}"
    found.getattr = len(found.getattr_at)
    return found


def main(argv: list[str]) -> int:
    found = measure()
    if "--json" in argv:
        print(json.dumps(asdict(found), indent=1))
        return 0
    print(f"Any outside generated files: {found.any} (in desk/: {found.any_in_desk})")
    for rel, uses in sorted(found.any_by_file.items(), key=lambda item: -item[1])[:10]:
        print(f"    {uses:4d}  {rel}")
    print(f"getattr( in gui/ and app.py: {found.getattr}")
    for where in found.getattr_at:
        print(f"    {where}")
    print(f"largest class: {found.largest_class} lines ({found.largest_class_name})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The package's shape: no import cycles, no reaching into another module's private names,
and the command-line entry point light enough to start on every commit."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "schedc"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path):
    """(imported module, names, line) for every import in the file, at any depth."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, [alias.name for alias in node.names], node.lineno


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for target, names, _ in _imports(path):
            if not target.startswith("schedc"):
                continue
            # `from . import x` names a submodule when x is one, else a name in the package
            found = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules]
            if len(found) < len(names) or not names:
                found.append(target)
            edges[module] |= {f for f in found if f in modules and f != module}
    return edges


def test_no_module_imports_another_modules_private_names():
    offences = []
    for path in PACKAGE.rglob("*.py"):
        for target, names, line in _imports(path):
            if target.startswith("schedc"):
                offences += [f"{path.relative_to(PACKAGE.parent)}:{line}: {target}.{n}" for n in names
                             if n.startswith("_") and not n.startswith("__")]
    assert offences == []


def test_no_import_cycles():
    edges = _graph()
    # The package's own __init__ re-exports the API; a submodule reading `__version__` from it
    # is not a cycle in any sense that matters at import time, so only edges between modules count.
    for module in edges:
        edges[module].discard("schedc")
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert cycles == []


def test_httpx_is_imported_only_under_submit():
    users = [str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py")
             if any(t == "httpx" or t.startswith("httpx.") for t, _, _ in _imports(p))]
    assert users and all(u.startswith("schedc/meetergo/") for u in users), users


def test_importing_the_command_line_loads_neither_httpx_nor_pydantic():
    code = ("import sys, schedc.cli; schedc.cli.build_parser(); "
            "print(sorted(m for m in ('httpx', 'pydantic', 'lark') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_schedc_help_lists_each_command_of_the_table_with_its_summary():
    import re

    from schedc.cli.table import COMMANDS

    done = subprocess.run([sys.executable, "-m", "schedc", "--help"], capture_output=True, text=True, check=True,
                          env={"COLUMNS": "200", "PATH": ""})
    listed = re.findall(r"^    (\S+) +(.+)$", done.stdout, flags=re.M)
    assert listed == [(command.name, command.summary) for command in COMMANDS]


def test_each_command_runs_from_the_module_the_table_names():
    import importlib

    from schedc.cli.table import COMMANDS

    for command in COMMANDS:
        module = importlib.import_module(f"schedc.cli.{command.module}")
        assert callable(module.run) and not hasattr(module, "add_parser"), command.name


def test_a_run_builds_only_its_own_commands_parser():
    """Building `check`'s parser reads the table and imports no command's module: `check`'s
    own is imported when it runs."""
    code = ("import sys, schedc.cli; schedc.cli.build_parser(only='check'); "
            "print(sorted(m for m in sys.modules if m.startswith('schedc.cli.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "['schedc.cli.exits', 'schedc.cli.table']\n"


def test_the_command_line_table_imports_nothing():
    """Every run reads the table (schedc/cli/table.py): plain records, and not a module more."""
    code = ("import sys, schedc.cli; before = set(sys.modules); import schedc.cli.table; "
            "print(sorted(set(sys.modules) - before), 'typing' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "['schedc.cli.table'] False\n"


# ---- the layout shows the pipeline
TOP_LEVEL = {"__init__", "__main__", "api", "config", "diagnostics", "files", "fixes", "fmt", "import_json", "report",
             "rules", "secrets"}
STAGES = {"compiler", "meetergo", "sync", "explain", "cli", "lsp"}
CONTRACT = "schedc.meetergo.contract"
SHARED = {f"schedc.{name}" for name in TOP_LEVEL - {"__init__", "__main__"}} | {"schedc"}


def test_the_folders_are_the_stages_and_few_modules_are_left_at_the_top():
    assert {p.stem for p in PACKAGE.glob("*.py")} == TOP_LEVEL
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()} == STAGES


def test_each_stage_imports_only_earlier_stages_and_the_shared_modules():
    # a stage may use the ones before it: compiler → meetergo → sync; explain reads compiled weeks.
    # The API contract is data every stage may read: the compiler checks codes against its lists.
    allowed = {"compiler": {"compiler"}, "meetergo": {"compiler", "meetergo"},
               "sync": {"compiler", "meetergo", "sync"}, "explain": {"compiler", "explain"}}
    offences = []
    for stage, may in allowed.items():
        for path in (PACKAGE / stage).rglob("*.py"):
            for target, names, line in _imports(path):
                parts = target.split(".")
                if parts[0] != "schedc" or target in SHARED | {CONTRACT} or (len(parts) > 1 and parts[1] in may):
                    continue
                if target == "schedc.meetergo" and names == ["contract"]:
                    continue
                if target == "schedc" and all(f"schedc.{n}" in SHARED for n in names):
                    continue
                offences.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {target} {names}")
    assert offences == []


def test_no_module_is_imported_under_a_one_letter_name():
    offences = [f"{path.relative_to(PACKAGE.parent)}: {alias.name} as {alias.asname}"
                for path in PACKAGE.rglob("*.py") if path.name != "generated_parser.py"
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names if alias.asname is not None and len(alias.asname) == 1]
    assert offences == []

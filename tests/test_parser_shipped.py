"""The parser ships with the package: generated from the grammar, kept in step, nothing written at run time."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from conftest import ROOT

CLEAN = ROOT / "examples" / "seed" / "custom.sched"
BROKEN = ROOT / "examples" / "invalid" / "syntax-open-range.sched"


def test_the_shipped_parser_and_terminals_are_what_the_grammar_generates():
    """Like a lock file: regenerating from grammar.lark must give the committed bytes, of the
    parser and of the terminals the fast path reads words with (under any hash seed)."""
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "tools/regenerate_parser.py", "--check"], cwd=ROOT,
                              capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout == "schedc/compiler/generated_parser.py and schedc/compiler/terminals.py match schedc/compiler/grammar.lark\n"


def test_a_grammar_edited_without_regenerating_is_named(tmp_path):
    copy = tmp_path / "copy"
    for part in ("schedc", "tools"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    grammar = copy / "schedc" / "compiler" / "grammar.lark"
    edited = re.sub(r"^SLUG: .*$", 'SLUG: "path"i', grammar.read_text(encoding="utf-8"), count=1, flags=re.M)
    grammar.write_text(edited, encoding="utf-8")
    done = subprocess.run([sys.executable, "tools/regenerate_parser.py", "--check"], cwd=copy,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(copy)})
    assert (done.returncode, done.stdout) == (1, "schedc/compiler/generated_parser.py and schedc/compiler/terminals.py are out of "
                                                 "date: run `python tools/regenerate_parser.py`\n")


def test_regenerating_gives_the_same_parser_under_any_hash_seed(tmp_path):
    outputs = set()
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "tools/regenerate_parser.py", "--print"], cwd=ROOT,
                              capture_output=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert outputs == {(ROOT / "schedc" / "compiler" / "generated_parser.py").read_bytes()}


def _run(code: str, home, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SCHEDC_"))}
    env.update(HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_a_clean_check_without_bytecode_writes_nothing_under_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    command = "import sys; from schedc.cli import main; sys.exit(main())"
    clean = _run(command, home, "check", str(CLEAN))
    broken = _run(command, home, "check", str(BROKEN))
    assert (clean.returncode, broken.returncode) == (0, 1), clean.stderr + broken.stderr
    assert "error[SC003]" in broken.stderr
    assert [p for p in home.rglob("*")] == []


def test_running_needs_no_lark_and_ordinary_lines_need_no_generated_parser(tmp_path):
    code = ("import sys, schedc\n"
            "schedc.check(open(sys.argv[1]).read())\n"
            "print('schedc.compiler.generated_parser' in sys.modules)\n"
            "print(schedc.check('Mon 09:00-')[0].code)\n"
            "print('schedc.compiler.generated_parser' in sys.modules, 'lark' in sys.modules)\n")
    done = _run(code, tmp_path, str(CLEAN))
    assert done.stdout.split() == ["False", "SC003", "True", "False"], done.stderr


def test_a_terminal_changed_in_the_grammar_changes_what_the_fast_path_reads(tmp_path):
    """The short version of `python tools/mutate_grammar.py`: without `_` in CHANNEL, regenerated,
    `45min my_channel` is an error to the parser, and the fast path no longer reads it either."""
    copy = tmp_path / "copy"
    for part in ("schedc", "tools"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    grammar = copy / "schedc" / "compiler" / "grammar.lark"
    text = grammar.read_text(encoding="utf-8")
    assert "CHANNEL: /[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*/\n" in text
    grammar.write_text(text.replace("CHANNEL: /[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*/",
                                    "CHANNEL: /[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*/"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy)}
    done = subprocess.run([sys.executable, "tools/regenerate_parser.py"], cwd=copy, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.stdout == "wrote schedc/compiler/generated_parser.py and schedc/compiler/terminals.py\n", done.stderr
    code = ("from schedc.compiler import fastpath, parser\n"
            "for line in ('45min my_channel', '45min my-channel', '45min zoom'):\n"
            "    quick, slow = fastpath.line_nodes(line, 1), parser.parse_line(line)\n"
            "    print(quick is None, getattr(slow, 'code', None) or slow[0][0].channel.text)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=copy, env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.split("\n") == ["True SC001", "False my-channel", "False zoom", ""], done.stderr

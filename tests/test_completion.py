"""`schedc completion bash|zsh|fish`: the scripts are written from the command-line table, and
each is exercised in its real shell: bash through its completion function as bash calls it on
TAB, and bash and zsh at an interactive prompt on a pseudo-terminal, where TAB is pressed and
the completed line is run; fish through `complete -C`, which asks fish's own completion for a
line. zsh and fish are skipped where they are not installed."""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys

import pytest

from conftest import run_schedc
from schedc.cli import table

BASH, ZSH, FISH = (shutil.which(shell) for shell in ("bash", "zsh", "fish"))
CODES = tuple(__import__("schedc.rules", fromlist=["rules"]).rules())
CHANNELS = tuple(__import__("schedc.compiler.words", fromlist=["CHANNELS"]).CHANNELS)


def needs(program):
    return pytest.mark.skipif(program is None, reason="the shell is not installed")


@pytest.fixture(scope="module")
def scripts(tmp_path_factory):
    """Each shell's script, as `schedc completion SHELL` prints it, saved to a file."""
    folder = tmp_path_factory.mktemp("completion")
    paths = {}
    for shell in ("bash", "zsh", "fish"):
        done = run_schedc("completion", shell)
        assert done.returncode == 0 and done.stderr == ""
        # zsh loads a completion function from a file of its name in $fpath
        paths[shell] = folder / shell / ("_schedc" if shell == "zsh" else f"schedc.{shell}")
        paths[shell].parent.mkdir()
        paths[shell].write_text(done.stdout)
    return paths


@pytest.fixture
def folder(tmp_path):
    """A folder with a few files to complete, and a home of its own for the shells."""
    work = tmp_path / "work"
    (work / "team").mkdir(parents=True)
    (work / "ana.sched").write_text("Mon 09:00-17:00\n")
    (work / "ana.json").write_text("{}\n")
    (work / "notes.txt").write_text("x\n")
    (tmp_path / "home").mkdir()
    return work


def shell_env(folder) -> dict:
    home = str(folder.parent / "home")
    return {**os.environ, "HOME": home, "ZDOTDIR": home, "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home,
            "XDG_CACHE_HOME": home, "HISTFILE": os.devnull}


# ---- bash, through the completion function
def bash_complete(script, folder, *lines: tuple[str, ...]) -> list[list[str]]:
    """What bash offers for the last word of each line, calling `_schedc` as bash does on TAB:
    COMP_WORDS and COMP_LINE as typed, the cursor at the end."""
    body = [f"source {script}"]
    for words in lines:
        quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
        body += [f"COMP_WORDS=({quoted}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))",
                 'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()',
                 '_schedc schedc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
                 "printf '%s\\n' \"${COMPREPLY[@]}\" '--end--'"]
    done = subprocess.run([BASH, "--norc", "--noprofile", "-c", "\n".join(body)], cwd=folder,
                          capture_output=True, text=True, timeout=60, env=shell_env(folder))
    assert done.returncode == 0, done.stderr
    answers = done.stdout.split("--end--\n")[:-1]
    return [sorted(filter(None, answer.split("\n"))) for answer in answers]


@pytest.fixture
def complete(scripts, folder):
    """complete(*words) → what bash offers for the last word."""
    if BASH is None:
        pytest.skip("bash is not installed")
    return lambda *words: bash_complete(scripts["bash"], folder, words)[0]


def test_the_script_registers_a_completion_function(scripts):
    if BASH is None:
        pytest.skip("bash is not installed")
    done = subprocess.run([BASH, "--norc", "--noprofile", "-c", f"source {scripts['bash']}; complete -p schedc"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "complete -F _schedc schedc\n"


def test_commands_and_global_options(complete):
    names = [c.name for c in table.COMMANDS]
    assert {"check", "compile", "fmt", "import", "submit", "sandbox", "rule", "completion", "explain"} <= set(names)
    assert complete("schedc", "") == sorted([*names, "-h", "--help", "-v", "--verbose", "--color", "--colour",
                                             "--config", "--no-config", "--max-input-size", "--version"])
    assert complete("schedc", "co") == ["compile", "completion"]
    assert complete("schedc", "--color", "never", "ch") == ["check"]  # an option's value is no command
    assert complete("schedc", "--color", "") == ["always", "auto", "never"]
    assert complete("schedc", "--config", "s.toml", "--color", "al") == ["always"]


def test_options_of_a_command(complete):
    assert complete("schedc", "check", "--s") == ["--select", "--show-settings", "--statistics", "--stdin-filename",
                                                   "--strict"]
    assert complete("schedc", "check", "--end-of-day", "") == ["23:59", "24:00"]
    assert complete("schedc", "submit", "--if-exists", "") == ["error", "skip"]
    assert "--rate" in complete("schedc", "submit", "--r")
    offered = complete("schedc", "check", "-")
    assert len(offered) == len(set(offered)) and {"-h", "-q", "-v", "--config", "--strict"} <= set(offered)
    # `--api-key` is refused when given: it is never offered
    assert complete("schedc", "submit", "--api-key") == ["--api-key-file"]


def test_paths_zones_and_codes(complete):
    assert complete("schedc", "check", "") == ["ana.sched", "team"]
    assert complete("schedc", "-v", "compile", "a") == ["ana.sched"]
    assert complete("schedc", "import", "") == ["ana.json", "team"]
    assert complete("schedc", "compile", "--timezone", "Europe/Lisb") == ["Europe/Lisbon"]
    assert complete("schedc", "submit", "--timezone", "America/New_") == ["America/New_York"]
    assert complete("schedc", "explain", "--in", "Asia/Tok") == ["Asia/Tokyo"]
    assert complete("schedc", "check", "--ignore", "SC12") == [c for c in CODES if c.startswith("SC12")]
    assert {f"SC12{n}" for n in range(7)} <= set(complete("schedc", "check", "--ignore", "SC12"))
    assert complete("schedc", "rule", "SC10") == [f"SC10{n}" for n in range(1, 10)]
    assert complete("schedc", "completion", "") == ["bash", "fish", "zsh"]
    assert "notes.txt" in complete("schedc", "submit", "--api-key-file", "")


def test_a_list_of_codes_keeps_the_codes_before_the_last_comma(complete):
    assert complete("schedc", "check", "--select", "SC102,SC12") == [f"SC102,{c}" for c in CODES
                                                                     if c.startswith("SC12")]
    assert complete("schedc", "submit", "--ignore", "SC1,SC300,SC30") == [f"SC1,SC300,{c}" for c in CODES
                                                                          if c.startswith("SC30")]
    assert complete("schedc", "check", "--select", "SC102,") == [f"SC102,{c}" for c in CODES]


# the value each kind completes to in `folder`, for bash
BASH_VALUES = {
    table.CHOICE: None,  # the option's words
    table.ZONE: "zones", table.CODES: list(CODES), table.CODE: list(CODES), table.CHANNEL: sorted(CHANNELS),
    table.FILE: ["ana.json", "ana.sched", "notes.txt", "team"], table.DIRECTORY: ["team"],
    table.SCHED: ["ana.sched", "team"], table.JSON: ["ana.json", "team"],
    table.TEXT: [], table.INTEGER: [], table.NUMBER: [], table.RATE: [], table.SIZE: [],
}


def expected_values(option) -> list[str]:
    if option.kind == table.CHOICE:
        return sorted(option.words)
    return BASH_VALUES[option.kind]


def test_every_option_of_the_table_completes_its_kind_of_value(scripts, folder):
    """For each command and each option that takes a value, what bash offers for its value is
    what the option's kind stands for; after a flag, what the command's operands are."""
    if BASH is None:
        pytest.skip("bash is not installed")
    cases = []
    for command in table.COMMANDS:
        operand = command.operands[0] if command.operands else None
        for option in (*table.common_of(command), *command.options):
            if option.hidden:
                continue
            after = option if option.kind != table.FLAG else operand
            for name in option.names:
                cases.append(((command.name, name), expected_values(after) if after else []))
    answers = bash_complete(scripts["bash"], folder, *(("schedc", *words, "") for words, _ in cases))
    for (words, expected), offered in zip(cases, answers):
        if expected == "zones":
            assert "Europe/Lisbon" in offered and "UTC" in offered and len(offered) > 300, words
        else:
            assert offered == expected, words


def test_a_channel_and_a_directory_complete_as_their_kinds(folder):
    """No command takes a channel or a directory yet; a table that has one gets them completed."""
    if BASH is None:
        pytest.skip("bash is not installed")
    from schedc.cli.completion import script

    command = table.Command("book", "book a meeting", "Book a meeting.", module="book",
                            operands=(table.Operand("into", "DIR", table.DIRECTORY),),
                            options=(table.Option("--channel", table.CHANNEL, "CHANNEL", "the channel"),))
    path = folder.parent / "home" / "book.bash"
    path.write_text(script("bash", (command,)))
    assert bash_complete(path, folder, ("schedc", "book", "--channel", "teams"), ("schedc", "book", "--channel", ""),
                         ("schedc", "book", "")) == [["teamsForBusiness2"], sorted(CHANNELS), ["team"]]
    if FISH is not None:
        path = folder.parent / "home" / "book.fish"
        path.write_text(script("fish", (command,)))
        assert fish_complete(path, folder, "schedc book --channel teams") == [["teamsForBusiness2"]]


def test_every_command_and_option_of_the_table_is_in_every_script(scripts):
    texts = {shell: path.read_text() for shell, path in scripts.items()}
    for command in table.COMMANDS:
        for shell, text in texts.items():
            assert command.name in text, (shell, command.name)
            for option in command.options:
                for name in option.names:
                    written = name
                    if shell == "fish":
                        written = f"-l {name[2:]}" if name.startswith("--") else f"-s {name[1:]}"
                    shown = re.search(re.escape(written) + r"(?![\w-])", text) is not None
                    assert shown != option.hidden, (shell, command.name, name)
    assert "Europe/Lisbon" in texts["zsh"] and "Europe/Lisbon" in texts["fish"]
    assert "teamsForBusiness2" in texts["bash"]
    assert texts["zsh"].startswith("#compdef schedc\n")


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_other_shells_accept_their_script(shell, scripts):
    program = shutil.which(shell)
    if program is None:
        pytest.skip(f"{shell} is not installed")
    done = subprocess.run([program, "-n", str(scripts[shell])], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


# ---- bash and zsh at a prompt: TAB is pressed, and the line it completed is run
def typed(argv: list[str], setup: list[str], keys: str, folder, term: str) -> str:
    """The words a stand-in `schedc` function receives when `keys` (TABs in them) are typed at
    the interactive shell `argv` after the lines `setup`, on a pseudo-terminal."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    shell = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=folder, start_new_session=True,
                             env={**shell_env(folder), "PS1": "READY> ", "TERM": term})
    os.close(slave)
    seen = b""

    def until(marker: bytes) -> bytes:
        nonlocal seen
        while marker not in seen:
            if not select.select([master], [], [], 60)[0]:
                shell.kill()
                raise AssertionError(f"the shell said no {marker!r}; it said: {seen[-2000:]!r}")
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise AssertionError(f"the shell ended before {marker!r}; it said: {seen[-2000:]!r}")
            seen += chunk
        end = seen.index(marker) + len(marker)
        text, seen = seen[:end], seen[end:]
        return text

    try:
        for line in setup:
            until(b"READY> ")
            os.write(master, line.encode() + b"\r")
        until(b"READY> ")
        os.write(master, keys.encode() + b"\r")
        until(b"ARGS<")  # the function's output, not the echo of its definition (`ARG${:-S}<`)
        words = until(b">END")[:-4].decode()
        os.write(master, b"exit\r")
        shell.wait(timeout=60)
    finally:
        os.close(master)
        if shell.poll() is None:
            shell.kill()
            shell.wait()
    return words


LINES = [  # typed, then what the line says once TAB has done its work
    ("schedc check --end-of-day 23:\t", "check --end-of-day 23:59"),
    ("schedc fmt --end-of-day 24\t", "fmt --end-of-day 24:00"),
    ("schedc check --select SC102,SC126\t", "check --select SC102,SC126"),
    ("schedc check --ignore SC001,SC50\t1", "check --ignore SC001,SC501"),
    ("schedc compile --timezone Europe/Lisb\t", "compile --timezone Europe/Lisbon"),
    ("schedc check a\t", "check ana.sched"),
    ("schedc import a\t", "import ana.json"),
    ("schedc check --show-s\t", "check --show-settings"),
    ("schedc --color al\t chec\t", "--color always check"),
]


@needs(BASH)
@pytest.mark.parametrize("keys, line", [*LINES, ("schedc check --end-of-day=23\t", "check --end-of-day=23:59"),
                                        ("schedc check --format=g\t", "check --format=github")])
def test_bash_at_a_prompt(scripts, folder, keys, line):
    setup = [f"source {scripts['bash']}", "schedc() { printf 'ARG%s<%s>END' S \"$*\"; }"]
    assert typed([BASH, "--norc", "--noprofile", "-i"], setup, keys, folder, "dumb") == line


@needs(ZSH)
@pytest.mark.parametrize("keys, line", LINES)
def test_zsh_at_a_prompt(scripts, folder, keys, line):
    setup = [f"fpath=({scripts['zsh'].parent} $fpath); autoload -Uz compinit; compinit -u -D; unsetopt beep",
             "schedc() { print -rn -- \"ARG${:-S}<$*>END\" }"]
    assert typed([ZSH, "-i"], setup, keys, folder, "xterm") == line


# ---- fish, through its own completion of a line
def fish_complete(script, folder, *lines: str) -> list[list[str]]:
    """What fish offers (without descriptions) for each line, as `complete -C` tells."""
    body = [f"source {script}"] + [f"complete -C {shlex_quote(line)}; echo --end--" for line in lines]
    done = subprocess.run([FISH, "--no-config", "-c", "\n".join(body)], cwd=folder, capture_output=True, text=True,
                          timeout=60, env=shell_env(folder))
    assert done.returncode == 0, done.stderr
    answers = done.stdout.split("--end--\n")[:-1]
    return [sorted(line.split("\t")[0] for line in answer.split("\n") if line) for answer in answers]


def shlex_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@needs(FISH)
def test_fish_completes_sched_files_codes_and_values(scripts, folder):
    lines = {
        "schedc check ": ["ana.sched", "team/"],
        "schedc fmt a": ["ana.sched"],
        "schedc import ": ["ana.json", "team/"],
        "schedc check --end-of-day ": ["23:59", "24:00"],
        "schedc check --select SC102,SC12": [f"SC102,{c}" for c in CODES if c.startswith("SC12")],
        "schedc rule SC10": [f"SC10{n}" for n in range(1, 10)],
        "schedc compile --timezone Europe/Lisb": ["Europe/Lisbon"],
        "schedc check --show-s": ["--show-settings"],
        "schedc completion ": ["bash", "fish", "zsh"],
        "schedc co": ["compile", "completion"],
    }
    assert fish_complete(scripts["fish"], folder, *lines) == list(lines.values())
    assert "notes.txt" in fish_complete(scripts["fish"], folder, "schedc submit --api-key-file ")[0]


def test_an_unknown_shell_is_a_usage_error():
    done = run_schedc("completion", "tcsh")
    assert done.returncode == 2
    assert "invalid choice: 'tcsh'" in done.stderr


def test_completion_costs_the_normal_start_up_nothing(tmp_path):
    """A `check` run loads neither the completion command nor what writes the scripts (the
    rule texts, the zone list): only `schedc completion` does."""
    (tmp_path / "a.sched").write_text("user Ana Lima <ana@example.com> tz UTC\nMon 09:00-17:00\n")
    code = ("import sys\nfrom schedc.cli import main\ncode = main(['check', '-q', 'a.sched'])\n"
            "print(' '.join(sorted(sys.modules)))\nsys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "schedc.cli.completion" not in loaded and "schedc.cli.check" in loaded
    assert not {"schedc.rules", "tomllib", "schedc.cli.progress", "httpx", "pydantic"} & loaded


def test_an_option_with_a_value_before_the_command_is_no_command(tmp_path):
    (tmp_path / "s.toml").write_text("strict = true\n")
    done = run_schedc("--config", "s.toml", "chek", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.endswith("schedc: error: unknown command `chek`: did you mean `check`?\n")


def test_no_module_of_the_package_reaches_into_argparse():
    """The scripts, the parser and the docs come from the table, never from argparse's private
    attributes, which change between Python versions."""
    from pathlib import Path

    package = Path(table.__file__).resolve().parent.parent
    found = [f"{path.relative_to(package.parent)}: {name}" for path in sorted(package.rglob("*.py"))
             for name in re.findall(r"\b_(?:actions|choices_actions|option_string_actions)\b", path.read_text())]
    assert found == []

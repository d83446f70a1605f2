"""`schedc completion bash|zsh|fish`: the scripts are generated, and the bash one is exercised in a
real bash with `complete -p` and the completion function, as bash calls it on TAB."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import run_schedc

BASH = shutil.which("bash")


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory):
    done = run_schedc("completion", "bash")
    assert done.returncode == 0 and done.stderr == ""
    path = tmp_path_factory.mktemp("completion") / "schedc.bash"
    path.write_text(done.stdout)
    return path


@pytest.fixture
def complete(bash_script, tmp_path):
    """complete(*words) → what bash offers for the last word, in a folder with a few files."""
    if BASH is None:
        pytest.skip("bash is not installed")
    (tmp_path / "ana.sched").write_text("Mon 09:00-17:00\n")
    (tmp_path / "ana.json").write_text("{}\n")
    (tmp_path / "notes.txt").write_text("x\n")
    (tmp_path / "team").mkdir()

    def run(*words: str) -> list[str]:
        script = (f"source {bash_script}\n"
                  "COMP_WORDS=(\"$@\"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                  "COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}\n"
                  "_schedc schedc \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                  "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
        done = subprocess.run([BASH, "--norc", "--noprofile", "-c", script, "bash", *words], cwd=tmp_path,
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        return sorted(filter(None, done.stdout.split("\n")))

    return run


def test_the_script_registers_a_completion_function(bash_script):
    if BASH is None:
        pytest.skip("bash is not installed")
    done = subprocess.run([BASH, "--norc", "--noprofile", "-c", f"source {bash_script}; complete -p schedc"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "complete -F _schedc schedc\n"


def test_commands_and_global_options(complete):
    from schedc.cli import build_parser

    commands = next(a for a in build_parser()._actions if hasattr(a, "choices") and isinstance(a.choices, dict))
    assert {"check", "compile", "fmt", "import", "submit", "sandbox", "rule", "completion"} <= set(commands.choices)
    assert complete("schedc", "") == sorted([*commands.choices, "-h", "--help", "-v", "--verbose", "--color",
                                             "--colour", "--config", "--no-config", "--max-input-size",
                                                 "--version"])
    assert complete("schedc", "co") == ["compile", "completion"]
    assert complete("schedc", "--color", "never", "ch") == ["check"]  # an option's value is no command
    assert complete("schedc", "--color", "") == ["always", "auto", "never"]


def test_options_of_a_command(complete):
    assert complete("schedc", "check", "--s") == ["--select", "--show-settings", "--stdin-filename", "--strict"]
    assert complete("schedc", "check", "--end-of-day", "") == ["23:59", "24:00"]
    assert complete("schedc", "submit", "--if-exists", "") == ["error", "skip"]
    assert "--rate" in complete("schedc", "submit", "--r")
    offered = complete("schedc", "check", "-")
    assert len(offered) == len(set(offered)) and {"-h", "-q", "-v", "--config", "--strict"} <= set(offered)


def test_paths_zones_and_codes(complete):
    assert complete("schedc", "check", "") == ["ana.sched", "team"]
    assert complete("schedc", "-v", "compile", "a") == ["ana.sched"]
    assert complete("schedc", "import", "") == ["ana.json", "team"]
    assert complete("schedc", "compile", "--timezone", "Europe/Lisb") == ["Europe/Lisbon"]
    assert complete("schedc", "submit", "--timezone", "America/New_") == ["America/New_York"]
    from schedc.rules import rules

    assert complete("schedc", "check", "--ignore", "SC12") == [c for c in rules() if c.startswith("SC12")]
    assert {f"SC12{n}" for n in range(7)} <= set(complete("schedc", "check", "--ignore", "SC12"))
    assert complete("schedc", "rule", "SC10") == [f"SC10{n}" for n in range(1, 10)]
    assert complete("schedc", "completion", "") == ["bash", "fish", "zsh"]
    assert "notes.txt" in complete("schedc", "submit", "--api-key-file", "")


def test_every_command_and_option_of_the_parser_is_in_every_script():
    from schedc.cli import build_parser
    from schedc.cli.completion import describe

    spec = describe(build_parser())
    scripts = {shell: run_schedc("completion", shell).stdout for shell in ("bash", "zsh", "fish")}
    for command in spec.commands:
        for shell, script in scripts.items():
            assert command.name in script, (shell, command.name)
            for option in command.options:
                for name in option.names:
                    written = name if shell != "fish" else ("-l " + name[2:] if name.startswith("--") else "-s " + name[1:])
                    assert written in script, (shell, command.name, name)
    assert "Europe/Lisbon" in scripts["zsh"] and "Europe/Lisbon" in scripts["fish"]
    assert "teamsForBusiness2" in scripts["bash"]
    assert scripts["zsh"].startswith("#compdef schedc\n")
    assert "complete -c schedc -n '__fish_seen_subcommand_from check' -l end-of-day -x -a '23:59 24:00'" in scripts["fish"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_other_shells_accept_their_script(shell, tmp_path):
    program = shutil.which(shell)
    if program is None:
        pytest.skip(f"{shell} is not installed")
    path = tmp_path / f"schedc.{shell}"
    path.write_text(run_schedc("completion", shell).stdout)
    done = subprocess.run([program, "-n", str(path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


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

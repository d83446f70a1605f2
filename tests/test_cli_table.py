"""The command-line table (schedc/cli/table.py) is well formed, and each command's `--help`,
built from it, shows every entry and ends as the table says."""

from __future__ import annotations

import re

import pytest

from conftest import run_schedc
from schedc.cli import table


def entries():
    for command in table.COMMANDS:
        for option in (*table.common_of(command), *command.options):
            yield command, option


def test_every_entry_is_well_formed():
    for command, option in entries():
        where = (command.name, option.names)
        assert option.kind in table.KINDS, where
        assert all(re.fullmatch(r"-[a-z]|--[a-z][a-z-]*", name) for name in option.names), where
        assert bool(option.words) == (option.kind == table.CHOICE), where
        assert (option.low is not None) == (option.kind in (table.INTEGER, table.NUMBER)), where
        assert option.store is True or option.kind == table.FLAG, where
        assert option.hidden or option.help, where
        assert ("{default}" in option.help) <= (option.setting is not None), where
    for command in table.COMMANDS:
        names = [n for o in (table.HELP, *table.common_of(command), *command.options) for n in o.names]
        assert len(names) == len(set(names)), command.name
        assert all(operand.kind in table.KINDS for operand in command.operands), command.name
        assert command.module and command.summary and command.description, command.name
    assert len({c.name for c in table.COMMANDS}) == len(table.COMMANDS)


@pytest.mark.parametrize("name", [c.name for c in table.COMMANDS])
def test_each_commands_help_shows_its_entries_and_ends_with_its_examples_and_exit_codes(name):
    command = table.command(name)
    done = run_schedc(name, "--help", env={"COLUMNS": "200"})
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"usage: schedc {name} ")
    for option in (table.HELP, *table.common_of(command), *command.options):
        for option_name in option.names:
            assert (re.search(rf"(?<![\w-]){option_name}(?![\w-])", done.stdout) is None) == option.hidden, option_name
        if not option.hidden:
            assert " ".join(option.text().split()) in " ".join(done.stdout.split()), option.names
    assert done.stdout.endswith(table.epilog(command) + "\n")

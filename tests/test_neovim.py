"""docs/editors.md's Neovim setup, run in a real Neovim (skipped where `nvim` is not installed).

The page's Lua for Neovim 0.7 to 0.10 without a plugin is what runs, with the command that
starts this checkout's server; a script inside Neovim waits for the diagnostics, completes three
lines with the built-in omni completion (`<C-x><C-o>`, the keys the issue was reported with),
and writes what it saw as JSON. Nothing is timed: each step waits for what it needs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="Neovim is not installed")

# Inside Neovim: poll for each thing instead of sleeping for it; give up after a minute.
CHECK = r"""
local out = { diagnostics = {}, completion = {} }
local function finish()
  vim.fn.writefile({ vim.fn.json_encode(out) }, OUT)
  vim.cmd("qa!")
end
local function until_true(condition, after, tries)
  tries = tries or 600
  if condition() or tries == 0 then return after() end
  vim.defer_fn(function() until_true(condition, after, tries - 1) end, 100)
end
local lines = vim.api.nvim_buf_line_count(0)
local function complete(line)
  if line > lines then return finish() end
  vim.api.nvim_win_set_cursor(0, { line, 0 })
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("A<C-x><C-o>", true, false, true), "n", false)
  until_true(function() return vim.fn.pumvisible() == 1 end, function()
    local labels = {}
    for _, item in ipairs(vim.fn.complete_info({ "items" }).items) do table.insert(labels, item.word) end
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<C-y><Esc>", true, false, true), "n", false)
    until_true(function() return vim.fn.mode() == "n" end, function()
      table.insert(out.completion, { menu = labels, line = vim.api.nvim_buf_get_lines(0, line - 1, line, false)[1] })
      complete(line + 1)
    end)
  end, 100)
end
until_true(function() return #vim.diagnostic.get(0) > 0 end, function()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(out.diagnostics, { d.lnum, d.col, d.code })
  end
  vim.bo.omnifunc = "v:lua.vim.lsp.omnifunc"
  vim.opt.completeopt = { "menuone" }
  complete(2)
end)
"""


def documented_lua(heading: str) -> str:
    page = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    section = page.split(f"### {heading}\n", 1)[1].split("\n### ", 1)[0]
    return re.search(r"```lua\n(.*?)```", section, re.S)[1]


def test_the_documented_setup_for_neovim_0_7_to_0_10_completes_what_is_typed(tmp_path):
    page = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    filetype = re.search(r"## Neovim\n.*?```lua\n(.*?)```", page, re.S)[1]
    server = documented_lua("Neovim 0.7 to 0.10, without a plugin")
    command = "{ " + ", ".join(json.dumps(part) for part in (sys.executable, "-m", "schedc", "lsp")) + " }"
    assert '{ "schedc", "lsp" }' in server
    (tmp_path / "init.lua").write_text(filetype + server.replace('{ "schedc", "lsp" }', command), encoding="utf-8")
    (tmp_path / "check.lua").write_text(f"local OUT = {json.dumps(str(tmp_path / 'out.json'))}\n" + CHECK,
                                        encoding="utf-8")
    (tmp_path / "ana.sched").write_text("user Ana Lima <ana@example.com> tz Europe/Londn\n"
                                        "tz Europe/Lo\n30min zo\nMon-Fri 09:00-17:00; Sat-\n", encoding="utf-8")
    done = subprocess.run([NVIM, "--headless", "-u", "init.lua", "-i", "NONE", "ana.sched", "-c", "luafile check.lua"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=180,
                          env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    seen = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert seen["diagnostics"] == [[3, 25, "SC003"]], done.stderr  # `Sat-` is not finished yet
    assert seen["completion"] == [
        {"menu": ["Europe/London"], "line": "tz Europe/London"},
        {"menu": ["zoom"], "line": "30min zoom"},
        {"menu": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sun"], "line": "Mon-Fri 09:00-17:00; Sat-Mon"}]

"""The reference docs show what the tool really does, and every diagnostic code has an entry.

Conventions in docs/language.md, docs/diagnostics.md and docs/cli.md:

- A ```sched block followed directly by a ```json block is an example: the schedule, compiled
  with no command-line flags, gives exactly that JSON. ```json availability.schedule (a dotted
  path after `json`) shows only that part of the request, indented as the compiler indents it.
- A ```console block is a shell session: each `$ ` line is a command, the lines after it are
  what the command prints (stdout and stderr together, no colour). The commands of a block run
  in order, in one fresh temporary directory, with `schedc` meaning this checkout's
  `python -m schedc`; `$?` is the previous command's exit status. When a ```sched block comes directly before the
  ```console block, it is saved as the first `*.sched` file the commands name.
- Every ```sched block must be followed by a ```json or ```console block. Blocks marked ```sh
  or ```text are prose and are not run.

docs/diagnostics.md has one `## SCnnn — title` section per code in `CODES` (title as there), with
a `**Severity:**` line, the parts What it means / Why it matters / Example / How to fix it, and
an example whose output shows the code; its index table lists every code.

Run `python tests/test_docs.py --update` to rewrite the shown output from the current tool,
then review the diff: the output is part of the documentation.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = ("language.md", "diagnostics.md", "cli.md", "configuration.md")
PROMPT = "$ "


# ---- reading the Markdown
@dataclass
class Block:
    page: str
    info: str  # the fence's info string, e.g. "json availability.schedule"
    body: str
    line: int  # 1-based line of the opening fence
    body_start: int  # character offsets of the body in the page, for --update
    body_end: int
    follows: Optional["Block"] = None  # the block directly before this one, with only blank lines between

    @property
    def kind(self) -> str:
        return self.info.split()[0] if self.info else ""

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"


_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.M | re.S)


def blocks(page: str, text: Optional[str] = None) -> list[Block]:
    text = (DOCS / page).read_text(encoding="utf-8") if text is None else text
    found: list[Block] = []
    previous_end = None
    for match in _FENCE.finditer(text):
        block = Block(page, match[1].strip(), match[2], text.count("\n", 0, match.start()) + 1,
                      match.start(2), match.end(2))
        if found and text[previous_end:match.start()].strip() == "":
            block.follows = found[-1]
        found.append(block)
        previous_end = match.end()
    return found


def all_blocks() -> list[Block]:
    return [b for page in PAGES for b in blocks(page)]


def json_examples() -> list[Block]:
    return [b for b in all_blocks() if b.kind == "json" and b.follows and b.follows.kind == "sched"]


def sessions() -> list[Block]:
    return [b for b in all_blocks() if b.kind == "console"]


# ---- producing the output the docs should show
def compiled_json(block: Block) -> str:
    """What the ```sched block before `block` compiles to, or the part the info string names."""
    import schedc

    request = schedc.compile(block.follows.body, "example.sched")
    parts = block.info.split()
    if len(parts) == 1:
        return request.to_json()
    value = request.to_dict()
    for key in parts[1].split("."):
        value = value[key]
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def commands(block: Block) -> list[tuple[str, str]]:
    """[(command, shown output)] of a console block."""
    result: list[tuple[str, list[str]]] = []
    for line in block.body.splitlines():
        if line.startswith(PROMPT):
            result.append((line[len(PROMPT):], []))
        else:
            assert result, f"{block}: a console block starts with a `$ ` command line"
            result[-1][1].append(line)
    return [(command, "\n".join(lines)) for command, lines in result]


def _schedule_file(block: Block) -> Optional[str]:
    for command, _ in commands(block):
        for word in shlex.split(command, comments=False):
            if word.endswith(".sched") and not word.startswith("-"):
                return word
    return None


def run_session(block: Block) -> list[str]:
    """Run a console block's commands; their outputs, in order."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("the documented shell sessions need bash")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["SCHEDC_PYTHON"] = sys.executable
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["TERM"] = "dumb"
    env["COLUMNS"] = "80"  # argparse wraps its usage text to the terminal width
    outputs, status = [], 0
    with tempfile.TemporaryDirectory(prefix="schedc-docs-") as directory:
        if block.follows is not None and block.follows.kind == "sched":
            name = _schedule_file(block)
            assert name, f"{block}: the commands name no .sched file to save the example as"
            target = Path(directory, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.follows.body, encoding="utf-8")
        for command, _ in commands(block):
            script = f'schedc() {{ "$SCHEDC_PYTHON" -m schedc "$@"; }}\n(exit {status})\n{command}\n'
            done = subprocess.run([bash, "-c", script], cwd=directory, env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
            status = done.returncode
            outputs.append(done.stdout.decode("utf-8", errors="replace").rstrip("\n"))
    return outputs


# ---- the tests
def test_every_example_shows_its_output():
    for page in PAGES:
        found = blocks(page)
        for block, after in zip(found, found[1:] + [None]):
            if block.kind == "sched":
                assert after is not None and after.follows is block and after.kind in ("json", "console"), \
                    f"{block}: a ```sched block must be followed directly by a ```json or ```console block"


@pytest.mark.parametrize("block", json_examples(), ids=str)
def test_json_example_is_what_the_compiler_gives(block):
    assert block.body == compiled_json(block), f"{block}: run `python tests/test_docs.py --update`"


@pytest.mark.parametrize("block", sessions(), ids=str)
def test_console_session_is_what_the_tool_prints(block):
    shown = [output for _, output in commands(block)]
    assert shown == run_session(block), f"{block}: run `python tests/test_docs.py --update`"


def _sections() -> dict[str, tuple[str, str]]:
    """code → (title, body) of each `## SCnnn — title` section of docs/diagnostics.md."""
    text = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)[1:]
    sections = {}
    for part in parts:
        heading, _, body = part.partition("\n")
        match = re.fullmatch(r"(SC\d{3}) — (.+)", heading.strip())
        if match:
            assert match[1] not in sections, f"two sections for {match[1]}"
            sections[match[1]] = (match[2], body)
    return sections


def test_every_code_has_a_section_and_no_section_is_unknown():
    from schedc.diagnostics import CODES

    text = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    headed = set(re.findall(r"^#+ .*?\b(SC\d{3})\b", text, flags=re.M))
    sections = _sections()
    assert headed == set(sections), "a heading names a code but is not written `## SCnnn — title`"
    assert sorted(sections) == sorted(CODES)
    for code, (title, _) in sections.items():
        assert title == CODES[code], f"{code}: the heading should read `## {code} — {CODES[code]}`"


def test_the_index_lists_every_code_with_its_title():
    from schedc.diagnostics import CODES

    text = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| \[(SC\d{3})\]\(#[^)]+\) \|[^|]*\| (.+?) \|$", text, flags=re.M))
    assert rows == CODES


SERVER_CODES = {"SC300", "SC301", "SC302", "SC303", "SC310", "SC311", "SC312", "SC313"}


@pytest.mark.parametrize("code", sorted(_sections()), ids=str)
def test_each_section_shows_its_code_and_severity(code):
    _, body = _sections()[code]
    outputs = "\n".join(output for block in blocks("diagnostics.md", body) if block.kind == "console"
                        for _, output in commands(block))
    if code in SERVER_CODES:  # needs a server's answer: recorded from the sandbox, asserted by tests/test_submit.py
        # and tests/test_apply.py
        outputs += "\n".join(block.body for block in blocks("diagnostics.md", body) if block.kind == "text")
    severities = set(re.findall(rf"\b(error|warning)\[{code}\]", outputs))
    assert severities, f"{code}: the section needs an example whose output shows `[{code}]`"
    stated = re.search(r"^\*\*Severity:\*\* (.+)$", body, flags=re.M)
    assert stated, f"{code}: the section needs a `**Severity:** ...` line"
    for severity in severities:
        assert severity in stated[1], f"{code}: the example shows a {severity} the severity line does not name"
    for heading in ("What it means", "Why it matters", "Example", "How to fix it"):
        assert f"### {heading}" in body, f"{code}: the section needs a `### {heading}` part"


def test_language_page_names_every_channel_and_day_alias():
    from schedc.compiler import words

    text = (DOCS / "language.md").read_text(encoding="utf-8")
    for word in (*words.CHANNELS, *words.DAY_ALIASES):
        assert f"`{word}`" in text, f"docs/language.md does not mention `{word}`"


def _anchor(heading: str) -> str:
    """The anchor a Markdown renderer gives a heading (GitHub's rule)."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: str) -> set[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    text = _FENCE.sub("", text)
    return {_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)}


def test_links_between_the_pages_point_at_headings():
    for page in PAGES:
        text = _FENCE.sub("", (DOCS / page).read_text(encoding="utf-8"))
        for target, anchor in re.findall(r"\]\(([\w.-]*)#([^)]+)\)", text):
            target = target or page
            if target in PAGES:
                assert anchor in _anchors(target), f"{page}: no heading for the link `{target}#{anchor}`"


# ---- rewriting the shown output from the tool
def update() -> None:
    for page in PAGES:
        path = DOCS / page
        text = path.read_text(encoding="utf-8")
        edits = []
        for block in blocks(page, text):
            if block.kind == "json" and block.follows and block.follows.kind == "sched":
                edits.append((block, compiled_json(block)))
            elif block.kind == "console":
                outputs = run_session(block)
                body = "".join(f"{PROMPT}{command}\n" + (output + "\n" if output else "")
                               for (command, _), output in zip(commands(block), outputs))
                edits.append((block, body))
        for block, body in reversed(edits):
            text = text[:block.body_start] + body + text[block.body_end:]
        path.write_text(text, encoding="utf-8")
        print(f"updated {path.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_docs.py --update")
    sys.path.insert(0, str(ROOT))
    update()

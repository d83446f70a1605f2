"""The TextMate grammar in editors/ stays in step with schedc/grammar.lark.

A small TextMate tokeniser (match rules with captures, begin/end rules, includes) runs the
grammar's regular expressions, written in the part of Oniguruma's syntax that Python's `re`
shares, over every example file. Every word the real parser reads must get the scope of what
it is (a day, a time, a zone...), and every terminal and keyword of grammar.lark must be known
here, so a change to the language fails this test until the highlighting follows it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import schedc
from schedc.compiler import nodes
from schedc.diagnostics import ScheduleError

ROOT = Path(__file__).resolve().parent.parent
EDITOR = ROOT / "editors" / "vscode"
GRAMMAR = json.loads((EDITOR / "syntaxes" / "sched.tmLanguage.json").read_text(encoding="utf-8"))
EXAMPLES = sorted((ROOT / "examples").rglob("*.sched"))

DAY, TIME, ZONE = "constant.language.day.sched", "constant.numeric.time.sched", "support.constant.timezone.sched"
STRING, NAME, EMAIL = "string.quoted.double.sched", "string.unquoted.name.sched", "string.other.email.sched"
DURATION, CHANNEL, SLUG = "constant.numeric.duration.sched", "support.constant.channel.sched", "string.unquoted.slug.sched"
STATEMENT, COMMENT = "keyword.control.statement.sched", "comment.line.number-sign.sched"
REGION = "support.constant.region.sched"
KEYWORD_SCOPES = {"TZ": "keyword.other.tz.sched", "USER": STATEMENT, "AVAILABILITY": STATEMENT,
                  "MEETING": STATEMENT, "SLUG": "keyword.other.slug.sched", "OFF": "keyword.other.off.sched",
                  "HOLIDAYS": STATEMENT}
# Every terminal of grammar.lark and the scope its text gets (None: layout, not highlighted as a word).
TERMINALS = {**KEYWORD_SCOPES, "DAY": DAY, "TIME": TIME, "DURATION": DURATION, "ZONE": ZONE, "CHANNEL": CHANNEL,
             "SLUG_TEXT": SLUG, "REGION": REGION, "EMAIL": EMAIL, "NAME_WORD": NAME, "STRING": STRING, "_SEP": None,
             "COMMENT": COMMENT, "WS": None}
# A line using each keyword, and where the keyword stands in it.
KEYWORD_LINES = {"TZ": ("Mon 09:00-17:00 {} Europe/London", 16), "USER": ("{} Ana <ana@example.com>", 0),
                 "AVAILABILITY": ('{} "Office"', 0), "MEETING": ('{} "Intro" 45min zoom', 0),
                 "SLUG": ("45min zoom {} intro", 11), "OFF": ("Mon-Fri {}", 8), "HOLIDAYS": ("{} DE-BY", 0)}


# ---- a TextMate tokeniser
class Tokeniser:
    def __init__(self, grammar: dict):
        self.grammar = grammar
        self._compiled: dict[str, re.Pattern] = {}

    def regex(self, source: str) -> re.Pattern:
        if source not in self._compiled:
            self._compiled[source] = re.compile(source)
        return self._compiled[source]

    def rules(self, patterns: list) -> list[dict]:
        """The match and begin rules of a pattern list, includes expanded in order."""
        found = []
        for pattern in patterns:
            if "include" in pattern:
                name = pattern["include"]
                target = self.grammar if name == "$self" else self.grammar["repository"][name.lstrip("#")]
                found += self.rules(target["patterns"]) if "match" not in target and "begin" not in target\
                    else [target]
            elif "patterns" in pattern and "match" not in pattern and "begin" not in pattern:
                found += self.rules(pattern["patterns"])
            else:
                found.append(pattern)
        return found

    def lines(self, text: str) -> list[list[tuple[int, int, tuple[str, ...]]]]:
        """Per line, the tokens (start, end, scopes), as an editor gets them line by line."""
        stack: list[tuple[dict, tuple[str, ...]]] = [(self.grammar, (self.grammar["scopeName"],))]
        result = []
        for line in text.split("\n"):
            line = line.rstrip("\r")
            tokens: list = []
            stack = self._line(line, stack, tokens)
            result.append(tokens)
        return result

    def _line(self, line: str, stack, tokens) -> list:
        pos, guard = 0, 0
        while True:
            guard += 1
            assert guard < 10 * (len(line) + 10), f"the grammar loops on {line!r}"
            rule, scopes = stack[-1]
            best = None  # (start, order, kind, rule, match)
            if "end" in rule:
                found = self.regex(rule["end"]).search(line, pos)
                if found:
                    best = (found.start(), -1, "end", rule, found)
            for order, candidate in enumerate(self.rules(rule["patterns"])):
                found = self.regex(candidate.get("match") or candidate["begin"]).search(line, pos)
                if found and (best is None or found.start() < best[0]):
                    best = (found.start(), order, "match" if "match" in candidate else "begin", candidate, found)
            if best is None:
                if pos < len(line):
                    tokens.append((pos, len(line), scopes))
                return stack
            start, _, kind, candidate, found = best
            if start > pos:
                tokens.append((pos, start, scopes))
            if kind == "end":
                self._emit(found, scopes, {}, tokens)
                stack = stack[:-1]
                if found.end() == found.start() and start >= len(line):
                    if len(stack) == 1:
                        return stack
            elif kind == "match":
                inner = scopes + ((candidate["name"],) if "name" in candidate else ())
                self._emit(found, inner, candidate.get("captures", {}), tokens)
                if found.end() == found.start():
                    if found.end() < len(line):
                        tokens.append((found.end(), found.end() + 1, scopes))
                    pos = found.end() + 1
                    if pos > len(line):
                        return stack
                    continue
            else:
                inner = scopes + ((candidate["name"],) if "name" in candidate else ())
                self._emit(found, inner, candidate.get("beginCaptures", {}), tokens)
                stack = stack + [(candidate, inner + ((candidate["contentName"],) if "contentName" in candidate else ()))]
            pos = found.end()

    @staticmethod
    def _emit(found: re.Match, scopes, captures: dict, tokens) -> None:
        """The matched text, split where capture groups give their own scope."""
        pos = found.start()
        for group in sorted((int(g) for g in captures if int(g) > 0 and found.start(int(g)) >= 0),
                            key=lambda g: found.start(g)):
            if found.start(group) < pos:
                continue
            if found.start(group) > pos:
                tokens.append((pos, found.start(group), scopes))
            if found.end(group) > found.start(group):
                tokens.append((found.start(group), found.end(group), scopes + (captures[str(group)]["name"],)))
            pos = found.end(group)
        if found.end() > pos:
            tokens.append((pos, found.end(), scopes))


TOKENISER = Tokeniser(GRAMMAR)


def scopes_by_character(text: str) -> list[list[tuple[str, ...]]]:
    """For each line, each character's scopes (innermost last)."""
    result = []
    for line, tokens in zip(text.split("\n"), TOKENISER.lines(text)):
        chars: list = [("source.sched",)] * len(line.rstrip("\r"))
        for start, end, scopes in tokens:
            for i in range(start, end):
                chars[i] = scopes
        result.append(chars)
    return result


# ---- what each word of the syntax tree should look like
def expected_scopes(document: nodes.Document, text: str):
    """(span, scope) for every word the parser read, and the keyword that starts a statement."""
    lines = text.split("\n")
    for statement in document.statements:
        if isinstance(statement, nodes.DayRule):
            for item in statement.days:
                yield item.first.span, DAY
                if item.last:
                    yield item.last.span, DAY
            for time_range in statement.times:
                yield time_range.start.span, TIME
                yield time_range.end.span, TIME
            if statement.off:
                yield statement.off.span, KEYWORD_SCOPES["OFF"]
        if isinstance(statement, nodes.TzStatement):
            yield statement.zone.span, ZONE
        tz = getattr(statement, "tz", None)
        if tz is not None:
            yield tz.span, ZONE
        if isinstance(statement, nodes.UserStatement):
            yield _keyword_span(statement, lines, "user"), STATEMENT
            for word in (statement.given, statement.family):
                if word is not None:
                    yield word.span, STRING if word.quoted else NAME
            yield statement.email.span, EMAIL
        if isinstance(statement, nodes.AvailabilityStatement):
            yield _keyword_span(statement, lines, "availability"), STATEMENT
            yield statement.name.span, STRING
        if isinstance(statement, nodes.HolidaysStatement):
            yield _keyword_span(statement, lines, "holidays"), STATEMENT
            yield statement.region.span, REGION
        if isinstance(statement, nodes.MeetingStatement):
            if statement.keyword:
                yield _keyword_span(statement, lines, "meeting"), STATEMENT
            if statement.name:
                yield statement.name.span, STRING
            yield statement.duration.span, DURATION
            if statement.channel:
                yield statement.channel.span, CHANNEL
            if statement.slug:
                yield statement.slug.span, SLUG
    for comment in document.comments:
        yield comment.span, COMMENT


def _keyword_span(statement, lines, keyword: str):
    span = statement.span
    assert lines[span.line - 1][span.column - 1:span.column - 1 + len(keyword)].lower() == keyword
    return span._replace(end_line=span.line, end_column=span.column + len(keyword))


def assert_scoped(text: str, where: str) -> None:
    document = schedc.parse(text)
    scopes = scopes_by_character(text)
    for span, scope in expected_scopes(document, text):
        assert span.line == span.end_line
        line = text.split("\n")[span.line - 1]
        for column in range(span.column, span.end_column):
            got = scopes[span.line - 1][column - 1]
            assert got[-1] == scope, (
                f"{where}:{span.line}:{column}: `{line[span.column - 1:span.end_column - 1]}` "
                f"is {got[-1]}, expected {scope}")
    for number, (line, chars) in enumerate(zip(text.split("\n"), scopes), 1):
        for column, (ch, got) in enumerate(zip(line, chars), 1):
            assert ch.isspace() or len(got) > 1, f"{where}:{number}:{column}: `{ch}` has no scope"


# ---- the tests
def test_the_example_files_are_there():
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT / "examples")))
def test_every_example_file_is_highlighted_as_the_parser_reads_it(path):
    text = path.read_text(encoding="utf-8")
    try:
        schedc.parse(text)
    except ScheduleError:
        TOKENISER.lines(text)  # a file with a syntax error is tokenised all the same, just not checked word by word
        return
    assert_scoped(text, path.name)


@pytest.mark.parametrize("text", [
    'user "Anna Maria" "van der Berg" <anna@example.com> TZ Europe/Amsterdam  # quoted names',
    "mo-fr 9:00-12:00 , 13:00-17:00;sa,su closed;weekdays 18:00-00:00 tz America/Port-au-Prince",
    'MEETING "A; #not a comment" 1h30m teamsForBusiness2 SLUG a-b-c; Wed OFF',
    "1h phone-incoming slug call;tz Etc/GMT+5",
    'availability "Support \\"desk\\"" tz UTC # trailing',
])
def test_every_statement_form_is_highlighted_as_the_parser_reads_it(text):
    assert_scoped(text, "<text>")


def _lark_terminals() -> dict[str, str]:
    source = (ROOT / "schedc" / "compiler" / "grammar.lark").read_text(encoding="utf-8")
    return dict(re.findall(r"^(_?[A-Z][A-Z_]*)\s*:\s*(.+)$", source, re.M))


def test_every_terminal_of_the_lark_grammar_has_a_scope_here():
    assert set(_lark_terminals()) == set(TERMINALS)


@pytest.mark.parametrize("terminal", sorted(KEYWORD_SCOPES))
def test_every_spelling_of_every_keyword_is_highlighted(terminal):
    spellings = re.findall(r'"([^"]+)"i', _lark_terminals()[terminal])
    assert spellings, f"{terminal} is not a case-insensitive keyword any more"
    template, column = KEYWORD_LINES[terminal]
    for spelling in spellings:
        for written in (spelling, spelling.upper(), spelling.capitalize()):
            line = template.format(written)
            schedc.parse(line)  # the sample is a real statement
            chars = scopes_by_character(line)[0]
            for i in range(column, column + len(written)):
                assert chars[i][-1] == KEYWORD_SCOPES[terminal], (line, i, chars[i])


def test_the_extension_manifest_starts_the_language_server_for_sched_files():
    manifest = json.loads((EDITOR / "package.json").read_text(encoding="utf-8"))
    language, = manifest["contributes"]["languages"]
    grammar, = manifest["contributes"]["grammars"]
    assert language["extensions"] == [".sched"]
    assert grammar["language"] == language["id"] and grammar["scopeName"] == GRAMMAR["scopeName"]
    assert (EDITOR / grammar["path"]).resolve() == (EDITOR / "syntaxes" / "sched.tmLanguage.json").resolve()
    assert (EDITOR / language["configuration"]).is_file()
    command = manifest["contributes"]["configuration"]["properties"]["schedc.command"]["default"]
    assert command == ["schedc", "lsp"]
    assert (EDITOR / manifest["main"]).is_file()
    assert 'getConfiguration("schedc").get("command"' in (EDITOR / manifest["main"]).read_text()
    assert "vscode-languageclient" in manifest["dependencies"]


def _ignored(pattern: str, path: str) -> bool:
    """Whether a .vscodeignore glob (minimatch: `**` any folders, `*` within one) covers a path."""
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    return re.fullmatch(regex + "(?:/.*)?", path) is not None


def test_the_extension_packages_without_a_question():
    """`vsce package` asks before going on when package.json has no `repository` or the folder no
    LICENSE; with both (and a README of its own) it packages in a script."""
    from schedc.lsp import links

    manifest = json.loads((EDITOR / "package.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", manifest["name"]) and manifest["publisher"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"]) and manifest["engines"]["vscode"]
    repository = manifest["repository"]
    assert repository["type"] == "git" and repository["url"].startswith("https://")
    assert links.DOCS.startswith(repository["url"].removesuffix(".git") + "/")  # the diagnostics' links: same project
    assert manifest["license"] == "MIT"
    assert (EDITOR / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert "schedc lsp" in (EDITOR / "README.md").read_text(encoding="utf-8")
    patterns = [line.strip() for line in (EDITOR / ".vscodeignore").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    shipped = ["package.json", manifest["main"].removeprefix("./"), "LICENSE", "README.md",
               manifest["contributes"]["grammars"][0]["path"].removeprefix("./"),
               manifest["contributes"]["languages"][0]["configuration"].removeprefix("./"),
               "node_modules/vscode-languageclient/node.js", "node_modules/vscode-jsonrpc/lib/node/main.js"]
    assert not [(p, f) for p in patterns for f in shipped if _ignored(p, f)]
    assert _ignored("*.vsix", "schedc-0.1.0.vsix") and "*.vsix" in patterns


def test_the_vim_syntax_file_knows_every_word_of_the_language():
    """Vim, and Neovim before semantic tokens (0.9), colour with editors/vim; it names every day
    spelling, alias, channel and keyword that the language has."""
    from schedc.compiler import words

    vim = ROOT / "editors" / "vim"
    syntax = (vim / "syntax" / "sched.vim").read_text(encoding="utf-8")
    named = {word.lower() for line in syntax.splitlines() if line.startswith("syntax keyword")
             for word in line.split()[3:]}
    named |= {w.lower() for m in re.findall(r'\\%\(([^)]*)\\\)', syntax) for w in m.split("\\|")}
    assert set(words.DAY_NUMBERS) | set(words.DAY_ALIASES) <= named
    assert {c.lower() for c in words.CHANNELS} <= named
    assert {k.lower() for k in KEYWORD_SCOPES} | {"closed"} <= named
    assert "setfiletype sched" in (vim / "ftdetect" / "sched.vim").read_text(encoding="utf-8")
    assert "commentstring=#" in (vim / "ftplugin" / "sched.vim").read_text(encoding="utf-8")


def test_vs_code_colours_each_semantic_token_as_its_textmate_class():
    """The extension maps each token type the server sends back to a scope of the grammar, so a
    theme colours a word the same with semantic highlighting on or off."""
    from schedc.lsp.tokens import CLASSES

    manifest = json.loads((EDITOR / "package.json").read_text(encoding="utf-8"))
    scopes, = manifest["contributes"]["semanticTokenScopes"]
    assert scopes["language"] == manifest["contributes"]["languages"][0]["id"]
    sent = {".".join((kind, *modifiers)): set() for kind, modifiers in CLASSES.values()}
    for name, (kind, modifiers) in CLASSES.items():
        sent[".".join((kind, *modifiers))].add(name + ".sched")
    assert set(scopes["scopes"]) == set(sent)
    assert all(len(found) == 1 and found[0] in sent[key] for key, found in scopes["scopes"].items())

"""The protocol side of what an editor shows around the text: semantic tokens, the outline, folding, the
ranges of the same day, inlay hints and the code lens with `explain`'s grid.

`server.make_server` registers these on its server with `register`; each handler turns the plain
answers of `tokens`, `outline`, `hints` and `features` into protocol messages. Positions are
converted by `text.Text`, in the encoding agreed at start-up.
"""

from __future__ import annotations

import difflib
import re
from typing import Callable, Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from . import hints, outline, tokens
from .text import Text

EXPLAIN = "schedc.explain"  # the command's name, as editors call it
FIX_ALL = "source.fixAll.schedc"
_SYMBOL = {"user": types.SymbolKind.Object, "availability": types.SymbolKind.Namespace, "rule": types.SymbolKind.Event,
           "zone": types.SymbolKind.Constant, "meeting": types.SymbolKind.Struct}
_LINE = re.compile(r"(?<=\n)")


def register(server: LanguageServer, text_of: Callable[[str], Optional[Text]], settings_of: Callable,
             position: Callable[[Text, int, int], types.Range], is_open: Callable[[str], bool]
             ) -> Callable[[str], None]:
    """The handlers, on `server`. `text_of(uri)` is the open document (None when too large to
    analyse), `settings_of(uri)` its settings, `position(text, start, end)` a protocol range,
    `is_open(uri)` whether the editor has it open. Returns what to call when a document is
    closed: it forgets what was kept about it. What is kept is one answer per open document,
    so a request about a document that is not open (closed already, or never opened) keeps
    nothing: else an editor asking after every close would grow it without end."""
    last_tokens: dict[str, tuple[str, list[int]]] = {}  # open uri → (result id, data) of the last answer

    def keep(uri: str, result_id: str, data: list[int]) -> None:
        if is_open(uri):
            last_tokens[uri] = (result_id, data)
    counter = iter(range(1, 1 << 62))

    def tokens_of(uri: str) -> list[int]:
        """The document's semantic tokens, as the protocol encodes them (none when it is too large)."""
        text = text_of(uri)
        return [] if text is None else tokens.encode(text, tokens.classes(text))

    legend = types.SemanticTokensLegend(token_types=list(tokens.TYPES), token_modifiers=list(tokens.MODIFIERS))

    @server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, legend)
    def semantic_tokens(params: types.SemanticTokensParams) -> types.SemanticTokens:
        data = tokens_of(params.text_document.uri)
        result_id = str(next(counter))
        keep(params.text_document.uri, result_id, data)
        return types.SemanticTokens(data=data, result_id=result_id)

    @server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA)
    def semantic_tokens_delta(params: types.SemanticTokensDeltaParams):
        uri = params.text_document.uri
        data = tokens_of(uri)
        previous = last_tokens.get(uri)
        result_id = str(next(counter))
        keep(uri, result_id, data)
        if previous is None or previous[0] != params.previous_result_id:
            return types.SemanticTokens(data=data, result_id=result_id)
        edit = tokens.delta(previous[1], data)
        edits = [] if edit is None else [types.SemanticTokensEdit(start=edit[0], delete_count=edit[1], data=edit[2])]
        return types.SemanticTokensDelta(edits=edits, result_id=result_id)

    @server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE)
    def semantic_tokens_range(params: types.SemanticTokensRangeParams) -> types.SemanticTokens:
        text = text_of(params.text_document.uri)
        if text is None:
            return types.SemanticTokens(data=[])
        low = text.offset_at(params.range.start.line, params.range.start.character)
        high = text.offset_at(params.range.end.line, params.range.end.character)
        inside = [c for c in tokens.classes(text) if c[1] > low and c[0] < high]
        return types.SemanticTokens(data=tokens.encode(text, inside))

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        text = text_of(params.text_document.uri)
        if text is None:
            return []
        return [types.DocumentSymbol(name=s.name, detail=s.detail or None, kind=_SYMBOL[s.kind],
                                 range=position(text, s.start, s.end),
                                 selection_range=position(text, s.name_start, s.name_end))
                for s in outline.symbols(text)]

    @server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    def folding_range(params: types.FoldingRangeParams) -> list[types.FoldingRange]:
        text = text_of(params.text_document.uri)
        if text is None:
            return []
        found = []
        for fold in outline.folds(text):
            first = position(text, text.offset(fold.first, 1), text.offset(fold.first, 1)).start.line
            last = position(text, text.offset(fold.last, 1), text.offset(fold.last, 1)).start.line
            kind = types.FoldingRangeKind.Comment if fold.kind == "comment" else types.FoldingRangeKind.Region
            found.append(types.FoldingRange(start_line=first, end_line=last, kind=kind))
        return found

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    def document_highlight(params: types.DocumentHighlightParams) -> list[types.DocumentHighlight]:
        text = text_of(params.text_document.uri)
        if text is None:
            return []
        offset = text.offset_at(params.position.line, params.position.character)
        return [types.DocumentHighlight(range=position(text, start, end),
                                    kind=types.DocumentHighlightKind.Write if here else types.DocumentHighlightKind.Read)
                for start, end, here in outline.same_day(text, offset)]

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
    def inlay_hint(params: types.InlayHintParams) -> list[types.InlayHint]:
        uri = params.text_document.uri
        text = text_of(uri)
        if text is None:
            return []
        low = text.offset_at(params.range.start.line, params.range.start.character)
        high = text.offset_at(params.range.end.line, params.range.end.character)
        return [types.InlayHint(position=position(text, h.offset, h.offset).start, label=h.label, tooltip=h.tooltip,
                            padding_left=True)
                for h in hints.hints(text, settings_of(uri)) if low <= h.offset <= high]

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    def code_lens(params: types.CodeLensParams) -> list[types.CodeLens]:
        uri = params.text_document.uri
        text = text_of(uri)
        found = hints.summary(text, settings_of(uri)) if text is not None else None
        if found is None:
            return []
        return [types.CodeLens(range=position(text, 0, 0),
                           command=types.Command(title=found, command=EXPLAIN, arguments=[uri]))]

    @server.command(EXPLAIN)
    def explain(*arguments):
        uri = arguments[0] if arguments else None
        text = text_of(uri) if isinstance(uri, str) else None
        if text is None:
            return None
        grid = week_grid(text, settings_of(uri), uri)
        server.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=grid))
        return grid

    return lambda uri: last_tokens.pop(uri, None)


def week_grid(text: Text, settings, uri: str) -> str:
    """`schedc explain`'s grid of the document's week (this week), or why there is none."""
    from ..compiler import clock_changes
    from ..explain import grid, week as weeks

    person, found = weeks.load(text.source, uri.rsplit("/", 1)[-1], timezone=settings.timezone_fill,
                               end_of_day=settings["end-of-day"])
    if person is None:
        problem = next((d for d in found if d.is_error), None)
        return f"schedc explain: {problem.message if problem else 'nothing to show'}"
    shown = weeks.week(person, weeks.monday_of(clock_changes.today()))
    return grid.person(shown, in_zone=None, colour=False, unicode=True)


def changed_lines(old: str, new: str, first: int, last: int) -> list[tuple[int, int, str]]:
    """The line-wise changes from `old` to `new` that touch lines `first`..`last` (0-based):
    (start, end, replacement), offsets into `old`."""
    old_lines, new_lines = _LINE.split(old), _LINE.split(new)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    found = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        pairs = [(i, i + 1, j, j + 1) for i, j in zip(range(i1, i2), range(j1, j2))] if i2 - i1 == j2 - j1 else [
            (i1, i2, j1, j2)]  # line for line where the counts agree, else the block as one
        for a1, a2, b1, b2 in pairs:
            if a1 <= last and max(a2 - 1, a1) >= first:
                found.append((starts[a1], starts[a2], "".join(new_lines[b1:b2])))
    return found

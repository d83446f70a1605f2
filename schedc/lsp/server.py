"""The protocol side of `schedc lsp`: pygls carries the messages, `features` works out the answers.

The editor sends the whole text on every change (files are a few lines), so the server keeps
no state of its own beyond pygls's copy of each open document, which pygls drops when the
document is closed; no analysis is kept between messages. A document larger than the input
limit (`--max-input-size`) gets one diagnostic, SC006, and no analysis, and its text is not
kept. `framing` reads the messages under bounds and answers the malformed ones.
"""

from __future__ import annotations

from typing import Optional

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..diagnostics import Diagnostic
from ..files import DEFAULT_LIMIT
from . import features
from .text import Text

_SEVERITY = {"error": t.DiagnosticSeverity.Error, "warning": t.DiagnosticSeverity.Warning}
_KIND = {"keyword": t.CompletionItemKind.Keyword, "day": t.CompletionItemKind.Constant,
         "zone": t.CompletionItemKind.Value, "channel": t.CompletionItemKind.EnumMember}


def make_server(limit: int = DEFAULT_LIMIT) -> LanguageServer:
    """The server; a document of more than `limit` bytes (UTF-8) is not analysed."""
    server = LanguageServer("schedc", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Full)

    opened: set[str] = set()  # answers are about what the editor holds, never about files on disk
    oversized: set[str] = set()  # open, but larger than the limit: its text is not kept

    def text_of(uri: str) -> Optional[Text]:
        """The open document, empty when it is not open, None when it is too large to analyse."""
        if uri in oversized:
            return None
        encoding = server.workspace.position_encoding
        source = server.workspace.get_text_document(uri).source if uri in opened else ""
        return Text(source, str(getattr(encoding, "value", encoding)))

    def too_large(uri: str, version: Optional[int] = None) -> None:
        """One SC006 diagnostic for the document, and its text dropped (pygls keeps an empty one,
        so that the next change, whole as every change is, takes its place)."""
        from ..diagnostics import too_large as sc006

        opened.add(uri)
        oversized.add(uri)
        server.workspace.put_text_document(t.TextDocumentItem(uri=uri, language_id="sched", version=version or 0,
                                                              text=""))
        found = [_diagnostic(sc006(None, limit, "document"), Text(""), uri)]
        server.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=found,
                                                                            version=version))

    def publish(uri: str, version: Optional[int]) -> None:
        if uri not in opened:
            return
        source = server.workspace.get_text_document(uri).source
        if len(source) > limit or (len(source) * 4 > limit and len(source.encode("utf-8", "surrogatepass")) > limit):
            too_large(uri, version)
            return
        oversized.discard(uri)
        text = text_of(uri)
        found = [_diagnostic(d, text, uri) for d in features.diagnostics(text)]
        server.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=version))

    server.too_large = too_large  # for `framing`: a document sent in a message over the limit

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: t.DidOpenTextDocumentParams) -> None:
        opened.add(params.text_document.uri)
        publish(params.text_document.uri, params.text_document.version)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: t.DidChangeTextDocumentParams) -> None:
        publish(params.text_document.uri, params.text_document.version)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: t.DidCloseTextDocumentParams) -> None:
        opened.discard(params.text_document.uri)
        oversized.discard(params.text_document.uri)
        server.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(t.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: t.DocumentFormattingParams) -> Optional[list[t.TextEdit]]:
        text = text_of(params.text_document.uri)
        if text is None:
            return None
        result = features.formatted(text)
        if result is None or result == text.source:
            return [] if result is not None else None
        return [t.TextEdit(range=_range(text, 0, len(text.source)), new_text=result)]

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(params: t.HoverParams) -> Optional[t.Hover]:
        text = text_of(params.text_document.uri)
        if text is None:
            return None
        found = features.hover(text, text.offset_at(params.position.line, params.position.character))
        if found is None:
            return None
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=found.markdown),
                       range=_range(text, found.start, found.end))

    @server.feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=[",", "-", " "]))
    def completion(params: t.CompletionParams) -> t.CompletionList:
        text = text_of(params.text_document.uri)
        if text is None:
            return t.CompletionList(is_incomplete=False, items=[])
        offset = text.offset_at(params.position.line, params.position.character)
        items = [t.CompletionItem(label=i.label, kind=_KIND[i.kind], detail=i.detail or None,
                                  text_edit=t.TextEdit(range=_range(text, i.start, i.end), new_text=i.label))
                 for i in features.completions(text, offset)]
        return t.CompletionList(is_incomplete=False, items=items)

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION,
                    t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]))
    def code_action(params: t.CodeActionParams) -> list[t.CodeAction]:
        uri = params.text_document.uri
        text = text_of(uri)
        if text is None:
            return []
        start = text.offset_at(params.range.start.line, params.range.start.character)
        end = text.offset_at(params.range.end.line, params.range.end.character)
        document = features.document_of(text)
        actions = []
        for diagnostic in features.diagnostics(text):
            if diagnostic.span is None:
                continue
            d_start, d_end = text.span(diagnostic.span)
            if d_end < start or d_start > end:
                continue
            found = features.fix(text, diagnostic, document)
            if found is None:
                continue
            edits = [t.TextEdit(range=_range(text, e.start, e.end), new_text=e.text) for e in found.edits]
            actions.append(t.CodeAction(
                title=found.title, kind=t.CodeActionKind.QuickFix, is_preferred=found.preferred,
                diagnostics=[_diagnostic(diagnostic, text, uri)],
                edit=t.WorkspaceEdit(changes={uri: edits})))
        return actions

    return server


def _range(text: Text, start: int, end: int) -> t.Range:
    (line, character), (end_line, end_character) = text.position(start), text.position(end)
    return t.Range(start=t.Position(line=line, character=character),
                   end=t.Position(line=end_line, character=end_character))


def _diagnostic(diagnostic: Diagnostic, text: Text, uri: str) -> t.Diagnostic:
    """A schedc diagnostic as the protocol's: same code, severity and range; help on a line of its
    own. Messages are shortened and escaped as the command line shows them (a quote of 6,000
    digits is its first and last ones, an escape character is `\\x1b`)."""
    from ..report import shown_message

    start, end = text.span(diagnostic.span) if diagnostic.span else (0, 0)
    message = shown_message(diagnostic.message)
    if diagnostic.help:
        message += f"\nhelp: {shown_message(diagnostic.help)}"
    related = [t.DiagnosticRelatedInformation(location=t.Location(uri=uri, range=_range(text, *text.span(label.span))),
                                              message=shown_message(label.message))
               for label in diagnostic.labels] or None
    return t.Diagnostic(range=_range(text, start, end), message=message, severity=_SEVERITY[diagnostic.severity],
                        code=diagnostic.code, source="schedc", related_information=related)


def serve(limit: int = DEFAULT_LIMIT) -> None:
    """Serve on stdin and stdout; a message may hold a document of `limit` bytes written the
    longest way JSON allows (six bytes a character, `\\u0001`), and no more."""
    import sys

    from .framing import HEADERS, run

    server = make_server(limit)
    run(server, sys.stdin.buffer, sys.stdout.buffer, 6 * limit + HEADERS, server.too_large)

"""The protocol side of `schedc lsp`: pygls carries the messages, `features` works out the answers.

The editor sends the whole text on every change (files are a few lines), so the server keeps
no state of its own beyond pygls's copy of each open document, and the configuration files it
has read. Each document gets the settings `schedc check` would use for it: the configuration
file found from the document's folder (or the one named with `schedc lsp --config FILE`, or
none with `--no-config`). The file is looked for, and its modification time compared, on every
answer, so an edit to it takes effect even if the editor says nothing; when the editor does say
(`workspace/didChangeConfiguration`, or `workspace/didChangeWatchedFiles`, which the server asks
to be told about when the editor allows it), every open document is checked again at once.
Problems in the configuration file are published as that file's diagnostics; the valid keys in
it still apply meanwhile. A document larger than
its input limit (`max-input-size`, or `--max-input-size`) gets one diagnostic, SC007, and no
analysis, and its text is not kept. `framing` reads the messages under bounds and answers the
malformed ones.
"""

from __future__ import annotations

import os
from typing import Optional

from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..config import Cache, FILE_NAMES, Settings
from ..diagnostics import Diagnostic
from ..files import DEFAULT_LIMIT
from ..secrets import notice
from . import features, links, views
from .text import Text

_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}
_KIND = {"keyword": types.CompletionItemKind.Keyword, "day": types.CompletionItemKind.Constant,
         "zone": types.CompletionItemKind.Value, "channel": types.CompletionItemKind.EnumMember,
         "region": types.CompletionItemKind.Value}


def make_server(config: Optional[str] = None, no_config: bool = False, given: Optional[dict] = None,
                limit: int = DEFAULT_LIMIT) -> LanguageServer:
    """The server. `given` holds the options given on the command line (over every document's
    configuration); a document of more than its `max-input-size` bytes (UTF-8) is not analysed,
    and one sent in a message too large to read (one bounded by `limit`) neither."""
    server = LanguageServer("schedc", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)

    opened: set[str] = set()  # answers are about what the editor holds, never about files on disk
    oversized: set[str] = set()  # open, but larger than the limit: its text is not kept
    configurations = Cache(config, no_config, given)
    shown: dict[str, tuple] = {}  # configuration file → the problems last published for it
    last_too_large: dict[str, list] = {}  # an oversized document → its SC007

    def text_of(uri: str) -> Optional[Text]:
        """The open document, empty when it is not open, None when it is too large to analyse."""
        if uri in oversized:
            return None
        source = server.workspace.get_text_document(uri).source if uri in opened else ""
        return Text(source, _encoding(server))

    def settings_of(uri: str) -> Settings:
        settings = configurations.settings(_folder(server, uri))
        found = settings.config
        if found.path is not None and shown.get(found.path, ()) != tuple(found.diagnostics):
            shown[found.path] = tuple(found.diagnostics)
            _publish_config_problems(server, found)
        return settings

    def too_large(uri: str, version: Optional[int] = None, limit: int = limit) -> None:
        """One SC007 diagnostic for the document, and its text dropped (pygls keeps an empty one,
        so that the next change, whole as every change is, takes its place)."""
        from ..diagnostics import too_large as sc007

        opened.add(uri)
        oversized.add(uri)
        server.workspace.put_text_document(types.TextDocumentItem(uri=uri, language_id="sched", version=version or 0,
                                                              text=""))
        found = last_too_large[uri] = [_diagnostic(sc007(None, limit, "document"), Text(""), uri)]
        send(uri, found, version)

    def pulls() -> bool:
        """Whether the editor asks for diagnostics itself (`textDocument/diagnostic`): then they
        are only answered, not also pushed, or it would show each twice."""
        capabilities = server.client_capabilities.text_document
        return capabilities is not None and capabilities.diagnostic is not None

    def send(uri: str, found: list[types.Diagnostic], version: Optional[int]) -> None:
        if not pulls():
            server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=found,
                                                                                version=version))

    def publish(uri: str, version: Optional[int]) -> None:
        if uri not in opened:
            return
        settings = settings_of(uri)
        source, most = server.workspace.get_text_document(uri).source, settings["max-input-size"]
        if len(source) > most or (len(source) * 4 > most and len(source.encode("utf-8", "surrogatepass")) > most):
            too_large(uri, version, most)
            return
        oversized.discard(uri)
        if not pulls():
            send(uri, report(uri, settings), version)

    def report(uri: str, settings: Settings) -> list[types.Diagnostic]:
        """The document's diagnostics, as the protocol has them (SC007 alone for one too large)."""
        if uri in oversized:
            return last_too_large.get(uri, [])
        text = text_of(uri)
        notice(text.source)  # a key the text holds is blanked out of every message about it
        found = features.diagnostics(text, settings, _file_of(uri))
        return [_diagnostic(d, text, uri, settings["strict"]) for d in found]

    server.too_large = too_large  # for `framing`: a document sent in a message over the limit
    forget = views.register(server, text_of, settings_of, _range, opened.__contains__)  # tokens, outline, hints, the lens

    def publish_all() -> None:
        configurations.forget()
        for uri in sorted(opened - oversized):  # an oversized document's text is gone: it keeps its diagnostic
            publish(uri, server.workspace.get_text_document(uri).version)
        workspace = server.client_capabilities.workspace
        if pulls() and workspace and workspace.diagnostics and workspace.diagnostics.refresh_support:
            server.workspace_diagnostic_refresh(None)  # the editor asks again for every document

    @server.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        workspace = server.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if not (watched and watched.dynamic_registration) or no_config:
            return
        if configurations.path:
            folder, name = os.path.split(configurations.path)
            watchers = [types.FileSystemWatcher(glob_pattern=types.RelativePattern(base_uri=uris.from_fs_path(folder),
                                                                           pattern=name))]
        else:
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in FILE_NAMES]
        server.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
            id="schedc-configuration", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        publish_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        publish_all()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        opened.add(params.text_document.uri)
        publish(params.text_document.uri, params.text_document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        publish(params.text_document.uri, params.text_document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        opened.discard(params.text_document.uri)
        oversized.discard(params.text_document.uri)
        last_too_large.pop(params.text_document.uri, None)
        forget(params.text_document.uri)
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    def formatted(uri: str) -> tuple[Optional[Text], Optional[str]]:
        """The document and `fmt`'s text for it (None when it is too large, or has errors)."""
        text = text_of(uri)
        return (None, None) if text is None else (text, features.formatted(text, settings_of(uri), _file_of(uri)))

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: types.DocumentFormattingParams) -> Optional[list[types.TextEdit]]:
        text, result = formatted(params.text_document.uri)
        if result is None or result == text.source:
            return [] if result is not None else None
        return [types.TextEdit(range=_range(text, 0, len(text.source)), new_text=result)]

    @server.feature(types.TEXT_DOCUMENT_RANGE_FORMATTING)
    def range_formatting(params: types.DocumentRangeFormattingParams) -> Optional[list[types.TextEdit]]:
        """`fmt`'s changes to the lines of the range (a statement is one line, so none is cut in two)."""
        text, result = formatted(params.text_document.uri)
        if result is None:
            return None
        return [types.TextEdit(range=_range(text, start, end), new_text=new)
                for start, end, new in views.changed_lines(text.source, result, params.range.start.line,
                                                           params.range.end.line)]

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> Optional[types.Hover]:
        text = text_of(params.text_document.uri)
        if text is None:
            return None
        from . import about

        offset = text.offset_at(params.position.line, params.position.character)
        settings = settings_of(params.text_document.uri)
        found = features.hover(text, offset, settings) or about.hover(text, offset, settings)
        if found is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=found.markdown),
                       range=_range(text, found.start, found.end))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[",", "-", " "]))
    def completion(params: types.CompletionParams) -> types.CompletionList:
        text = text_of(params.text_document.uri)
        if text is None:
            return types.CompletionList(is_incomplete=False, items=[])
        from .completion import complete

        offset = text.offset_at(params.position.line, params.position.character)
        items = [types.CompletionItem(label=i.label, kind=_KIND[i.kind], detail=i.detail or None,
                                  documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=shown.documentation)
                                  if shown.documentation else None, sort_text=f"{order:04d}", filter_text=i.label,
                                  text_edit=types.TextEdit(range=_range(text, i.start, i.end), new_text=i.label))
                 for order, shown in enumerate(complete(text, offset)) for i in (shown.item,)]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                    types.DiagnosticOptions(identifier="schedc", inter_file_dependencies=False,
                                        workspace_diagnostics=False))
    def pull_diagnostics(params: types.DocumentDiagnosticParams) -> types.RelatedFullDocumentDiagnosticReport:
        uri = params.text_document.uri
        return types.RelatedFullDocumentDiagnosticReport(items=report(uri, settings_of(uri)) if uri in opened else [])

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, views.FIX_ALL]))
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        text = text_of(uri)
        if text is None:
            return []
        only = params.context.only

        def wanted(kind: str) -> bool:
            return not only or any(kind == k or kind.startswith(k + ".") for k in only)

        actions = []
        if only and wanted(views.FIX_ALL):  # a source action: only when the editor asks for one
            from .fixall import fix_all

            fixed = fix_all(text, settings_of(uri), _file_of(uri))
            if fixed != text.source:
                whole = [types.TextEdit(range=_range(text, 0, len(text.source)), new_text=fixed)]
                actions.append(types.CodeAction(title="Fix all safe problems (schedc)", kind=views.FIX_ALL,
                                            edit=types.WorkspaceEdit(changes={uri: whole})))
        if not wanted(types.CodeActionKind.QuickFix):
            return actions
        start = text.offset_at(params.range.start.line, params.range.start.character)
        end = text.offset_at(params.range.end.line, params.range.end.character)
        document = features.document_of(text)
        settings = settings_of(uri)
        for diagnostic in features.diagnostics(text, settings, _file_of(uri)):
            if diagnostic.span is None:
                continue
            d_start, d_end = text.span(diagnostic.span)
            if d_end < start or d_start > end:
                continue
            found = features.fix(text, diagnostic, document)
            if found is None:
                continue
            edits = [types.TextEdit(range=_range(text, e.start, e.end), new_text=e.text) for e in found.edits]
            actions.append(types.CodeAction(
                title=found.title, kind=types.CodeActionKind.QuickFix, is_preferred=found.preferred,
                diagnostics=[_diagnostic(diagnostic, text, uri, settings["strict"])],
                edit=types.WorkspaceEdit(changes={uri: edits})))
        return actions

    return server


def _range(text: Text, start: int, end: int) -> types.Range:
    (line, character), (end_line, end_character) = text.position(start), text.position(end)
    return types.Range(start=types.Position(line=line, character=character),
                   end=types.Position(line=end_line, character=end_character))


def _encoding(server: LanguageServer) -> str:
    encoding = server.workspace.position_encoding
    return str(getattr(encoding, "value", encoding))


def _file_of(uri: str) -> Optional[str]:
    """The file a document is, for settings that depend on it (`per-file-ignores`); None for an
    unsaved one (`untitled:`), as for stdin."""
    return uris.to_fs_path(uri) if uri.startswith("file:") else None


def _folder(server: LanguageServer, uri: str) -> str:
    """Where the configuration for a document is looked for: its folder; for a document not on
    disk (`untitled:`), the workspace's, else the server's current directory."""
    path = _file_of(uri)
    if path:
        return os.path.dirname(path)
    return server.workspace.root_path or os.getcwd()


def _publish_config_problems(server: LanguageServer, config) -> None:
    """A configuration file's problems as its own diagnostics (none once they are fixed)."""
    text = Text(config.text, _encoding(server))
    uri = uris.from_fs_path(config.path)
    found = [_diagnostic(d, text, uri) for d in config.diagnostics]
    server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=found))
    if found:
        server.window_show_message(types.ShowMessageParams(
            type=types.MessageType.Warning,
            message=f"schedc: the configuration file {config.path} has problems; until they are fixed, "
                    "only its valid keys apply (`schedc check` refuses to run)"))


def _diagnostic(diagnostic: Diagnostic, text: Text, uri: str, strict: bool = False) -> types.Diagnostic:
    """A schedc diagnostic as the protocol's: same code, severity and range; help on a line of its
    own. Messages are shown as the command line shows them: any key blanked out, then shortened
    and escaped (a quote of 6,000 digits is its first and last ones, an escape character is
    `\\x1b`). Under `strict`, where `schedc check` fails on a warning, a warning is shown as an error."""
    from ..report import shown_message

    start, end = text.span(diagnostic.span) if diagnostic.span else (0, 0)
    message = shown_message(diagnostic.message)
    if diagnostic.help:
        message += f"\nhelp: {shown_message(diagnostic.help)}"
    related = [types.DiagnosticRelatedInformation(location=types.Location(uri=uri, range=_range(text, start, end)),
                                              message=shown_message(label))
               for start, end, label in links.elsewhere(text, diagnostic)] or None
    severity = _SEVERITY["error" if strict else diagnostic.severity]
    href = links.href(diagnostic.code)
    return types.Diagnostic(range=_range(text, start, end), message=message, severity=severity,
                        code=diagnostic.code, source="schedc", related_information=related,
                        code_description=types.CodeDescription(href=href) if href else None,
                        tags=[types.DiagnosticTag(tag) for tag in links.tags(diagnostic.code)] or None)


def _one_line_logs() -> None:
    """pygls logs a message it cannot read (and every handler's failure) with the whole traceback,
    forty lines each, on stderr: the editor's log of the server. One line each says as much, and
    a client that never reads stderr cannot fill the pipe as fast. The exception's own text is
    left out: it may quote the document."""
    import logging

    class OneLine(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            error = record.exc_info[1] if record.exc_info else None
            first = record.getMessage().split("\n", 1)[0]  # pygls puts the traceback in the message too
            return f"schedc lsp: {first}" + (f" ({type(error).__name__})" if error else "")

    handler = logging.StreamHandler()  # stderr
    handler.setFormatter(OneLine())
    handler.setLevel(logging.WARNING)
    logger = logging.getLogger("pygls")
    logger.addHandler(handler)
    logger.propagate = False


def serve(config: Optional[str] = None, no_config: bool = False, given: Optional[dict] = None) -> None:
    """Serve on stdin and stdout. A message may hold a document of the input limit in effect
    where the server starts (`--max-input-size`, else the configuration found from the current
    directory) written the longest way JSON allows (six bytes a character, `\\u0001`), and no more."""
    import sys

    from .framing import HEADERS, run

    _one_line_logs()
    limit = Cache(config, no_config, given).settings(os.getcwd())["max-input-size"]
    server = make_server(config, no_config, given, limit)
    run(server, sys.stdin.buffer, sys.stdout.buffer, 6 * limit + HEADERS, server.too_large)

"""The command line, declared once: every command, its operands and options, the kind of value
each takes, its help, and how the command's `--help` ends (examples, exit codes).

Three things are made from this table and from nothing else:
- the argument parser (`build_parser` in this package, for the command that runs only),
- the shell completion scripts (`schedc completion`, completion.py),
- the option tables of the docs (tools/cli_docs.py rewrites them; a test holds them equal).

Adding an option is one `Option(...)` in its command's `options`; the command reads it as
`args.<dest>` (argparse's dest: the first long name, `--end-of-day` → `end_of_day`). An option
that several commands take is one entry, named here and listed in each command. Adding a
command is one `Command(...)` in COMMANDS and a module in schedc/cli/ with its `run(args)`.

Importing this makes about a hundred small objects and imports nothing: no argparse, no
`typing`, no command module (tests/test_layout.py holds it so).
Each command names the module (in schedc/cli/) whose `run(args)` carries it out; that module is
imported only when the command runs.
"""

from __future__ import annotations

# ---- the kinds of value: what an option or operand takes, so what a shell offers for it
FLAG = "flag"            # takes no value
TEXT = "text"            # free text: nothing to complete
FILE = "file"            # any file
SCHED = "sched"          # a .sched file, a directory searched for them, or - for stdin
JSON = "json"            # a .json file, or - for stdin
DIRECTORY = "directory"  # a directory
ZONE = "zone"            # an IANA time zone name
CODES = "codes"          # diagnostic codes or prefixes, comma-separated
CODE = "code"            # one diagnostic code
CHANNEL = "channel"      # a meeting's channel (`zoom`, `phone`, …)
CHOICE = "choice"        # one of the entry's `words`
INTEGER = "integer"      # a whole number, at least `low`
NUMBER = "number"        # a number, at least `low`
RATE = "rate"            # N/UNIT, like 90/min
SIZE = "size"            # a number of bytes, like 2MiB or 512KiB
KINDS = (FLAG, TEXT, FILE, SCHED, JSON, DIRECTORY, ZONE, CODES, CODE, CHANNEL, CHOICE, INTEGER, NUMBER, RATE, SIZE)

UNGIVEN = "ungiven"      # a flag pair's default: None, so that the command tells "neither given" apart

# ---- what the exit codes mean, as `--help` ends
DONE = (0, "done: nothing needs attention")
INPUT = (1, "something in the input needs attention")
TOOL = (2, "schedc could not do its job")
RETRY = (3, "the API kept failing: try again later")
EXITS = (DONE, INPUT, TOOL)


class Option:
    """One option. `names` as typed (`-q`, `--quiet`); `kind` one of KINDS; `metavar` the value's
    name in the help (None: argparse's, or the words of a choice); `help` the line of `--help`;
    `doc` the Markdown of the docs' option table where it says more than `help`.

    `setting` names the configuration key the option overrides: the option then defaults to
    None, so that the configuration file shows through, and `{default}` in its help is that
    key's default. Otherwise an option defaults to `default` (a flag: to the opposite of what it
    stores, or to None with UNGIVEN, for a `--x`/`--no-x` pair whose command decides). `store`
    is what a flag stores (False for a `--no-…` flag); `repeat` collects every use in a list;
    `low` is the least number an INTEGER or NUMBER takes. `action` is "help", "version" or
    "refuse" (an option refused with an error that never repeats its value); `hidden` keeps an
    option out of `--help`, the completion scripts and the docs."""

    __slots__ = ("names", "kind", "metavar", "help", "default", "dest", "words", "low", "store", "repeat",
                 "setting", "action", "hidden", "doc")

    def __init__(self, names, kind, metavar=None, help="", *, default=None, dest=None, words=(), low=None,
                 store=True, repeat=False, setting=None, action=None, hidden=False, doc=None):
        self.names = (names,) if isinstance(names, str) else names
        self.kind, self.metavar, self.help, self.default, self.dest = kind, metavar, help, default, dest
        self.words, self.low, self.store, self.repeat = words, low, store, repeat
        self.setting, self.action, self.hidden, self.doc = setting, action, hidden, doc

    def text(self) -> str:
        """The help line, with the default of its configuration key filled in."""
        if self.setting is None or "{default}" not in self.help:
            return self.help
        from ..config import KEYS

        return self.help.format(default=KEYS[self.setting].default)

    def __repr__(self) -> str:
        return f"Option({'/'.join(self.names)}, {self.kind})"


class Operand:
    """A positional argument: `dest` as the command reads it, `count` None for exactly one, "*"
    for any number, "+" for at least one."""

    __slots__ = ("dest", "metavar", "kind", "count", "help", "words")

    def __init__(self, dest, metavar, kind, count=None, help=None, *, words=()):
        self.dest, self.metavar, self.kind, self.count, self.help, self.words = dest, metavar, kind, count, help, words

    def __repr__(self) -> str:
        return f"Operand({self.metavar}, {self.kind})"


class Command:
    """One command: its name, its line in `schedc --help`, the paragraph of its own `--help`,
    the examples and exit codes that end it, and the module whose `run(args)` carries it out."""

    __slots__ = ("name", "summary", "description", "module", "operands", "options", "examples", "exits")

    def __init__(self, name, summary, description, *, module, operands=(), options=(), examples=(), exits=()):
        self.name, self.summary, self.description, self.module = name, summary, description, module
        self.operands, self.options, self.examples, self.exits = operands, options, examples, exits

    def __repr__(self) -> str:
        return f"Command({self.name})"


# ---- options every command takes, before or after its name (`schedc -v check` = `schedc check -v`)
HELP = Option(("-h", "--help"), FLAG, help="show this help message and exit", action="help",
              doc="Show the options and exit.")
COMMON = (
    Option(("-v", "--verbose"), FLAG, help="show a traceback on internal errors",
           doc="Show a Python traceback if schedc itself fails (see [Exit codes](#exit-codes))."),
    Option(("--color", "--colour"), CHOICE, words=("auto", "always", "never"), default="auto",
           help="colour diagnostics: auto (on a terminal, unless NO_COLOR is set), always, never",
           doc="`auto` (default), `always` or `never`; see [Colour](#colour)."),
    Option("--config", FILE, "FILE", help="read settings from FILE instead of the schedc.toml or pyproject.toml "
                                          "found walking up from the folder holding the PATHs",
           doc="Read the settings from FILE instead of the `schedc.toml` or `pyproject.toml` found walking up "
               "from the folder holding the PATHs (see [configuration.md](configuration.md))."),
    Option("--no-config", FLAG, help="read no configuration file",
           doc="Read no configuration file: every setting is the command line's or the default."),
    Option("--max-input-size", SIZE, "SIZE", setting="max-input-size",
           help="the most any one input may hold, like 2MiB (the default) or 512KiB: a file, stdin, a document in "
                "the editor; the state, the journal and a saved plan may hold 16 times as much",
           doc="The most one input may hold, like `2MiB` (the default) or `512KiB`; every command takes it. A "
               "file over it is [SC007](diagnostics.md#sc007--the-input-is-larger-than-the-limit) and exit status 2, "
               "the other files still checked (see [configuration.md](configuration.md#keys))."),
)
VERSION = Option("--version", FLAG, help="show the version, and that of the time zone data, and exit",
                 action="version")
PROGRAM = "Compile .sched schedules into meetergo `POST /v4/user` requests."

# ---- options and operands several commands share
PATHS = Operand("paths", "PATH", SCHED, "+", "files, or directories searched for *.sched")
FILES_OR_STDIN = "a .sched file, a directory (every *.sched below it, hidden ones skipped), or - for stdin"
STDIN_FILENAME = Option("--stdin-filename", FILE, "NAME", "the name to show for - (stdin); the configuration, and "
                        "its per-file-ignores, apply as to a file of that name",
                        doc="The file name to show in diagnostics for `-`; the configuration file is found from "
                            "its folder, and `per-file-ignores` match it, as for a file of that name.")
EXCLUDE = Option("--exclude", TEXT, "GLOB", repeat=True, setting="exclude",
                 help="skip files matching GLOB when searching directories (replaces the configuration's)",
                 doc="Skip files matching GLOB when searching directories (may be given more than once; "
                     "replaces the configuration's `exclude`). A file named on the command line is always read.")
END_OF_DAY = Option("--end-of-day", CHOICE, words=("23:59", "24:00"), setting="end-of-day",
                    help="write midnight at the end of a day as 23:59 (default) or 24:00",
                    doc="How to write midnight at the end of a day: `23:59` (default) or `24:00`. See "
                        "[Midnight](language.md#midnight-2359-or-2400).")
# the code options: which warnings to report (`check`, `compile`, `submit`, `explain`)
CODE_OPTIONS = (
    Option("--select", CODES, "CODES", repeat=True, setting="select",
           help="report only these warnings: codes or prefixes, comma-separated (errors always show)",
           doc="Report only the warnings with these codes (comma-separated; a prefix such as `SC12` names every "
               "code that starts so). Errors are always reported."),
    Option("--ignore", CODES, "CODES", repeat=True, setting="ignore",
           help="never report these warnings: codes or prefixes, comma-separated",
           doc="Never report the warnings with these codes. An error cannot be ignored."),
)
JSON_LINES = Option("--json", FLAG, help="print one JSON object per file on stdout")
# every command that reads settings can show them instead of running
SHOW_SETTINGS = Option("--show-settings", FLAG,
                       help="print the settings in effect for the paths given, and where each comes from, then stop",
                       doc="Print the settings in effect for the paths given, as TOML, each with where it comes from "
                           "(the command line, the configuration file's line, or the default), and stop.")
# where to send and with which key (`submit`, `plan`, `apply`, `doctor`); a key on the command
# line lands in shell history and in `ps` output, so `--api-key` is refused, never echoed
KEY_OPTIONS = (
    Option("--base-url", TEXT, "URL", "the API (default: MEETERGO_BASE_URL, else https://api.meetergo.com)"),
    Option("--api-key-file", FILE, "PATH", "read the key from this file instead of MEETERGO_API_KEY"),
    Option("--api-key", TEXT, action="refuse", hidden=True),
)
# the deadline of one attempt, and how many attempts with what backoff
RETRY_OPTIONS = (
    Option("--timeout", NUMBER, "SECONDS", "the deadline for one attempt, answer included (default 30)",
           low=0.001, default=30.0),
    Option("--attempts", INTEGER, "N", "attempts per request for 429, 5xx and network errors (default 5)",
           low=1, default=5),
    Option("--backoff", NUMBER, "SECONDS", "the longest first wait between attempts; it doubles each time, "
                                           "up to 30 s (default 0.5)", low=0, default=0.5),
)


def concurrency(what: str) -> Option:
    """`--concurrency`, with `what` naming one unit of work in the help ("requests", "users")."""
    return Option("--concurrency", INTEGER, "N", f"{what} worked on at once (default {{default}})", low=1,
                  setting="concurrency")


# the options of every command that sends users to the API (`submit`, `plan`, `apply`), after its
# `concurrency`: pacing, retries, the deadline per attempt, and what fills a file's gaps
API_OPTIONS = (
    Option("--rate", RATE, "N/UNIT", "pace requests at this rate, like 90/min or 2/s (default {default})",
           setting="rate"),
    Option("--burst", INTEGER, "N", "requests that may go at once before pacing starts (default {default})",
           low=1, setting="burst"),
    *RETRY_OPTIONS,
    Option("--timezone", ZONE, "Z", "the user's IANA time zone where a file gives none", setting="timezone"),
    END_OF_DAY,
    Option("--exclude", TEXT, "GLOB", repeat=True, setting="exclude",
           help="skip files and directories matching GLOB when searching directories (replaces the "
                "configuration's)"),
)
# the options `plan` and `apply` both take, before their own
PLAN_OPTIONS = (
    JSON_LINES,
    Option(("-q", "--quiet"), FLAG, help="no summary"),
    Option("--state", FILE, "PATH", "the state file (default: `state` in the configuration, else {default} "
                                    "beside the configuration file, else in the current directory)",
           setting="state"),
    Option("--journal", FILE, "PATH",
           "a submit journal whose created users are taken over (default: `journal` in the configuration, else "
           "{default} beside the configuration file, else in the current directory)", setting="journal"),
    *KEY_OPTIONS,
    concurrency("users"),
    *API_OPTIONS,
    *CODE_OPTIONS,
    SHOW_SETTINGS,
)


# ---- the commands, in the order `schedc --help` lists them
COMMANDS = (
    Command(
        "check", "check .sched files and report problems",
        "Check .sched files, directories (searched for *.sched) or - for stdin.",
        module="check",
        operands=(Operand("paths", "PATH", SCHED, "*", FILES_OR_STDIN),),
        options=(
            Option(("-q", "--quiet"), FLAG, help="print diagnostics only, no summary",
                   doc="Print the diagnostics only, without the summary line."),
            Option("--strict", FLAG, setting="strict", help="treat warnings as errors (exit 1)",
                   doc="Treat warnings as errors: exit with status 1 when there is any diagnostic."),
            Option("--no-strict", FLAG, dest="strict", store=False, setting="strict",
                   help="do not treat warnings as errors, whatever the configuration says",
                   doc="Do not, even when the configuration says `strict = true`."),
            Option("--end-of-day", CHOICE, words=("23:59", "24:00"), setting="end-of-day",
                   help="how midnight at the end of a day will be written (default 23:59)",
                   doc="Check as `schedc compile` would with this option: how midnight at the end of a day will "
                       "be written (default `23:59`). Only [SC201](diagnostics.md#sc201--range-empty-once-midnight"
                       "-is-written-as-2359) depends on it."),
            Option("--fix", FLAG, help="apply the safe fixes (those the editor offers), write the files, and report "
                                       "what is left",
                   doc="Apply the safe fixes first: the quick fixes the [language server](editors.md) offers, such as "
                       "a misspelt zone, day or channel with one clear suggestion, a legacy zone alias, `Tue-Tue`, "
                       "`9:5` or two touching ranges of one rule. Each changed file is written whole (as `fmt` "
                       "writes), `fixed FILE: …` says what was fixed, and what is left is reported and decides the "
                       "exit code. For `-`, the fixed text goes to standard output."),
            Option("--unsafe-fixes", FLAG, help="with --fix, also apply the fixes that change what a file means "
                                                "(two overlapping ranges merged)",
                   doc="Also apply the fixes that change what the file means, such as merging two overlapping "
                       "ranges ([SC102](diagnostics.md#sc102--overlapping-ranges-on-the-same-day)); implies "
                       "`--fix`. Never by default."),
            Option("--diff", FLAG, help="print the fixes as a unified diff instead of writing them; exit 1 if a file "
                                        "would change",
                   doc="Print the fixes `--fix` would make as a unified diff on standard output, and write nothing; "
                       "exit 1 if any file would change."),
            Option("--exit-zero", FLAG, help="exit 0 even when problems are found (2 still means schedc could not run)",
                   doc="Exit with status 0 even when problems are found; status 2 (schedc could not do its job) is "
                       "kept."),
            Option("--statistics", FLAG, help="print how many diagnostics each code has, instead of each diagnostic",
                   doc="Instead of each diagnostic, print one line per code on standard output: how many there are, "
                       "the code, `[*]` when `--fix` would fix them all, and its title; most frequent first. With "
                       "`--format json`, a JSON array of `{code, count, title, fixable}`."),
            *CODE_OPTIONS,
            EXCLUDE,
            STDIN_FILENAME,
            Option("--format", CHOICE, words=("text", "json", "github"), default="text",
                   help="text for people (stderr, the default); json or github annotations (stdout)",
                   doc="`text` (the default) draws diagnostics for people on standard error; `json` prints one "
                       "JSON array of diagnostics and `github` one workflow annotation per diagnostic, both on "
                       "standard output for tools (see [pre-commit.md](pre-commit.md))."),
            SHOW_SETTINGS,
        ),
        examples=("schedc check team/", "schedc check --strict --format github team/", "schedc check --fix team/",
                  "schedc check --statistics --exit-zero team/",
                  "cat ana.sched | schedc check --stdin-filename ana.sched -"),
        exits=EXITS),
    Command(
        "compile", "compile one .sched file to the request JSON",
        "Compile one .sched file (or - for stdin) into the JSON body of POST /v4/user. Flags fill what the "
        "file leaves out; a flag that contradicts the file is an error.",
        module="compile",
        operands=(Operand("file", "FILE", SCHED, None, "the .sched file, or - for stdin"),),
        options=(
            Option(("-o", "--output"), FILE, "OUT",
                   "write the JSON to OUT instead of stdout (a regular file is replaced whole, never left "
                   "half-written)",
                   doc="Write the JSON to the file OUT instead of standard output (`-o -` means standard output). "
                       "See [Writing a file](#writing-a-file)."),
            Option("--email", TEXT, "E", "the user's e-mail address, where the file gives none",
                   doc="The user's e-mail address, when the file has no `user` statement."),
            Option("--given-name", TEXT, "G", "the user's given name, where the file gives none",
                   doc="The user's given name, when the file does not give one."),
            Option("--family-name", TEXT, "F", "the user's family name, where the file gives none",
                   doc="The user's family name, when the file does not give one."),
            Option("--timezone", ZONE, "Z", "the user's IANA time zone, like Europe/London, where the file gives none",
                   setting="timezone",
                   doc="The user's IANA time zone, when the file gives none on a `user` statement. It is also the "
                       "availability's zone when the file has no other `tz`."),
            END_OF_DAY,
            *CODE_OPTIONS,
            STDIN_FILENAME,
            SHOW_SETTINGS,
        ),
        examples=("schedc compile team/ana.sched > ana.json",
                  "schedc compile office.sched --email ana@example.com --given-name Ana --family-name Lima "
                  "-o ana.json"),
        exits=EXITS),
    Command(
        "fmt", "rewrite .sched files in the canonical layout",
        "Rewrite .sched files (directories are searched for *.sched) in the canonical layout, keeping every "
        "comment. - formats stdin to stdout. Each file keeps its line endings (CRLF or LF) and any byte-order "
        "mark. A file with errors, or one the formatter cannot prove unchanged in meaning, is left alone.",
        module="fmt",
        operands=(Operand("paths", "PATH", SCHED, "+", FILES_OR_STDIN),),
        options=(
            Option(("-q", "--quiet"), FLAG, help="no `reformatted` lines and no summary"),
            Option("--check", FLAG, help="write nothing; exit 1 if a file would change"),
            Option("--diff", FLAG, help="write nothing; print a unified diff of the changes"),
            Option("--end-of-day", CHOICE, words=("23:59", "24:00"), setting="end-of-day",
                   help="how midnight at the end of a day will be written, as for `compile` (default 23:59)"),
            Option("--errors", CHOICE, words=("full", "brief"), default="full",
                   help="for a file with errors: print its diagnostics (full, the default), or one line saying it "
                        "was left alone (brief, for a hook that runs next to `schedc check`)"),
            EXCLUDE,
            STDIN_FILENAME,
            SHOW_SETTINGS,
        ),
        examples=("schedc fmt team/", "schedc fmt --check --diff team/",
                  "schedc fmt --errors=brief --end-of-day 24:00 late-shift.sched"),
        exits=EXITS),
    Command(
        "import", "turn a POST /v4/user JSON body into .sched text",
        "Read a POST /v4/user JSON body (FILE.json or - for stdin) and print the .sched text that compiles back "
        "to it.",
        module="import_",
        operands=(Operand("file", "FILE.json", JSON, None, "the JSON body, or - for stdin"),),
        options=(
            Option("--end-of-day", CHOICE, words=("23:59", "24:00"), setting="end-of-day",
                   help="how the imported file will be compiled: with 24:00, a day that ends at `24:00` needs no "
                        "warning (default 23:59)"),
            *CODE_OPTIONS,
            STDIN_FILENAME,
            SHOW_SETTINGS,
        ),
        examples=("schedc import ana.json > team/ana.sched", "curl -s … | schedc import - > ana.sched"),
        exits=EXITS),
    Command(
        "submit", "create users on meetergo from .sched files",
        "Compile and check every file, then create one user per file with POST /v4/user. The key comes from "
        "MEETERGO_API_KEY or --api-key-file, never from the command line.",
        module="submit",
        operands=(PATHS,),
        options=(
            Option(("-q", "--quiet"), FLAG, help="leave out the lines of users skipped because they exist already "
                                                 "(a resumed batch shows only what happened)"),
            *KEY_OPTIONS,
            Option("--if-exists", CHOICE, words=("error", "skip"), default="error",
                   help="a user whose e-mail exists already (409) is an error (default) or skipped"),
            Option("--keep-going", FLAG, help="send the files that compile even when others have errors"),
            Option("--dry-run", FLAG, help="print the requests instead of sending them"),
            JSON_LINES,
            Option("--journal", FILE, "PATH", "the journal of outcomes (default {default} in the current "
                                              "directory, or `journal` in the configuration)", setting="journal"),
            Option("--no-journal", FLAG, help="keep no journal (a re-run sends everything again)"),
            concurrency("requests"),
            *API_OPTIONS,
            *CODE_OPTIONS,
            SHOW_SETTINGS,
        ),
        examples=("schedc submit --dry-run team/", "MEETERGO_API_KEY=… schedc submit team/",
                  "schedc submit --if-exists skip --json team/ > outcomes.jsonl"),
        exits=EXITS + (RETRY,)),
    Command(
        "sandbox", "run a local stand-in for the meetergo user API",
        "Serve a local imitation of POST /v4/user (and of the GET and PATCH calls that plan and apply make) on "
        "127.0.0.1, to rehearse scripts. Prints its URL on the first line of stdout.",
        module="sandbox",
        options=(
            # the shared -v does more here: this command's help says so
            Option(("-v", "--verbose"), FLAG, help="log each request line on stderr (never a header, so never a "
                                                   "key), and show a traceback on internal errors"),
            Option(("-q", "--quiet"), FLAG, help="do not print the line that says where it serves on stderr"),
            Option("--port", INTEGER, "N", "the port (default 8765; 0 picks a free one)", low=0, default=8765),
            Option("--rate", RATE, "N/UNIT", "answer 429 past this rate per key (default 100/min, as documented)",
                   default="100/min"),
            Option("--burst", INTEGER, "N", "requests a key may send at once (default 200, as documented)", low=1,
                   default=200),
            Option("--retry-after", FLAG, help="send a Retry-After header with 429"),
            Option("--strict", FLAG, help="accept only what the API reference documents: a field schedc sends on "
                                          "an assumption gets 400, an endpoint it assumes exists gets 404"),
        ),
        examples=("schedc sandbox --port 0", "schedc sandbox --strict", "schedc submit --base-url http://127.0.0.1:8765 team/"),
        exits=((0, "stopped with Ctrl-C"), (2, "could not listen on the port"))),
    Command(
        "plan", "show what apply would change on meetergo",
        "Compile and check every file, then show per user what `schedc apply` would do: create it, update it "
        "(and what changes), or nothing. Sends no request unless --refresh.",
        module="plan",
        operands=(PATHS,),
        options=(
            Option("--refresh", FLAG, help="read each managed user, availability and meeting type from the server, "
                                           "to notice changes made there (drift); needs a key"),
            *PLAN_OPTIONS,
            Option("--detailed-exitcode", FLAG, help="exit 4 when there are changes to apply (0 when there are none)"),
            Option(("-o", "--out"), FILE, "PLANFILE",
                   "also save the plan to PLANFILE, for `schedc apply PLANFILE` (only when every file compiled)"),
        ),
        examples=("schedc plan team/", "schedc plan --refresh --detailed-exitcode team/",
                  "schedc plan --json team/ > plan.jsonl", "schedc plan --refresh -o team.plan team/"),
        exits=EXITS + (RETRY, (4, "with --detailed-exitcode: there are changes to apply"))),
    Command(
        "apply", "create and update users on meetergo to match their files",
        "Carry out the plan: POST /v4/user for new users, and for existing ones a PATCH of only the parts that "
        "differ from what the server has (read first, unless --no-refresh compares with the state alone). The "
        "state file records what was done. Given PATHs, it shows the plan first and, on a terminal, "
        "asks before sending (`yes` goes on); without a terminal it needs --auto-approve. Given a PLANFILE saved by "
        "`schedc plan -o`, it applies exactly that plan, and refuses (exit 2, nothing sent) when a file, the state "
        "or the server changed since.",
        module="apply",
        operands=(Operand("paths", "PATH", SCHED, "+", "files, or directories searched for *.sched; or one PLANFILE"),),
        options=(
            Option("--refresh", FLAG, default=UNGIVEN,
                   help="read each managed user, availability and meeting type from the server first and compare "
                        "with that, so that changes made there are undone (the default; three GET requests a user)"),
            Option("--no-refresh", FLAG, dest="refresh", store=False, default=UNGIVEN,
                   help="compare with the state alone, without reading the server (changes made there since the "
                        "last apply stay)"),
            *PLAN_OPTIONS,
            Option("--auto-approve", FLAG, help="apply without asking (needed without a terminal, as in CI)"),
            Option("--if-exists", CHOICE, words=("error", "skip", "adopt"), default="error",
                   help="a new user whose e-mail exists already (409): an error (default), skipped, or adopted: "
                        "found with GET /v4/user, recorded and updated to match the file"),
            Option("--keep-going", FLAG, help="apply the files that compile even when others have errors"),
        ),
        examples=("MEETERGO_API_KEY=… schedc apply team/", "schedc apply --auto-approve team/",
                  "schedc plan -o team.plan team/ && schedc apply team.plan",
                  "schedc apply --if-exists adopt team/"),
        exits=EXITS + (RETRY,)),
    Command(
        "show", "print a plan saved by `schedc plan -o`",
        "Print a plan saved with `schedc plan -o PLANFILE` as `schedc plan` printed it (one JSON object per user "
        "with --json), and, on stderr, what it was made from. Sends nothing and needs no key.",
        module="show",
        operands=(Operand("planfile", "PLANFILE", FILE, None, "a plan saved by `schedc plan -o`"),),
        options=(Option("--json", FLAG, help="print one JSON object per user on stdout, as `plan --json` does"),
                 SHOW_SETTINGS),
        examples=("schedc show team.plan", "schedc show --json team.plan"),
        exits=((0, "the plan was shown"), (2, "the file cannot be read or is not a saved plan"))),
    Command(
        "doctor", "check an API key against the API, changing nothing",
        "Check the base URL, the key's kind, that the API accepts the key (GET /v4/user/me) and that it may list "
        "the company's users (GET /v4/user), then list what schedc assumes about the API where its reference is "
        "silent. Sends only GET requests; never prints the key.",
        module="doctor",
        options=(*KEY_OPTIONS, *RETRY_OPTIONS, SHOW_SETTINGS),
        examples=("MEETERGO_API_KEY=… schedc doctor", "schedc doctor --api-key-file ~/.config/meetergo.key",
                  "schedc doctor --base-url http://127.0.0.1:8765"),
        exits=((0, "every check passed"), (1, "a check failed: the base URL, the key's kind, or the server's answer"),
               (2, "doctor could not run: no key, an unreadable key file, the API did not answer"))),
    Command(
        "lsp", "run the language server for editors (needs schedc[lsp])",
        "Speak the Language Server Protocol on stdin and stdout: diagnostics as you type, formatting, hover, "
        "completion and quick fixes for .sched files. Editors start it; see docs/editors.md. Each document gets "
        "the settings `schedc check` would use: the configuration found from its folder, or FILE with --config, or "
        "none with --no-config. Needs the optional extra: pip install 'schedc[lsp]'.",
        module="lsp",
        options=(Option("--stdio", FLAG, help="accepted for editors that pass it; stdio is the only transport"),),
        examples=("schedc lsp   (started by an editor, not by hand)",),
        exits=((0, "the editor asked the server to exit"), (2, "the lsp extra is not installed, or --config names no file"))),
    Command(
        "rule", "explain a diagnostic code",
        "Print the documentation of diagnostic codes (what, why, an example, the fix), or list every code with "
        "--all.",
        module="rule",
        operands=(Operand("codes", "CODE", CODE, "*", "a code such as SC102"),),
        options=(Option("--all", FLAG, help="list every code with its severity and title"),),
        examples=("schedc rule SC102", "schedc rule --all"),
        exits=EXITS),
    Command(
        "completion", "print a shell completion script",
        "Print a completion script for bash, zsh or fish on stdout. Install it with `source <(schedc completion "
        "bash)` in ~/.bashrc, `schedc completion zsh > \"${fpath[1]}/_schedc\"`, or `schedc completion fish > "
        "~/.config/fish/completions/schedc.fish`.",
        module="completion",
        operands=(Operand("shell", None, CHOICE, None, "the shell to complete in", words=("bash", "zsh", "fish")),),
        examples=("source <(schedc completion bash)",
                  "schedc completion fish > ~/.config/fish/completions/schedc.fish"),
        exits=EXITS),
    Command(
        "explain", "show the week of a .sched file, or a team's coverage",
        "Show one .sched file's week as a grid (Monday first, a row per day), or, for several files or a "
        "directory, how many people are bookable when and the hours nobody covers.",
        module="explain",
        operands=(Operand("paths", "PATH", SCHED, "+", "a .sched file, a directory (every *.sched below it) or - "
                                                        "for stdin; several show a team"),),
        options=(
            Option("--in", ZONE, "ZONE", "show the week as seen from this IANA zone, with each day's real offsets",
                   dest="in_zone"),
            Option("--week", TEXT, "YYYY-MM-DD",
                   "show the week (Monday to Sunday) that contains this date (default: this week)"),
            Option("--json", FLAG, help="print the week's concrete intervals as JSON"),
            Option("--svg", FILE, "OUT.svg", "also write the week as an SVG chart (- for stdout)"),
            Option("--strict", FLAG, setting="strict", help="exit 1 when a file has warnings"),
            Option("--no-strict", FLAG, dest="strict", store=False, setting="strict",
                   help="do not exit 1 for warnings, whatever the configuration says"),
            Option("--end-of-day", CHOICE, words=("23:59", "24:00"), setting="end-of-day",
                   help="midnight as compile sends it, for the minutes and meetings counted: 23:59 (default) or "
                        "24:00"),
            *CODE_OPTIONS,
            EXCLUDE,
            Option("--stdin-filename", FILE, "NAME",
                   "the file name to show for - (stdin): in diagnostics, the title and the JSON; the "
                   "configuration, and its per-file-ignores, apply as to a file of that name"),
            SHOW_SETTINGS,
        ),
        examples=("schedc explain ana.sched", "schedc explain ana.sched --in America/New_York --week 2026-10-28",
                  "schedc explain team/ --svg team.svg", "schedc explain --json ana.sched",
                  "cat ana.sched | schedc explain --stdin-filename ana.sched -"),
        exits=EXITS),
)


def command(name: str):
    """The command called `name`, or None."""
    return next((c for c in COMMANDS if c.name == name), None)


def common_of(command: Command) -> tuple:
    """The common options as `command` takes them after its name: those it restates with more to
    say (sandbox's `-v`) are left out here and listed among its own."""
    own = {name for option in command.options for name in option.names}
    return tuple(option for option in COMMON if own.isdisjoint(option.names))


def epilog(command: Command) -> str:
    """The end of a command's `--help`: its examples, then what its exit codes mean."""
    parts = []
    if command.examples:
        parts.append("\n".join(["examples:", *(f"  {example}" for example in command.examples)]))
    if command.exits:
        parts.append("\n".join(["exit codes:", *(f"  {code}  {meaning}" for code, meaning in command.exits)]))
    return "\n\n".join(parts)


__all__ = ["API_OPTIONS", "KEY_OPTIONS", "RETRY_OPTIONS", "SHOW_SETTINGS", "CHANNEL", "CHOICE", "CODE", "CODES", "CODE_OPTIONS", "COMMANDS", "COMMON", "Command",
           "DIRECTORY", "FILE", "FLAG", "HELP", "INTEGER", "JSON", "KINDS", "NUMBER", "Operand", "Option",
           "PLAN_OPTIONS", "PROGRAM", "RATE", "SCHED", "SIZE", "TEXT", "VERSION", "ZONE", "command", "common_of", "concurrency", "epilog"]

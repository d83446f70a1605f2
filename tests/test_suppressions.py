"""`# schedc: ignore[…]` and `# schedc: ignore-file[…]`, and `--select`/`--ignore`: exact
diagnostics through the command, errors that cannot be silenced, and no crash on any text."""

from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from conftest import run_schedc

HEAD = "user Ana Lima <ana@example.com> tz Europe/Lisbon\n"


def check(tmp_path, text: str, *options: str):
    (tmp_path / "a.sched").write_text(text, encoding="utf-8")
    done = run_schedc("check", "--format", "json", "-q", *options, "a.sched", cwd=tmp_path)
    return done.returncode, [(d["code"], d["severity"], d["line"], d["column"]) for d in json.loads(done.stdout)]


def test_a_line_suppression_silences_its_code_on_its_line_only(tmp_path):
    text = HEAD + "Mon 09:00-12:00, 12:00-13:00  # schedc: ignore[SC120]\nTue 09:00-12:00, 12:00-13:00\n"
    assert check(tmp_path, text) == (0, [("SC120", "warning", 3, 18)])
    assert check(tmp_path, text, "--strict") == (1, [("SC120", "warning", 3, 18)])


def test_several_codes_and_lower_case(tmp_path):
    text = HEAD + "Mon-Mon 09:00-12:00, 12:00-13:00  # schedc: ignore[sc120, SC125]\n"
    assert check(tmp_path, text) == (0, [])


def test_a_file_suppression_silences_its_code_everywhere(tmp_path):
    text = ("# team file\n# schedc: ignore-file[SC120]\n\n" + HEAD
            + "Mon 09:00-12:00, 12:00-13:00\nTue 09:00-12:00, 12:00-13:00\nWed-Wed 09:00-10:00\n")
    assert check(tmp_path, text) == (0, [("SC125", "warning", 7, 1)])


def test_unused_unknown_and_malformed_suppressions_are_warnings(tmp_path):
    text = (HEAD + "Mon 09:00-17:00  # schedc: ignore[SC120]\n"
            "Tue 09:00-12:00, 12:00-13:00  # schedc: ignore[SC12O]\n"
            "Wed 09:00-17:00  # schedc: ignore\n"
            "Thu 09:00-17:00  # schedc: ignore[]\n"
            "# schedc: ignore-file[SC123]\n")
    assert check(tmp_path, text) == (0, [
        ("SC140", "warning", 2, 35),
        ("SC120", "warning", 3, 18), ("SC141", "warning", 3, 48),
        ("SC143", "warning", 4, 18),
        ("SC143", "warning", 5, 18),
        ("SC144", "warning", 6, 1)])
    (tmp_path / "a.sched").write_text(text)
    done = run_schedc("check", "a.sched", cwd=tmp_path)
    assert ("a.sched:3:48: warning[SC141]: `SC12O` is not a diagnostic code\n  |\n"
            "3 | Tue 09:00-12:00, 12:00-13:00  # schedc: ignore[SC12O]\n"
            "  |                                                ^^^^^\n  |\nhelp: did you mean `SC120`?\n") in done.stderr
    assert ("a.sched:2:35: warning[SC140]: unused suppression: no `SC120` on this line\n") in done.stderr
    # the suppressions' own warnings can be ignored like any other
    assert check(tmp_path, text, "--ignore", "SC14") == (0, [("SC120", "warning", 3, 18)])


def test_an_unused_file_suppression(tmp_path):
    text = "# schedc: ignore-file[SC123, SC120]\n" + HEAD + "Mon 09:00-12:00, 12:00-13:00\n"
    (tmp_path / "a.sched").write_text(text)
    done = run_schedc("check", "a.sched", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stderr == ("a.sched:1:23: warning[SC140]: unused suppression: no `SC123` in this file\n  |\n"
                           "1 | # schedc: ignore-file[SC123, SC120]\n  |                       ^^^^^\n  |\n"
                           "help: remove it: the warning it was for is gone\n\n1 file checked: 0 errors, 1 warning\n")


def test_errors_cannot_be_silenced(tmp_path):
    text = "# schedc: ignore-file[SC107]\n" + HEAD.replace("Europe/Lisbon", "Europe/Lisbn") + \
        "Mon 09:00-12:00, 11:00-13:00  # schedc: ignore[SC102]\n"
    code, found = check(tmp_path, text)
    assert code == 1
    assert found == [("SC142", "warning", 1, 23), ("SC107", "error", 2, 36), ("SC102", "error", 3, 18),
                     ("SC142", "warning", 3, 48)]
    # nor with --ignore, --select, or the configuration
    assert run_schedc("check", "--ignore", "SC102", "a.sched", cwd=tmp_path).returncode == 2
    code, found = check(tmp_path, text, "--select", "SC120")
    assert code == 1 and found == [("SC107", "error", 2, 36), ("SC102", "error", 3, 18)]
    code, found = check(tmp_path, text, "--ignore", "SC1")  # a prefix: every warning, never an error
    assert code == 1 and found == [("SC107", "error", 2, 36), ("SC102", "error", 3, 18)]


def test_a_hash_inside_a_quoted_name_is_no_comment(tmp_path):
    text = HEAD + 'availability "Room # schedc: ignore[SC120]"\nMon 09:00-12:00, 12:00-13:00\n'
    assert check(tmp_path, text) == (0, [("SC120", "warning", 3, 18)])


def test_after_a_syntax_error_no_suppression_counts_as_unused(tmp_path):
    text = HEAD + "Mon 09:00-17:00  # schedc: ignore[SC120]\nMon 9-\n"
    assert check(tmp_path, text) == (1, [("SC001", "error", 3, 5)])


def test_select_and_ignore_on_the_command_line(tmp_path):
    text = HEAD + "Mon 09:00-12:00, 12:00-13:00\nTue-Tue 09:00-10:00\n"
    assert check(tmp_path, text) == (0, [("SC120", "warning", 2, 18), ("SC125", "warning", 3, 1)])
    assert check(tmp_path, text, "--select", "SC125") == (0, [("SC125", "warning", 3, 1)])
    assert check(tmp_path, text, "--ignore", "SC125") == (0, [("SC120", "warning", 2, 18)])
    assert check(tmp_path, text, "--select", "SC12", "--ignore", "SC120") == (0, [("SC125", "warning", 3, 1)])
    assert check(tmp_path, text, "--ignore", "SC120,SC125", "--strict") == (0, [])


def test_suppressions_apply_to_compile_and_its_warnings(tmp_path):
    (tmp_path / "a.sched").write_text(HEAD + "Mon 09:00-12:00, 12:00-13:00  # schedc: ignore[SC120]\n")
    done = run_schedc("compile", "a.sched", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == ""
    (tmp_path / "a.sched").write_text(HEAD + "Mon 09:00-12:00, 12:00-13:00\n")
    assert run_schedc("compile", "--ignore", "SC120", "a.sched", cwd=tmp_path).stderr == ""
    assert "warning[SC120]" in run_schedc("compile", "a.sched", cwd=tmp_path).stderr


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.text(max_size=30),
    st.sampled_from(["# schedc: ignore[SC120]", "# schedc: ignore-file[SC125, x]", "# schedc: ignore[",
                     '"# schedc: ignore[SC120]"', "Mon 09:00-12:00, 12:00-13:00", "Tue-Tue 09:00-10:00",
                     "#schedc:ignore[]", "# schedc: ignore-file", "\\\"#"])), max_size=8))
def test_any_text_gives_diagnostics_never_an_exception(lines):
    import schedc
    from schedc.compiler.suppressions import apply

    text = "\n".join(lines)
    found = schedc.check(text, "x.sched")
    for select, ignore in (((), ()), (("SC12",), ()), ((), ("SC14",))):
        kept = apply(found, text, select=select, ignore=ignore, path="x.sched")
        assert all(d in kept for d in found if d.is_error)  # errors always stay
        for d in kept:
            assert d.path == "x.sched"
            assert d.span is None or 1 <= d.line <= text.count("\n") + 1


def test_the_language_server_applies_suppressions_too():
    from schedc.lsp.features import diagnostics
    from schedc.lsp.text import Text

    found = diagnostics(Text(HEAD + "Mon 09:00-12:00, 12:00-13:00  # schedc: ignore[SC120]\n"
                                    "Tue 09:00-17:00  # schedc: ignore[SC120]\n"))
    assert [(d.code, d.line, d.column) for d in found] == [("SC140", 3, 35)]

"""The generated stand-alone parser: written once per grammar, equal to lark's own, self-healing."""

from __future__ import annotations

import os

from conftest import ROOT, run_schedc

BAD = ROOT / "examples" / "invalid"
ALL = [str(p.relative_to(ROOT)) for p in sorted(ROOT.glob("examples/**/*.sched"))]


def test_first_run_writes_the_parser_and_later_runs_reuse_it(tmp_path):
    env = {"SCHEDC_CACHE_DIR": str(tmp_path)}
    first = run_schedc("check", "-q", *ALL, env=env)
    written = sorted(p.name for p in tmp_path.glob("parser_*.py"))
    assert len(written) == 1
    stamp = (tmp_path / written[0]).stat().st_mtime_ns
    second = run_schedc("check", "-q", *ALL, env=env)
    assert (tmp_path / written[0]).stat().st_mtime_ns == stamp
    assert (first.returncode, first.stderr) == (second.returncode, second.stderr)


def test_generated_parser_and_lark_itself_report_the_same(tmp_path):
    cached = run_schedc("check", "-q", *ALL, env={"SCHEDC_CACHE_DIR": str(tmp_path)})
    direct = run_schedc("check", "-q", *ALL, env={"SCHEDC_NO_CACHE": "1"})
    assert cached.returncode == direct.returncode == 1
    assert cached.stderr == direct.stderr
    assert "error[SC003]" in direct.stderr


def test_a_damaged_cache_file_is_generated_again(tmp_path):
    env = {"SCHEDC_CACHE_DIR": str(tmp_path)}
    run_schedc("check", "-q", ALL[0], env=env)
    [generated] = tmp_path.glob("parser_*.py")
    generated.write_text("raise RuntimeError('damaged')\n")
    done = run_schedc("check", "-q", "examples/invalid/syntax-open-range.sched", env=env)
    assert done.returncode == 1 and "error[SC003]" in done.stderr
    assert "damaged" not in generated.read_text()


def test_an_unwritable_cache_falls_back_to_lark(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    done = run_schedc("check", "-q", "examples/invalid/overlap.sched", env={"SCHEDC_CACHE_DIR": str(blocker / "sub")})
    assert done.returncode == 1 and done.stderr.startswith("examples/invalid/overlap.sched:2:22: error[SC102]")
    assert not os.path.isdir(blocker)


def test_a_cache_file_others_could_change_is_not_run(tmp_path):
    env = {"SCHEDC_CACHE_DIR": str(tmp_path)}
    run_schedc("check", "-q", ALL[0], env=env)
    [generated] = tmp_path.glob("parser_*.py")
    generated.write_text("raise SystemExit('planted code ran')\n")
    generated.chmod(0o666)
    done = run_schedc("check", "-q", "examples/invalid/overlap.sched", env=env)
    assert done.returncode == 1 and "planted" not in done.stderr
    assert done.stderr.startswith("examples/invalid/overlap.sched:2:22: error[SC102]")
    assert "planted" not in generated.read_text()

"""The README's tour shows real output: run what it runs and compare."""

from __future__ import annotations

import re

from conftest import ROOT, run_schedc

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_tour_check_output_is_what_schedc_prints(tmp_path):
    tour = re.search(r"\$ echo '(.*?)' > office\.sched\n\$ schedc check office\.sched\n(.*?)```", README, re.S)
    assert tour, "the tour block is missing from the README"
    (tmp_path / "office.sched").write_text(tour[1] + "\n")
    done = run_schedc("check", "office.sched", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.replace("\n\n", "\n") == tour[2].replace("\n\n", "\n")


def test_the_first_two_commands_are_the_install_and_test_commands():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert blocks[0].endswith("schedc compile examples/seed/custom.sched")
    assert "pip install -e '.[test]'" in blocks[1] and blocks[1].endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci.splitlines()  # CI runs exactly the README's test command


def test_python_api_example_runs_and_prints_what_its_comments_say():
    import subprocess
    import sys

    code = re.search(r"## Python API\n\n```python\n(.*?)```", README, re.S)[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "examples", capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('{\n  "email": "john.smith@example.com",')
    assert done.stdout.endswith("SC102 2 22 `11:00-17:00` overlaps `09:00-12:00` on Mon-Fri\n")

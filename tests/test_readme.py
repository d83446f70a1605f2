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
    assert f'TEST_COMMAND="{blocks[1]}"' in ci.splitlines()  # CI runs exactly the README's test command


def test_ci_runs_the_suite_on_every_python_the_package_declares():
    """`requires-python` and the classifiers promise 3.10 to 3.13; CI runs the suite on each."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    declared = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', pyproject)
    assert declared == ["3.10", "3.11", "3.12", "3.13"]
    assert re.search(r'^requires-python = ">=(3\.\d+)"$', pyproject, re.M)[1] == declared[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^VERSIONS=\((.*)\)$", ci, re.M)[1].split() == declared


def test_python_api_example_runs_and_prints_what_its_comments_say():
    import subprocess
    import sys

    code = re.search(r"## Python API\n\n```python\n(.*?)```", README, re.S)[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "examples", capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('{\n  "email": "john.smith@example.com",')
    assert done.stdout.endswith("SC102 2 22 `11:00-17:00` overlaps `09:00-12:00` on Mon-Fri\n")

"""The package's public functions stay functions, whatever ran before."""

from __future__ import annotations

import subprocess
import sys


def test_schedc_parse_is_still_the_function_after_check_ran():
    # In a fresh interpreter, after the first check() has loaded every stage of the compiler.
    code = ("import schedc; schedc.check('Mon 09:00-10:00'); "
            "print(type(schedc.parse('Mon 09:00-10:00')).__name__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Document\n"

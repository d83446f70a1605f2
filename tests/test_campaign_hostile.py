"""The hostile-server campaign (`bench/hostile_server.py`): a short run through its command line,
and proof that its judge notices each thing it is there to find."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

sys.path.append(str(ROOT / "bench"))  # the campaign reads its judge from submit_faults beside it
import hostile_server as campaign  # noqa: E402


def test_a_short_hostile_campaign_holds_every_property(tmp_path):
    done = subprocess.run([sys.executable, "bench/hostile_server.py", "--quick", "--json", "--work",
                           str(tmp_path / "campaign")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    result = json.loads(done.stdout)
    failed = {name: check["detail"] for name, check in result["checks"].items() if not check["ok"]}
    assert failed == {}, failed
    assert done.returncode == 0
    assert set(result["checks"]) == {"key in no output", "nothing raw on a terminal", "no crash",
                                     "within the rate limit", "the deadline", "damaged states refused"}
    figures = result["figures"]
    assert figures["hostile"]["hostile runs"] == 2 * len(campaign.QUICK)
    assert figures["rate"]["requests"] > 0 and figures["damaged"]["verdicts"] == {"refused as damaged": 8}


def _judged(tmp_path, outputs: dict[str, str], exit_code: int = 1, seconds: float = 1.0, **rate) -> dict:
    """The judge's verdicts on runs whose stderr is each of `outputs` (no campaign is run)."""
    args = campaign.options(["--work", str(tmp_path)])  # the full campaign's limits: 100 a minute
    judge = campaign.Campaign(args)
    for n, (name, text) in enumerate(outputs.items()):
        path = tmp_path / f"{n}.txt"
        path.write_text(text, encoding="utf-8")
        judge.runs.append({"run": n + 1, "label": name, "exit": exit_code, "killed": False, "seconds": 1.0,
                           "stdout": path, "stderr": path})
    figures = {"rate": {"sent beyond the pace": 0, "arrivals beyond the limit": 0, "refused by the limiter": 0,
                        "busiest minute": 10, "rate runs": 1, "killed": 0, "requests": 10, **rate},
               "drip": {"timeout": 1.0, "attempts": 2, "seconds": {"apply team": seconds}},
               "damaged": {"damaged states": 1, "verdicts": {"refused as damaged": 2}}}
    return {name: check["ok"] for name, check in judge.judge(figures)["checks"].items()}


def test_the_judge_notices_a_fragment_of_the_key_a_raw_escape_a_crash_and_a_slow_run(tmp_path):
    clean = _judged(tmp_path / "a", {"fine": "rejected  a@example.com  HTTP 400: Bearer <redacted>\n"})
    assert all(clean.values()), clean
    fragment = campaign.SECRET[3:9]
    assert _judged(tmp_path / "b", {"leak": f"… {fragment} …\n"})["key in no output"] is False
    assert _judged(tmp_path / "c", {"raw": "bad \x1b]0;pwned\x07\n"})["nothing raw on a terminal"] is False
    assert _judged(tmp_path / "d", {"crash": "schedc: internal error: TypeError\n"})["no crash"] is False
    assert _judged(tmp_path / "e", {"odd exit": ""}, exit_code=-9)["no crash"] is False
    assert _judged(tmp_path / "f", {"slow": ""}, seconds=60.0)["the deadline"] is False
    assert _judged(tmp_path / "g", {"fast": ""}, **{"busiest minute": 200})["within the rate limit"] is False


def test_every_damaged_state_the_campaign_makes_is_refused_by_the_state_reader(tmp_path):
    import random

    from schedc.sync.state import State, StateError

    rng = random.Random(5)
    for n in range(40):
        path = tmp_path / f"{n}.json"
        path.write_text(campaign.damage(rng, n), encoding="utf-8")
        try:
            State(str(path)).load()
        except StateError as exc:
            assert " is damaged: " in str(exc) or "is not valid JSON" in str(exc)
        else:
            raise AssertionError(f"damaged state {n} was read: {path.read_text()[:200]}")

"""deepeval suite: goldens per skill (EN + UR), scored by deterministic metrics.

Run: `deepeval test run evals/` (see evals/README.md). The environment must already carry
DEEPEVAL_TELEMETRY_OPT_OUT=1 and DEEPEVAL_DISABLE_DOTENV=1 (deepeval's plugin loads before this
file); `offline.apply()` sets them too as a fallback and blocks outbound sockets.
"""

from __future__ import annotations

import pytest

from evals import offline

offline.apply()

from evals import harness, report  # noqa: E402  (after the offline guard on purpose)

_VERDICT: list[report.Verdict] = []


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not harness.COLLECTOR.results:
        return
    verdict = report.finish(harness.COLLECTOR)
    _VERDICT.append(verdict)
    if verdict.regressions and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for verdict in _VERDICT:
        terminalreporter.section("evals: scores per skill and language")
        terminalreporter.write_line(verdict.text)

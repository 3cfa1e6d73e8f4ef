"""What the operator is told about the calendar: by the CLI `sunshine-calendar-check`, in the log at start."""

from __future__ import annotations

import json
import logging
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import MetaData
from sunshine_kit.audit import audit_tables
from sunshine_kit.calendar_coverage import coverage
from sunshine_kit.inbox import inbox_table
from sunshine_kit.outbox import outbox_table
from sunshine_kit.runtime import ServiceRuntime
from sunshine_kit.settings import StackSettings
from sunshine_kit.working_days import WorkingDayCalendar

ILLUSTRATIVE_2027 = {"2027": {"holidays": ["2027-01-01"], "working_weekends": []}}  # test data, not official


def check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sunshine-calendar-check", *args], capture_output=True, text=True, env=env, check=False)


def test_coverage_names_the_source_of_this_year_and_next_and_warns_from_october() -> None:
    report = coverage(WorkingDayCalendar(), date(2026, 10, 1))
    assert [(y.year, y.source, y.official) for y in report.years] == [
        (2026, "chinesecalendar", True),
        (2027, "provisional", False),
    ]
    [warning] = report.warnings
    assert "2027 年的放假安排尚未配置" in warning and "does not officially cover 2027" in warning
    assert coverage(WorkingDayCalendar(), date(2026, 9, 30)).warnings == ()


def test_the_cli_exits_1_with_the_warning_and_0_once_the_year_is_in_the_file(tmp_path: Path) -> None:
    warned = check("--today", "2026-11-15")
    assert warned.returncode == 1
    assert "2027: provisional" in warned.stdout and "WARNING: 2027 年的放假安排尚未配置" in warned.stdout

    override = tmp_path / "calendar.json"
    override.write_text(json.dumps(ILLUSTRATIVE_2027))
    covered = check("--today", "2026-11-15", "--override-file", str(override), "--json")
    assert covered.returncode == 0, covered.stdout
    report = json.loads(covered.stdout)
    assert (report["override_file"], report["years"][1]["source"], report["warnings"]) == (
        str(override),
        "override file",
        [],
    )


def test_the_cli_exits_2_naming_a_malformed_file(tmp_path: Path) -> None:
    override = tmp_path / "calendar.json"
    override.write_text('{"2027": {"holidays": ["2027-02-30"], "working_weekends": []}}')
    result = check("--override-file", str(override))
    assert result.returncode == 2
    assert str(override) in result.stderr and "2027.holidays[0]" in result.stderr


async def test_a_service_logs_the_warning_at_start(tmp_path: Path, caplog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sunshine_kit.runtime.utc_now", lambda: datetime(2026, 12, 1, 1, tzinfo=UTC))
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "dev")
    monkeypatch.setenv("SUNSHINE_AUTH_DEV_KEY_FILE", str(tmp_path / "dev.pem"))
    metadata = MetaData()
    outbox_table(metadata), inbox_table(metadata), audit_tables(metadata)
    settings = StackSettings(data_dir=tmp_path, migrate_on_start=False, disclosure_grpc_addr="127.0.0.1:0")
    runtime = ServiceRuntime("disclosure", settings, metadata, tmp_path)
    caplog.set_level(logging.WARNING, "sunshine_kit.runtime")
    await runtime.start()
    await runtime.stop()
    assert any("2027 年的放假安排尚未配置" in record.getMessage() for record in caplog.records)

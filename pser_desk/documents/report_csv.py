"""The report as CSV: sections separated by a blank line, each with its own header row.

Sections: ``report`` (key, value), ``operators`` (one row per operator and a TOTAL row),
``by_hour`` (hour, registrations), ``queue`` (key, value) and ``not_acknowledged``
(receipt_no, state). Times are RFC 3339 UTC, as everywhere in machine-readable output.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from pser_desk.documents.report_model import COUNT_FIELDS, ReportData


def _utc(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rows(data: ReportData) -> list[list[object]]:
    q = data.queue
    rows: list[list[object]] = [
        ["section", "key", "value"],
        ["report", "centre_code", data.centre_code],
        ["report", "centre_name", data.centre_name],
        ["report", "start", data.start.isoformat()],
        ["report", "end", data.end.isoformat()],
        ["report", "generated_at", _utc(data.generated_at)],
        [],
        ["section", "operator_id", *COUNT_FIELDS],
    ]
    for line in (*data.operators, data.totals):
        rows.append(["operators", line.operator_id, *(getattr(line, f) for f in COUNT_FIELDS)])
    rows += [[], ["section", "hour", "registrations"]]
    rows += [["by_hour", f"{hour:02d}", n] for hour, n in enumerate(data.by_hour)]
    rows += [[], ["section", "key", "value"],
             ["queue", "unsent", q.unsent],
             ["queue", "oldest_unsent_at", _utc(q.oldest_unsent_at)],
             ["queue", "last_sync_at", _utc(q.last_sync_at)],
             ["queue", "queued_in_period", data.queued_total],
             ["queue", "acknowledged_in_period", data.acknowledged_total],
             ["queue", "verified_in_period", data.verified],
             ["queue", "rejected_in_period", data.rejected],
             [], ["section", "receipt_no", "state"]]  # fmt: skip
    rows += [["not_acknowledged", p.receipt_no, p.state] for p in data.not_acknowledged]
    rows += [["rejected", p.receipt_no, p.state] for p in data.rejected_lines]
    return rows


def render_report_csv(data: ReportData) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel on Windows opens it as UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(_rows(data))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

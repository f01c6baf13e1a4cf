"""A writer process for the kill test: saves drafts as fast as it can, reporting each.

``python -m tests.integration.store.kill_writer DATA_DIR OPERATOR_ID START``: after each
save returns (committed), prints ``<counter> <submission_id>`` and flushes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pser_desk.store import RecordService, Store
from tests.plugins.store import AcceptAllValidator, sample_record


def main(data_dir: str, operator_id: str, start: int) -> None:
    store = Store.open(data_dir=Path(data_dir))
    records = RecordService(store, validator=AcceptAllValidator())
    counter = start
    while True:
        record = {**sample_record(counter), "answers": {"counter": counter, "pad": "x" * 3000}}
        sid = records.save_draft(record, operator_id=operator_id)
        sys.stdout.write(f"{counter} {sid}\n")
        sys.stdout.flush()
        counter += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))

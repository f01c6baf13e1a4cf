"""Several PCs (each its own engine) saving at the same moment: receipts stay unique."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from pser_desk.domain.receipt import parse_receipt
from pser_desk.store import Store, audit_log
from tests.plugins.store import StoreKit, make_kit, sample_record

PCS = 4
RECORDS_EACH = 8


def test_receipts_unique_and_gapless_with_several_writers(kit: StoreKit, store_url: str) -> None:
    kit.add_operator(kit.add_manager())
    kit.enrol()
    barrier = threading.Barrier(PCS)

    def one_pc(pc: int) -> list[str]:
        store = Store.open(store_url)
        try:
            pc_kit = make_kit(store)
            barrier.wait(timeout=30)
            return [
                pc_kit.records.queue(sample_record(pc * 100 + n), operator_id="op1").receipt_no
                for n in range(RECORDS_EACH)
            ]
        finally:
            store.close()

    with ThreadPoolExecutor(PCS) as pool:
        results = list(pool.map(one_pc, range(PCS)))
    receipts = [r for batch in results for r in batch]
    assert len(set(receipts)) == PCS * RECORDS_EACH
    assert sorted(parse_receipt(r).sequence for r in receipts) == list(
        range(1, PCS * RECORDS_EACH + 1)
    )
    with kit.store.read() as session:
        assert audit_log.verify(session).ok


def test_claims_never_overlap_between_pcs(kit: StoreKit, store_url: str) -> None:
    kit.add_operator(kit.add_manager())
    kit.enrol()
    for n in range(20):
        kit.records.queue(sample_record(n), operator_id="op1")
    barrier = threading.Barrier(PCS)

    def claimer(_: int) -> list[str]:
        store = Store.open(store_url)
        try:
            outbox = make_kit(store).outbox
            barrier.wait(timeout=30)
            claimed: list[str] = []
            while batch := outbox.claim_due(2):
                claimed += [item.submission_id for item in batch]
            return claimed
        finally:
            store.close()

    with ThreadPoolExecutor(PCS) as pool:
        claimed = [sid for batch in pool.map(claimer, range(PCS)) for sid in batch]
    assert len(claimed) == 20
    assert len(set(claimed)) == 20

"""``--faults ... on=ENDPOINTS``: which endpoints a spec reaches, and the old syntax unchanged."""

from __future__ import annotations

import pytest

from pser_desk.central.faults import (
    ENDPOINTS,
    Fault,
    FaultInjector,
    FaultSpecError,
    parse_fault_specs,
    parse_faults,
)


def test_a_spec_without_on_reaches_submissions_only() -> None:
    spec = parse_faults("p503=0.2,drop=0.1,seed=7")
    assert spec.endpoints == frozenset({"submit"})
    assert parse_faults(None).endpoints == frozenset({"submit"})


def test_on_names_endpoints_joined_by_plus_or_all() -> None:
    assert parse_faults("p503=1,on=heartbeat+status_batch").endpoints == {
        "heartbeat",
        "status_batch",
    }
    assert parse_faults("on=all,garbage=0.5").endpoints == frozenset(ENDPOINTS)
    assert {"submit", "status", "status_batch", "heartbeat", "updates"} <= set(ENDPOINTS)


@pytest.mark.parametrize("text", ["p503=1,on=", "p503=1,on=heartbeats", "p503=1,on=all+submit"])
def test_unknown_endpoints_are_refused(text: str) -> None:
    with pytest.raises(FaultSpecError, match="on="):
        parse_faults(text)


def test_several_specs_may_not_share_an_endpoint() -> None:
    specs = parse_fault_specs(["p503=0.5", "drop=0.5,on=heartbeat+updates"])
    assert [spec.endpoints for spec in specs] == [{"submit"}, {"heartbeat", "updates"}]
    with pytest.raises(FaultSpecError, match="heartbeat"):
        parse_fault_specs(["p503=0.5,on=heartbeat", "drop=0.5,on=heartbeat"])
    assert parse_fault_specs(None) == []


def test_truncate_is_a_fault_with_its_own_band() -> None:
    injector = FaultInjector(parse_faults("truncate=0.25,p503=0.25,seed=4"))
    for _ in range(4000):
        injector.draw()
    assert 850 < injector.counts[Fault.TRUNCATE] < 1150
    assert 850 < injector.counts[Fault.P503] < 1150


def test_a_seeded_old_spec_draws_what_it_drew_before_truncate_existed() -> None:
    """New faults take the last band: an old seeded spec replays the same faults."""
    spec = parse_faults(
        "p503=0.2,p500=0.05,p429=0.1,drop=0.1,drop_after_commit=0.1,slow=0.05,garbage=0.05,seed=7"
    )
    injector = FaultInjector(spec)
    # what main drew before on=/truncate existed (computed with its faults.py)
    assert [injector.draw() for _ in range(12)] == [
        Fault.P429, Fault.P503, Fault.NONE, Fault.P503, Fault.DROP_AFTER_COMMIT, Fault.DROP,
        Fault.P503, Fault.DROP_AFTER_COMMIT, Fault.P503, Fault.DROP, Fault.P503, Fault.P503,
    ]  # fmt: skip

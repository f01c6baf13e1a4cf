"""The reference central's --faults grammar and its seeded draws."""

from __future__ import annotations

import pytest

from pser_desk.central.faults import Fault, FaultInjector, FaultSpecError, parse_faults


def test_fault_spec_of_the_issue() -> None:
    spec = parse_faults(
        "p503=0.2,p500=0.05,p429=0.1,retry_after=2,drop=0.1,drop_after_commit=0.1,slow=0.05,slow_s=5,garbage=0.05,seed=7"
    )
    assert spec.probabilities[Fault.P503] == 0.2
    assert (spec.retry_after, spec.slow_s, spec.seed) == (2, 5.0, 7)
    draws = [FaultInjector(spec).draw() for _ in range(3)]
    assert draws == [FaultInjector(spec).draw() for _ in range(3)]  # seeded: reproducible


def test_fault_rates_follow_the_spec() -> None:
    injector = FaultInjector(parse_faults("p503=0.2,drop=0.1,seed=1"))
    for _ in range(10_000):
        injector.draw()
    assert 1800 < injector.counts[Fault.P503] < 2200
    assert 850 < injector.counts[Fault.DROP] < 1150
    assert parse_faults("").active is False


@pytest.mark.parametrize(
    "spec", ["p503", "p503=x", "p999=0.1", "p503=1.5", "p503=0.6,p500=0.6", "slow_s=-1"]
)
def test_bad_fault_specs(spec: str) -> None:
    with pytest.raises(FaultSpecError):
        parse_faults(spec)

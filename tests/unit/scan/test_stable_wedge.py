"""The stable-read rule and the keyboard-wedge burst detector (both pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pser_desk.scan.stable import StableReadFilter
from pser_desk.scan.wedge import WedgeDetector, is_scanner_burst

A, B = "3520212345671", "3520212345673"


def test_three_agreeing_frames_make_a_stable_read() -> None:
    f = StableReadFilter(min_agree=3, window_s=1.0)
    assert f.observe(0.0, A) is None
    assert f.observe(0.07, None) is None
    assert f.observe(0.13, A) is None
    stable = f.observe(0.2, A)
    assert stable is not None
    assert stable.cnic == A
    assert stable.at == 0.2
    assert stable.votes == 3
    assert f.observe(0.3, B) is stable  # keeps its answer until reset
    f.reset()
    assert f.stable is None


def test_reads_older_than_the_window_do_not_count() -> None:
    f = StableReadFilter(min_agree=3, window_s=1.0)
    f.observe(0.0, A)
    f.observe(0.5, A)
    assert f.observe(1.6, A) is None


def test_a_misread_in_the_window_needs_a_majority() -> None:
    f = StableReadFilter(min_agree=2, window_s=1.0)
    f.observe(0.0, A)
    f.observe(0.1, B)
    f.observe(0.2, B)
    assert f.stable is not None
    assert f.stable.cnic == B
    g = StableReadFilter(min_agree=2, window_s=1.0)
    for t, c in [(0.0, A), (0.1, B), (0.2, A)]:
        g.observe(t, c)
    assert g.stable is not None
    assert g.stable.cnic == A


def test_self_consistent_payload_is_stable_at_once() -> None:
    stable = StableReadFilter().observe(1.0, A, self_consistent=True)
    assert stable is not None
    assert stable.self_consistent


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="min_agree"):
        StableReadFilter(min_agree=0)


def feed(detector: WedgeDetector, text: str, start: float, gap: float) -> list[object]:
    out = [detector.feed(ch, start + i * gap) for i, ch in enumerate(text)]
    out.append(detector.feed("Enter", start + len(text) * gap))
    return out


def test_scanner_burst_is_detected_and_holds_the_cnic() -> None:
    detector = WedgeDetector()
    results = feed(detector, "35202-1234567-1", 10.0, 0.008)
    burst = results[-1]
    assert burst is not None
    assert burst.cnic == A
    assert burst.duration_s == pytest.approx(15 * 0.008)  # type: ignore[attr-defined]
    assert all(r is None for r in results[:-1])


def test_person_typing_is_not_a_burst() -> None:
    detector = WedgeDetector()
    assert feed(detector, "3520212345671", 0.0, 0.12)[-1] is None


def test_a_pause_starts_a_new_run_and_modifiers_are_ignored() -> None:
    detector = WedgeDetector()
    detector.feed("x", 0.0)
    detector.feed("Shift", 5.0)
    assert detector.pending == 0
    assert feed(detector, "3520212345671", 5.01, 0.005)[-1] is not None


def test_short_burst_is_not_a_scan() -> None:
    assert feed(WedgeDetector(), "1234", 0.0, 0.005)[-1] is None


def test_one_slow_key_in_a_burst_breaks_it() -> None:
    times = [i * 0.01 for i in range(12)]
    times[6:] = [t + 0.3 for t in times[6:]]
    assert not is_scanner_burst(times)


@given(st.lists(st.floats(min_value=0.09, max_value=1.0), min_size=8, max_size=40))
def test_human_gaps_are_never_a_burst(gaps: list[float]) -> None:
    times = [0.0]
    for gap in gaps:
        times.append(times[-1] + gap)
    assert not is_scanner_burst(times)


@given(st.lists(st.floats(min_value=0.001, max_value=0.03), min_size=8, max_size=60))
def test_scanner_gaps_are_always_a_burst(gaps: list[float]) -> None:
    times = [0.0]
    for gap in gaps:
        times.append(times[-1] + gap)
    assert is_scanner_burst(times)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["3", "5", "-", "a", "Enter", "Shift", "\r", "ۓ"]), st.floats(0, 0.5)
        ),
        max_size=80,
    )
)
def test_fuzz_wedge_never_raises(keys: list[tuple[str, float]]) -> None:
    detector, t = WedgeDetector(), 0.0
    for key, gap in keys:
        t += gap
        burst = detector.feed(key, t)
        assert burst is None or burst.duration_s >= 0

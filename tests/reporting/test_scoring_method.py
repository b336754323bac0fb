"""The versioned parameters of phr-v1: default weights, the bounds a tenant admin may tune them
within, and the frozen thresholds."""

import dataclasses

import pytest

from reporting.method import (
    D7_CONSTRUCTS,
    DEFAULT_THRESHOLDS,
    DEFAULT_WEIGHTS,
    METHOD_VERSION,
    SURVEY_CONSTRUCTS,
    WEIGHT_BOUNDS,
    validate_weights,
)

from . import D


def test_the_method_version_and_default_weights():
    assert METHOD_VERSION == "phr-v1"
    assert DEFAULT_WEIGHTS == {
        "D1": D(25),
        "D2": D(15),
        "D3": D(20),
        "D4": D(10),
        "D5": D(10),
        "D6": D(5),
        "D7": D(15),
    }
    assert sum(DEFAULT_WEIGHTS.values()) == 100


def test_weights_may_move_half_way_either_side_and_never_reach_zero():
    assert WEIGHT_BOUNDS["D1"] == (D("12.5"), D("37.5"))
    assert WEIGHT_BOUNDS["D3"] == (D(10), D(30))
    assert WEIGHT_BOUNDS["D6"] == (D("2.5"), D("7.5"))
    assert all(low > 0 for low, _high in WEIGHT_BOUNDS.values())


def test_validate_weights_fills_in_the_defaults():
    assert validate_weights(None) == DEFAULT_WEIGHTS
    assert validate_weights({"D7": "7.5", "D1": 30}) == dict(DEFAULT_WEIGHTS) | {"D7": D("7.5"), "D1": D(30)}


@pytest.mark.parametrize(("dimension", "value"), [("D1", "12.5"), ("D1", "37.5"), ("D6", "2.5"), ("D6", "7.5")])
def test_the_bounds_are_inclusive(dimension, value):
    assert validate_weights({dimension: D(value)})[dimension] == D(value)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"D1": D(0)}, "The weight of D1 must be between 12.5 and 37.5 (got 0)."),
        ({"D3": D("9.9")}, "The weight of D3 must be between 10 and 30 (got 9.9)."),
        ({"D7": D("22.6")}, "The weight of D7 must be between 7.5 and 22.5 (got 22.6)."),
        ({"D8": D(5)}, "Unknown dimension 'D8': weights exist for D1, D2, D3, D4, D5, D6, D7."),
        ({"D2": "banyak"}, "The weight of D2 must be a number (got 'banyak')."),
        ({"D2": None}, "The weight of D2 must be a number (got None)."),
        ({"D2": True}, "The weight of D2 must be a number (got True)."),
        ({"D2": "NaN"}, "The weight of D2 must be a finite number (got 'NaN')."),
        ({"D2": float("inf")}, "The weight of D2 must be a finite number (got inf)."),
    ],
)
def test_invalid_weights_are_refused_with_a_clear_message(weights, message):
    with pytest.raises(ValueError) as caught:
        validate_weights(weights)
    assert str(caught.value) == message


def test_thresholds_are_frozen_and_hold_the_method_numbers():
    assert (DEFAULT_THRESHOLDS.healthy_min, DEFAULT_THRESHOLDS.watch_min) == (75, 50)
    assert (DEFAULT_THRESHOLDS.healthy_reentry, DEFAULT_THRESHOLDS.watch_reentry) == (78, 53)
    assert DEFAULT_THRESHOLDS.min_confidence == D("0.5")
    assert (DEFAULT_THRESHOLDS.trend_drop, DEFAULT_THRESHOLDS.trend_declines) == (10, 3)
    assert (DEFAULT_THRESHOLDS.stale_after_periods, DEFAULT_THRESHOLDS.report_grace_days) == (2, 7)
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_THRESHOLDS.healthy_min = D(70)


def test_the_thirteen_survey_items_map_onto_seven_constructs():
    items = [item for group in SURVEY_CONSTRUCTS.values() for item in group]
    assert items == [f"q{n}" for n in range(1, 14)]
    assert D7_CONSTRUCTS == ("S1", "S2", "S4", "S6", "S7")

"""Replay codes: every spec round-trips, a changed or malformed code is refused, a replay is the same run."""

from __future__ import annotations

import itertools

import pytest

from bot.errors import InvalidRequest
from bot.training.custom_data import parse_points
from bot.training.replay import replay_code, spec_of_replay
from bot.training.spec import ACTIVATIONS, DATASETS, OPTIMIZERS, allowed_losses, make_spec
from bot.training.worker.tasks import train


def test_every_kind_of_spec_round_trips() -> None:
    specs = [
        make_spec(
            dataset, optimizer, activation=activation, loss=loss, hidden=hidden, lr=lr, epochs=e, seed=s
        )
        for dataset, optimizer, activation in itertools.product(DATASETS, OPTIMIZERS, ACTIVATIONS)
        for loss in allowed_losses(dataset)
        for hidden, lr, e, s in [("8", None, 1000, 0), ("", 1e-05, 1, 2**31 - 1), ("64,4,2,1", 10.0, 5000, 7)]
    ]
    for spec in specs:
        code = replay_code(spec)
        assert len(code) <= 45
        assert spec_of_replay(code) == spec
        assert spec_of_replay(f"  `{code.upper()}` ") == spec  # pasted with its backticks, shouted


def test_a_replayed_run_has_exactly_the_same_final_loss() -> None:
    first = train(make_spec("moons", "rmsprop", epochs=150, seed=3).to_dict())
    again = train(spec_of_replay(first.replay).to_dict())
    assert again.result.final_loss == first.result.final_loss
    assert again.result.train_losses == first.result.train_losses
    assert again.replay == first.replay


def _changed(code: str) -> list[str]:
    """Every one-character change of `code` to another character a code can hold, and cut versions."""
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz_.-"
    edits = [code[:i] + c + code[i + 1 :] for i in range(len(code)) for c in alphabet if c != code[i]]
    return [*edits, code[:-1], code[1:], code + "a", code.replace("_", "", 1)]


def test_a_changed_or_cut_code_is_refused_never_guessed() -> None:
    code = replay_code(make_spec(epochs=200))
    accepted = []
    for bad in _changed(code):
        try:
            accepted.append(spec_of_replay(bad))
        except InvalidRequest as err:
            assert err.code == "bad_replay_code"
    # a 4-character checksum lets about one edit in a million through; none of these
    assert accepted == []


@pytest.mark.parametrize(
    "text", ["", "hello", "train xor", "0" * 200, "01123_8_0.05_200_0", "91123_8_0.05_200_0_aaaa"]
)
def test_malformed_codes_are_refused_in_both_languages(text: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        spec_of_replay(text)
    assert caught.value.code == "bad_replay_code"
    assert "replay code" in caught.value.message("en")
    assert "replay code" in caught.value.message("hi") and "नहीं" in caught.value.message("hi")


def test_a_checked_code_with_fields_no_run_can_have_is_refused() -> None:
    from bot.training.replay import _checksum

    body = "01123_8_0.05_9999_0"  # 9,999 epochs: past the limit, though the checksum fits
    with pytest.raises(InvalidRequest) as caught:
        spec_of_replay(f"{body}_{_checksum(body)}")
    assert caught.value.code == "bad_replay_code"


def test_a_run_on_own_points_has_no_replay_code() -> None:
    spec = make_spec(data=parse_points("0 0 0; 1 1 0; 0 1 1; 1 0 1"))
    with pytest.raises(InvalidRequest) as caught:
        replay_code(spec)
    assert caught.value.code == "no_replay_own_data"

"""The short codes buttons carry for a run and for one setting compared: they give back the same spec."""

from __future__ import annotations

import pytest

from bot.core.training import MAX_BUTTON_CODE, attachment_data, decode_run, encode_setting_spec, encode_spec
from bot.errors import InvalidRequest
from bot.training.custom_data import parse_points
from bot.training.spec import make_spec, make_vary_spec


@pytest.mark.parametrize(
    "spec",
    [
        make_vary_spec("activation", ["relu", "tanh", "sigmoid", "leaky_relu"], dataset="moons"),
        make_vary_spec("hidden", [[2], [4, 4], [8, 8, 8]], dataset="circles", optimizer="sgd", seed=9),
        make_vary_spec("lr", [0.001234567, 0.1, 1.0], optimizer="momentum", epochs=300),
    ],
    ids=lambda s: s.vary,
)
def test_a_setting_comparison_survives_its_button_code(spec: object) -> None:
    code = encode_setting_spec(spec)  # type: ignore[arg-type]
    assert decode_run(code) == spec
    assert len(code) <= MAX_BUTTON_CODE


def test_a_run_code_still_decodes_to_its_train_spec() -> None:
    spec = make_spec("spiral", "rmsprop", hidden=[16, 16], epochs=300)
    assert decode_run(encode_spec(spec)) == spec


@pytest.mark.parametrize(
    "code",
    ["xor;mlp;8;tanh;bce;adam;0.05;1000;0;z=1,2", "xor;mlp;8;tanh;bce;adam;0.05;1000;0;a=", "a;b;c"],
)
def test_a_stale_code_is_refused(code: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        decode_run(code)
    assert refused.value.code == "stale_button"


async def _never_read() -> bytes:
    raise AssertionError("the file was downloaded before its name and size were checked")


@pytest.mark.parametrize(
    ("name", "size", "code"),
    [("points.png", 100, "data_not_csv"), ("points.csv", 10 * 1024 * 1024, "data_file_too_large")],
)
async def test_an_attachment_is_refused_before_it_is_read(name: str, size: int, code: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        await attachment_data(name, size, _never_read)
    assert caught.value.code == code


async def test_an_attached_csv_gives_its_points() -> None:
    async def read() -> bytes:
        return b"x,y\n0,0\n1,2\n2,4\n3,6\n"

    data = await attachment_data("line.CSV", 22, read)
    assert data.task == "regression" and len(data) == 4


def test_a_run_on_own_points_has_no_button_code() -> None:
    spec = make_spec(data=parse_points("0 0 0; 1 1 0; 0 1 1; 1 0 1"))
    with pytest.raises(InvalidRequest) as caught:
        encode_spec(spec)
    assert caught.value.code == "no_replay_own_data"

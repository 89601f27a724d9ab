"""`python -m bot train`: the JSON contract, refusals with exit 2, --dry-run and --out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from bot.__main__ import main


def test_json_is_one_object_with_spec_result_and_images(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(
        ["train", "xor ko adam se train karo, 100 epochs", "--json", "--out", str(tmp_path / "xor.png")]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"spec", "result", "images"}
    assert list(data["spec"]) == [
        "dataset",
        "model",
        "hidden",
        "activation",
        "loss",
        "optimizer",
        "lr",
        "epochs",
        "seed",
    ]
    assert {"final_loss", "accuracy", "diverged", "epochs_run", "seconds"} <= set(data["result"])
    assert data["result"]["epochs_run"] == 100
    assert (tmp_path / "xor.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "xor_decision_boundary.png").exists()


def test_refused_request_exits_2_with_the_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "train xor with adamw9000", "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "unknown_optimizer" and "adam" in error["message_en"] and error["message_hi"]


def test_dry_run_prints_the_spec_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "train spiral with adam, two hidden layers of 16", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "spec": {
            "dataset": "spiral",
            "model": "mlp",
            "hidden": [16, 16],
            "activation": "tanh",
            "loss": "ce",
            "optimizer": "adam",
            "lr": 0.05,
            "epochs": 1000,
            "seed": 0,
        }
    }


def test_a_comparison_is_pointed_to_the_compare_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "compare sgd and adam on xor", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "use_compare"


def test_training_in_process_uses_one_thread(capsys: pytest.CaptureFixture[str]) -> None:
    """Like a worker: on a loaded machine extra intra-op threads only wait for a core."""
    torch.set_num_threads(2)
    try:
        assert main(["train", "xor adam epochs 5", "--json"]) == 0
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(1)
    assert json.loads(capsys.readouterr().out)["result"]["epochs_run"] == 5


def test_negative_lr_is_refused_not_defaulted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "xor ko adam se train karo lr -1", "--dry-run", "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "lr_out_of_range" and "-1" in error["message_en"] and error["message_hi"]

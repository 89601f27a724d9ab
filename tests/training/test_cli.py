"""`python -m bot train / compare / backprop`: the JSON contract, refusals with exit 2, --dry-run, --out."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from bot.__main__ import main
from bot.cli import backprop as backprop_cli
from bot.cli import compare as compare_cli
from bot.training.spec import BACKPROP_PARAMS as PARAMS
from tests.training.worker.conftest import png_size


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
    # XOR holds nothing out: the matrix counts its 4 training points, and says so
    confusion = data["result"]["confusion"]
    assert confusion["on"] == "train" and sum(map(sum, confusion["matrix"])) == confusion["total"] == 4
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


def test_compare_one_setting_follows_the_json_contract(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "hidden.png"
    assert main(["compare", "xor par 2 4 hidden ki tulna karo, 80 epochs", "--json", "--out", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["spec", "runs", "images"]
    assert (data["spec"]["vary"], data["spec"]["values"]) == ("hidden", [[2], [4]])
    assert [run["hidden"] for run in data["runs"]] == [[2], [4]]
    assert all({"final_loss", "accuracy", "diverged"} <= set(run) for run in data["runs"])
    assert data["images"] == [{"name": "setting_compare", "bytes": out.stat().st_size, "path": str(out)}]


def test_compare_one_setting_dry_run_and_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "compare relu tanh on moons", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["spec"]["values"] == ["relu", "tanh"]
    assert main(["compare", "compare relu tanh on moons with sgd and adam", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "vary_one_setting"


@pytest.mark.parametrize(
    "text", ["xor ko adam se train karo, 200 epochs", "compare relu tanh on moons, 150 epochs"]
)
def test_export_prints_a_script_that_prints_the_products_final_loss(
    text: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["export", text]) == 0
    script = tmp_path / "run.py"
    script.write_text(capsys.readouterr().out, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=300
    )
    printed = [float(v) for v in re.findall(r"^final_loss\S*=(\S+)", done.stdout, re.MULTILINE)]
    assert main(["compare" if "compare" in text else "train", text, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    product = (
        [run["final_loss"] for run in data["runs"]] if "runs" in data else [data["result"]["final_loss"]]
    )
    assert printed == pytest.approx(product, abs=1e-6)


def test_export_refuses_what_it_cannot_parse(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "train mnist", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "unknown_dataset"


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


def test_text_output_summarises_the_run_in_the_learners_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "train xor with sgd lr 10", "--lang", "both"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("epochs ") and "आख़िरी loss" in lines[1]
    assert lines[2].startswith("epochs ") and "final loss" in lines[2]
    assert "बहुत बड़ा" in lines[3] and "too large" in lines[4]  # the explanation, Hindi then English


def _compare_cli(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    compare_cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_compare_json_contract_and_picture(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = f"{tmp_path}/cmp.png"
    argv = ["compare sgd and adam on xor epochs 100", "--json", "--out", out_file]
    assert compare_cli.run(_compare_cli(argv)) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"spec", "result", "images"}
    assert data["spec"]["optimizers"] == ["sgd", "adam"]
    assert data["images"][0]["path"] == out_file
    assert {"final_loss", "accuracy", "diverged", "epochs_run", "seconds", "best", "runs"} <= set(
        data["result"]
    )
    with open(out_file, "rb") as fh:
        assert png_size(fh.read())[0] == 1000


def test_compare_dry_run_and_refusals(capsys: pytest.CaptureFixture[str]) -> None:
    assert compare_cli.run(_compare_cli(["compare all optimizers on circles", "--dry-run", "--json"])) == 0
    assert json.loads(capsys.readouterr().out)["spec"]["optimizers"] == ["sgd", "momentum", "rmsprop", "adam"]
    assert compare_cli.run(_compare_cli(["train xor with adam", "--json"])) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "use_train"


def test_compare_text_prints_both_tables_hindi_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert compare_cli.run(_compare_cli(["compare sgd and adam on xor epochs 50", "--lang", "both"])) == 0
    text = capsys.readouterr().out
    assert text.index("अंतिम loss") < text.index("final loss")


def _backprop_cli(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    backprop_cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_backprop_json_has_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert backprop_cli.run(_backprop_cli(["--json", "--network", "2-2-1", "--lr", "0.3"])) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"inputs", "loss", "forward", "manual_grads", "autograd_grads", "update"} <= set(out)
    assert out["loss"] == "mse"
    assert out["update"]["lr"] == 0.3
    assert set(out["manual_grads"]) == set(PARAMS["2-2-1"]) == set(out["autograd_grads"])


def test_backprop_refusal_exits_2_with_the_error_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert backprop_cli.run(_backprop_cli(["--json", "--x", "1,two"])) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert (
        error["code"] == "backprop_not_a_number"
        and "--x" in error["message_en"]
        and "--x" in error["message_hi"]
    )


def test_replay_code_reruns_the_run_and_more_continues_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "train moons with momentum, 120 epochs", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    code = first["result"]["replay"]
    assert main(["train", "--replay", code, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["spec"] == first["spec"] and again["result"]["final_loss"] == first["result"]["final_loss"]
    assert main(["train", "--replay", code, "--more", "80", "--json"]) == 0
    more = json.loads(capsys.readouterr().out)
    assert main(["train", "train moons with momentum, 200 epochs", "--json"]) == 0
    longer = json.loads(capsys.readouterr().out)
    assert more["spec"] == longer["spec"] and more["result"]["replay"] == longer["result"]["replay"]
    assert more["result"]["train_losses"] == pytest.approx(longer["result"]["train_losses"], abs=1e-6)


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--replay", "01123_8_0.05_200_0_brjw"], "bad_replay_code"),
        (["xor adam", "--replay", "01123_8_0.05_200_0_brjv"], "replay_with_options"),
        (["--replay", "01123_8_0.05_200_0_brjv", "--more", "4900"], "too_many_epochs"),
        (["--replay", "01123_8_0.05_200_0_brjv", "--more", "-5"], "too_few_epochs"),
        ([], "need_request"),
    ],
)
def test_bad_replays_exit_2_with_the_error(
    argv: list[str], code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", *argv, "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == code and error["message_hi"] and error["message_en"]


def test_gif_writes_the_run_learning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    gif = tmp_path / "xor.gif"
    assert main(["train", "train xor with adam, 300 epochs", "--gif", str(gif), "--json"]) == 0
    images = json.loads(capsys.readouterr().out)["images"]
    assert images[-1] == {"name": "training_animation", "bytes": gif.stat().st_size, "path": str(gif)}
    with Image.open(gif) as image:
        assert image.format == "GIF" and 10 <= image.n_frames <= 60


def test_a_csv_trains_with_data_and_has_no_replay_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv = tmp_path / "mine.csv"
    csv.write_text("x1,x2,label\n0,0,0\n1,1,0\n0,1,1\n1,0,1\n", encoding="utf-8")
    assert main(["train", "train with adam for 200 epochs", "--data", str(csv), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["spec"]["dataset"] == "custom" and data["spec"]["data"]["points"][1] == [1.0, 1.0, 0.0]
    assert data["result"]["epochs_run"] == 200 and data["result"]["replay"] is None


def test_typed_points_train_without_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "train for 100 epochs points: 0 0 0; 1 1 0; 0 1 1; 1 0 1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["spec"]["data"]["points"] == [[0, 0, 0], [1, 1, 0], [0, 1, 1], [1, 0, 1]]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"x1,x2,label\n0,0,0\n1,1,zero\n0,1,1\n1,0,1\n", "data_not_a_number"),
        (b"0,0,1\n1,1,1\n0,1,1\n1,0,1\n", "data_one_class"),
        (b"0,0,0\n1,1\n0,1,1\n1,0,1\n", "data_bad_row"),
        (b"0,0,0\n" * 20000, "data_file_too_large"),
    ],
)
def test_a_bad_csv_is_refused_with_its_code_and_exit_2(
    content: bytes, code: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_bytes(content)
    assert main(["train", "train with adam", "--data", str(csv), "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == code and error["message_en"] and error["message_hi"]


def test_a_csv_and_a_named_dataset_are_refused_together(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv = tmp_path / "mine.csv"
    csv.write_text("0,0,0\n1,1,0\n0,1,1\n1,0,1\n", encoding="utf-8")
    assert main(["train", "train moons", "--data", str(csv), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "data_and_dataset"
    assert main(["train", "train", "--data", str(tmp_path / "missing.csv"), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "data_no_file"


def test_compare_takes_a_csv_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    csv = tmp_path / "mine.csv"
    csv.write_text("0,0,0\n1,1,0\n0,1,1\n1,0,1\n", encoding="utf-8")
    assert main(["compare", "compare sgd and adam for 50 epochs", "--data", str(csv), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["spec"]["dataset"] == "custom" and data["spec"]["optimizers"] == ["sgd", "adam"]
    assert len(data["spec"]["data"]["points"]) == 4


def test_json_confusion_counts_the_held_out_points(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "moons adam 100 epochs", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)["result"]
    confusion = result["confusion"]
    assert confusion["on"] == "test" and len(confusion["matrix"]) == 2
    assert sum(map(sum, confusion["matrix"])) == confusion["total"] == 50  # 25 % of 200 held out
    diagonal = confusion["matrix"][0][0] + confusion["matrix"][1][1]
    assert result["test_accuracy"] == pytest.approx(diagonal / 50)


def test_json_regression_has_no_confusion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "linear sgd 20 epochs", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["result"]["confusion"] is None


def test_show_units_writes_the_hidden_units_next_to_the_others(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "moons.png"
    assert main(["train", "moons adam 60 epochs", "--show", "units", "--json", "--out", str(out)]) == 0
    images = json.loads(capsys.readouterr().out)["images"]
    assert [image["name"] for image in images] == ["loss_curve", "decision_boundary", "hidden_units"]
    assert images[2]["path"] == str(tmp_path / "moons_hidden_units.png")
    assert png_size((tmp_path / "moons_hidden_units.png").read_bytes()) == (800, 500)


@pytest.mark.parametrize(
    ("text", "code"), [("linear sgd", "units_need_2d_classes"), ("gauss perceptron", "units_need_hidden")]
)
def test_show_units_without_units_to_draw_exits_2(
    capsys: pytest.CaptureFixture[str], text: str, code: str
) -> None:
    assert main(["train", text, "--show", "units", "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == code and error["message_en"] and error["message_hi"]

"""Every number of lesson 6's 2-2-1 walkthrough is what PyTorch's autograd computes, and so is the
command the lesson gives to reproduce it."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys

import pytest

from bot.content.loader import load_catalog
from bot.content.schema import Section
from bot.i18n import Bilingual
from bot.paths import CONTENT_DIR, PROJECT_ROOT

torch = pytest.importorskip("torch")

LESSON = load_catalog(CONTENT_DIR).lesson("backprop")
SECTIONS = {section.id: section for section in LESSON.sections}
# the lesson's names (as /backprop writes them) → positions in the parameter vector
NAMES = {
    "w₁₁": "w11",
    "w₁₂": "w12",
    "w₂₁": "w21",
    "w₂₂": "w22",
    "b₁": "b1",
    "b₂": "b2",
    "v₁": "v1",
    "v₂": "v2",
}
ORDER = ["w11", "w12", "w21", "w22", "b1", "b2", "v1", "v2", "c"]
START = [0.5, -0.4, 0.3, 0.8, 0.1, -0.5, 0.6, 0.5, -0.3]
X, Y, LR = (1.0, 2.0), 1.0, 0.5


def _forward(p: torch.Tensor, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """The lesson's network: ReLU hidden layer, sigmoid output, BCE."""
    z_h = p[0:4].reshape(2, 2) @ x + p[4:6]
    h = torch.relu(z_h)
    z = p[6:8] @ h + p[8]
    y_hat = torch.sigmoid(z)
    loss = -(Y * torch.log(y_hat) + (1 - Y) * torch.log(1 - y_hat))
    return {"z_h1": z_h[0], "z_h2": z_h[1], "h₁": h[0], "h₂": h[1], "z": z, "ŷ": y_hat, "L": loss, "h": h}


@pytest.fixture(scope="module")
def truth() -> dict[str, float]:
    """Forward values, every gradient (parameters and inputs), δs, the update and the new forward pass."""
    p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    x = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    values = _forward(p, x)
    for name in ("z", "h"):
        values[name].retain_grad()
    values["L"].backward()
    out = {name: value.item() for name, value in values.items() if name != "h"}
    out |= {f"grad {name}": g for name, g in zip(ORDER, p.grad.tolist(), strict=True)}
    out |= {"∂L/∂x₁": x.grad[0].item(), "∂L/∂x₂": x.grad[1].item(), "δ": values["z"].grad.item()}
    out |= {"∂L/∂h₁": values["h"].grad[0].item(), "∂L/∂h₂": values["h"].grad[1].item()}
    y_hat = out["ŷ"]
    out |= {"∂L/∂ŷ": -Y / y_hat + (1 - Y) / (1 - y_hat), "σ′(z)": y_hat * (1 - y_hat)}
    with torch.no_grad():
        new = p - LR * p.grad
        out |= {f"new {name}": v for name, v in zip(ORDER, new.tolist(), strict=True)}
        after = _forward(new, x.detach())
    out |= {f"new {name}": value.item() for name, value in after.items() if name != "h"}
    return out


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace("**", "").strip())


def _rows(section: Section) -> dict[str, str]:
    assert section.table is not None, section.id
    return {str(row[0]): row[-1] if isinstance(row[-1], str) else row[-1].en for row in section.table.rows}


def _param(cell: str) -> str:
    return NAMES.get(cell, cell)


def _near(shown: float, exact: float) -> bool:
    return abs(shown - exact) <= 0.00005 + 1e-12  # the lesson prints 4 decimals


def test_the_forward_table_matches_autograd(truth: dict[str, float]) -> None:
    rows = _rows(SECTIONS["network-forward"])
    assert set(rows) == {"z_h1", "h₁", "z_h2", "h₂", "z", "ŷ", "L"}
    for name, shown in rows.items():
        assert _near(_number(shown), truth[name]), (name, shown, truth[name])


def test_every_gradient_in_the_table_matches_autograd(truth: dict[str, float]) -> None:
    rows = _rows(SECTIONS["all-gradients"])
    assert sorted(_param(name) for name in rows) == sorted(ORDER)
    for name, shown in rows.items():
        assert _near(_number(shown), truth[f"grad {_param(name)}"]), (name, shown)


def test_the_dead_units_gradients_are_exactly_zero(truth: dict[str, float]) -> None:
    assert truth["z_h1"] < 0
    assert [truth[f"grad {name}"] for name in ("w11", "w12", "b1", "v1")] == [0.0, 0.0, 0.0, 0.0]


def test_the_update_table_and_the_new_loss_match_autograd(truth: dict[str, float]) -> None:
    rows = _rows(SECTIONS["update"])
    assert sorted(_param(name) for name in rows) == sorted(ORDER)
    for name, shown in rows.items():
        assert _near(_number(shown), truth[f"new {_param(name)}"]), (name, shown)
    body = SECTIONS["update"].body.en
    for name, pattern in [
        ("z_h2", r"z_h2 ≈ (\S+),"),
        ("z", r" z ≈ (\S+),"),
        ("ŷ", r"ŷ ≈ (\S+),"),
        ("L", r"L ≈ \*\*(\S+)\*\*"),
    ]:
        shown = re.search(pattern, body)
        assert shown is not None, pattern
        assert _near(_number(shown.group(1)), truth[f"new {name}"]), (name, shown.group(1))
    assert truth["new L"] < truth["L"]


@pytest.mark.parametrize(
    ("section", "name", "pattern"),
    [
        ("sigmoid-bce", "∂L/∂ŷ", r"∂L/∂ŷ = −1/0\.5987 ≈ (\S+),"),
        ("sigmoid-bce", "σ′(z)", r"σ′\(z\) ≈ (\S+),"),
        ("sigmoid-bce", "δ", r"(?:product|गुणनफल) ≈ \*\*(\S+)\*\*"),
        ("output-layer", "grad v2", r"∂L/∂v₂ = δ·h₂ = .* ≈ \*\*(\S+)\*\*"),
        ("output-layer", "grad c", r"∂L/∂c = δ·1 ≈ \*\*(\S+)\*\*"),
        ("hidden-layer", "∂L/∂h₁", r"∂L/∂h₁ = δ·v₁ = .* ≈ (\S+)\n"),
        ("hidden-layer", "∂L/∂h₂", r"∂L/∂h₂ = δ·v₂ = .* ≈ (\S+)\n"),
        ("hidden-layer", "grad b2", r"δ_h2 = .* ≈ \*\*(\S+)\*\*"),
        ("two-paths", "∂L/∂x₁", r"∂L/∂x₁ = .* ≈ \*\*(\S+)\*\*"),
        ("two-paths", "∂L/∂x₂", r"∂L/∂x₂ = .* ≈ \*\*(\S+)\*\*"),
    ],
)
def test_the_numbers_in_the_text_match_autograd(
    truth: dict[str, float], section: str, name: str, pattern: str
) -> None:
    for lang in ("en", "hi"):
        text: Bilingual = SECTIONS[section].body
        found = re.search(pattern, text.pick(lang))
        assert found is not None, (section, lang, pattern)
        assert _near(_number(found.group(1)), truth[name]), (section, lang, found.group(1), truth[name])


def test_sigmoid_with_bce_gives_prediction_minus_label(truth: dict[str, float]) -> None:
    assert truth["δ"] == pytest.approx(truth["ŷ"] - Y, abs=1e-12)
    assert truth["∂L/∂ŷ"] * truth["σ′(z)"] == pytest.approx(truth["δ"], abs=1e-12)


def test_the_lessons_command_reproduces_its_numbers(truth: dict[str, float]) -> None:
    """The terminal command on the 'Try it yourself' page prints this lesson's gradients and update."""
    found = re.search(r"`(python -m bot backprop [^`]+)`", SECTIONS["try-it"].body.en)
    assert found is not None
    assert found.group(1) in SECTIONS["try-it"].body.hi
    assert "/backprop network:2-2-1" in SECTIONS["try-it"].body.en
    argv = shlex.split(found.group(1))[1:]  # without "python"
    done = subprocess.run(
        [sys.executable, *argv, "--json"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        check=True,
    )
    walk = json.loads(done.stdout)
    assert walk["inputs"]["lr"] == LR
    assert walk["forward"]["L"] == pytest.approx(truth["L"], abs=1e-9)
    for name in ORDER:
        assert walk["autograd_grads"][name] == pytest.approx(truth[f"grad {name}"], abs=1e-9), name

"""Why a run turned out as it did, in English and Hindi: the notes' lessons, told from measured facts.

Plain data and plain Python (no torch), so the runner, the jobs and the tests share one wording.
Each explanation is a `Note` with a stable `code` the front doors may key on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.training.spec import TrainSpec, default_lr

BARELY_MOVED = 0.05  # the loss fell by less than 5 % of where it started: training hardly happened
COLLAPSE_MARGIN = 0.05  # every predicted probability within 0.05 of "don't know" counts as collapsed
NOTES_TABLE_EN = (
    "(The notes' table: too small → slow training; too large → overshooting, unstable; "
    "just right → fast and stable convergence.)"
)
NOTES_TABLE_HI = (
    "(Notes की table: बहुत छोटा → slow training; बहुत बड़ा → overshooting, unstable; "
    "सही → fast & stable convergence।)"
)

# why one straight line cannot split each set that is not linearly separable
NOT_SEPARABLE: dict[str, tuple[str, str]] = {
    "xor": (
        "XOR is not linearly separable: no line puts (0,1) and (1,0) on one side and (0,0) and (1,1) "
        "on the other, so at best 3 of 4 points (75 %) can be right",
        "XOR linearly separable नहीं है: कोई भी line (0,1) और (1,0) को एक तरफ़ और (0,0) और (1,1) को "
        "दूसरी तरफ़ नहीं रख सकती, इसलिए ज़्यादा से ज़्यादा 4 में से 3 points (75 %) सही हो सकते हैं",
    ),
    "circles": (
        "the circles are not linearly separable: one class surrounds the other, and any line leaves "
        "part of the outer ring on the inner circle's side",
        "circles linearly separable नहीं हैं: एक class दूसरी को चारों ओर से घेरती है, और हर line बाहरी "
        "ring का कुछ हिस्सा अंदर वाले circle की तरफ़ छोड़ देती है",
    ),
    "moons": (
        "the moons are not linearly separable: each moon curls into the other, so a line gets most "
        "points but never all of them",
        "moons linearly separable नहीं हैं: हर moon दूसरे के अंदर मुड़ता है, इसलिए line ज़्यादातर points "
        "सही करती है, पर सब कभी नहीं",
    ),
    "spiral": (
        "the spiral's three arms wind around each other: straight lines cannot cut them apart",
        "spiral की तीन भुजाएँ एक-दूसरे के चारों ओर लिपटी हैं: सीधी lines उन्हें अलग नहीं कर सकतीं",
    ),
}


@dataclass(frozen=True)
class Note:
    """One explanation of a run: a stable code and the same text in English and Hindi."""

    code: str  # "diverged", "too_slow", "not_separable"
    en: str
    hi: str

    def to_dict(self) -> dict[str, str]:
        """Plain data for the worker result."""
        return {"code": self.code, "en": self.en, "hi": self.hi}


def diverged(spec: TrainSpec, epoch: int, start: float, peak: float) -> Note:
    """Why the loss blew up (the learning rate overshoots), with a rate to try."""
    usual = default_lr(spec.optimizer, spec.dataset)
    suggested = usual if usual < spec.lr else spec.lr / 10
    peak_text = f"{peak:.3g}" if math.isfinite(peak) else "∞/NaN"
    en = (
        f"The loss blew up at epoch {epoch} (from {start:.3g} to {peak_text}): the learning rate "
        f"{spec.lr:g} is too large for {spec.optimizer}. Each step overshoots the minimum and lands "
        f"higher on the other side, so training becomes unstable. Try lr={suggested:g}. {NOTES_TABLE_EN}"
    )
    hi = (
        f"Epoch {epoch} पर loss फट गया ({start:.3g} से {peak_text}): {spec.optimizer} के लिए learning "
        f"rate {spec.lr:g} बहुत बड़ा है। हर step minimum के पार overshoot करके दूसरी तरफ़ और ऊपर पहुँच "
        f"जाता है, इसलिए training unstable हो जाती है। lr={suggested:g} आज़माएँ। {NOTES_TABLE_HI}"
    )
    return Note("diverged", en, hi)


def too_slow(spec: TrainSpec, losses: Sequence[float]) -> Note | None:
    """A note when the loss barely moved and the learning rate is below the usual one, else None."""
    usual = default_lr(spec.optimizer, spec.dataset)
    start, final = losses[0], losses[-1]
    if spec.lr >= usual or not (math.isfinite(start) and math.isfinite(final)) or start <= 0:
        return None
    fell = (start - final) / start
    if fell >= BARELY_MOVED:
        return None
    pct = f"{max(fell, 0.0) * 100:.2g} %"
    en = (
        f"The loss barely moved in {len(losses)} epochs (from {start:.3g} to {final:.3g}, {pct} lower): "
        f"the learning rate {spec.lr:g} is too small, so every step is tiny. Try lr={usual:g}, or "
        f"multiply η by 10 until the loss falls. {NOTES_TABLE_EN}"
    )
    hi = (
        f"{len(losses)} epochs में loss लगभग नहीं हिला ({start:.3g} से {final:.3g}, सिर्फ़ {pct} कम): "
        f"learning rate {spec.lr:g} बहुत छोटा है, इसलिए हर step बहुत छोटा है। lr={usual:g} आज़माएँ, या "
        f"loss गिरने तक η को 10 से गुणा करें। {NOTES_TABLE_HI}"
    )
    return Note("too_slow", en, hi)


def collapsed(probabilities: Sequence[float], n_classes: int) -> bool:
    """Whether every predicted class probability sits at chance (1 / classes, give or take 0.05)."""
    chance = 1.0 / max(n_classes, 2)
    return bool(probabilities) and all(abs(p - chance) < COLLAPSE_MARGIN for p in probabilities)


def not_separable(spec: TrainSpec, accuracy: float | None, is_collapsed: bool) -> Note | None:
    """For a perceptron on a set no straight line can split: why it fails, and what fixes it."""
    if spec.model != "perceptron" or spec.dataset not in NOT_SEPARABLE or accuracy is None:
        return None
    reason_en, reason_hi = NOT_SEPARABLE[spec.dataset]
    acc = f"{accuracy * 100:.0f} %"
    en = (
        f"A single perceptron draws one straight line (w₁x₁ + w₂x₂ + b = 0), and {reason_en}. "
        f"This run: accuracy {acc}."
    )
    hi = (
        f"एक अकेला perceptron सिर्फ़ एक सीधी line (w₁x₁ + w₂x₂ + b = 0) खींचता है, और {reason_hi}। "
        f"इस run में accuracy {acc} रही।"
    )
    if is_collapsed:
        en += (
            " Training settled at p ≈ 0.5 for every point: for this loss, 'don't know' everywhere costs "
            f"less than any single line, so the {acc} is only rounding, not a line it found."
        )
        hi += (
            " Training हर point पर p ≈ 0.5 पर रुक गई: इस loss के लिए हर जगह 'पता नहीं' कहना किसी भी एक "
            f"line से सस्ता पड़ता है, इसलिए {acc} सिर्फ़ rounding है, कोई line नहीं।"
        )
    en += f" Add a hidden layer (e.g. 'train {spec.dataset} with adam', an MLP) and its boundary can bend."
    hi += f" एक hidden layer जोड़िए (जैसे 'train {spec.dataset} with adam', एक MLP), तब boundary मुड़ सकती है।"
    return Note("not_separable", en, hi)


def joined(notes: Sequence[Note], lang: str) -> str | None:
    """All notes as one text in `lang` ('both': Hindi, then English); None when there are none."""
    if not notes:
        return None
    if lang == "hi":
        return "\n\n".join(n.hi for n in notes)
    if lang == "both":
        return "\n\n".join(f"{n.hi}\n{n.en}" for n in notes)
    return "\n\n".join(n.en for n in notes)

"""Free text to a training spec, in English, Hinglish and Devanagari — by rules, never by eval.

"train XOR with Adam", "xor ko adam se train karo", "XOR को Adam से ट्रेन करो", "compare sgd and adam on
xor", "spiral, two hidden layers of 16, tanh, 1000 epochs, lr=1e-3, seed 7". The result is a validated
TrainSpec or CompareSpec; anything else is an InvalidRequest with both languages.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rapidfuzz import fuzz, process

from bot.errors import InvalidRequest
from bot.training.spec import (
    ALIASES,
    CHOICES,
    CompareSpec,
    TrainSpec,
    make_compare_spec,
    make_spec,
    normalize_name,
)

MAX_TEXT = 400

# Devanagari (and Hindi-in-Latin) words -> the English word the rules below understand; longest first
DEVANAGARI: dict[str, str] = {
    "एक्सओआर": "xor",
    "एक्स ओ आर": "xor",
    "सर्कल्स": "circles",
    "सर्कल": "circles",
    "वृत्त": "circles",
    "मून्स": "moons",
    "मून": "moons",
    "स्पाइरल": "spiral",
    "सर्पिल": "spiral",
    "लीनियर": "linear",
    "रेखीय": "linear",
    "गॉस": "gauss",
    "गाउसियन": "gauss",
    "एडम": "adam",
    "ऐडम": "adam",
    "एसजीडी": "sgd",
    "मोमेंटम": "momentum",
    "आरएमएसप्रॉप": "rmsprop",
    "आरएमएसप्रोप": "rmsprop",
    "सिग्मॉइड": "sigmoid",
    "सिग्मोइड": "sigmoid",
    "रेलू": "relu",
    "रेलु": "relu",
    "टैन्ह": "tanh",
    "टैनएच": "tanh",
    "परसेप्ट्रॉन": "perceptron",
    "पर्सेप्ट्रॉन": "perceptron",
    "परसेप्ट्रोन": "perceptron",
    "नेटवर्क": "network",
    "ट्रेन": "train",
    "प्रशिक्षित": "train",
    "सिखाओ": "train",
    "चलाओ": "train",
    "तुलना": "compare",
    "एपॉक्स": "epochs",
    "एपॉक": "epochs",
    "एपोक्स": "epochs",
    "एपोक": "epochs",
    "लर्निंग रेट": "lr",
    "सीड": "seed",
    "न्यूरॉन्स": "neurons",
    "न्यूरॉन": "neurons",
    "हिडन": "hidden",
    "छिपी": "hidden",
    "लेयर्स": "layers",
    "लेयर": "layers",
    "परतें": "layers",
    "सभी": "all",
    "सब": "all",
    "एक": "one",
    "दो": "two",
    "तीन": "three",
    "चार": "four",
    "और": "aur",
    "को": "ko",
    "से": "se",
    "पर": "par",
    "के साथ": "with",
    "करो": "karo",
    "करें": "karo",
}
DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")

# multi-word phrases -> one token (applied to lower-case text, in this order)
PHRASES: list[tuple[str, str]] = [
    (r"\bbinary[ _-]?cross[ _-]?entropy\b", " bce "),
    (r"\bcross[ _-]?entropy\b", " ce "),
    (r"\bmean[ _-]squared?[ _-]error\b", " mse "),
    (r"\bmean[ _-]absolute[ _-]error\b", " mae "),
    (r"\bleaky[ _-]?relu\b", " leaky_relu "),
    (r"\b(?:sgd|gd)[ _-]?(?:with|\+|w/)[ _-]?momentum\b", " momentum "),
    (r"\blearning[ _-]?rate\b", " lr "),
    (
        r"\b(?:all|every|each|sab|saare|sare|sabhi)(?: the| of the| 4| four)? optimi[sz]ers?\b",
        " all_optimizers ",
    ),
    (r"\bxor[ _-]gate\b", " xor "),
    (r"\band[ _-]gate\b", " AND "),
    (r"\bor[ _-]gate\b", " OR "),
]

NUM = r"([0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?)"
NUMBER_WORDS = {"one": 1, "ek": 1, "a": 1, "single": 1, "two": 2, "do": 2, "three": 3, "teen": 3, "four": 4}
NUMBER_WORDS |= {"char": 4, "five": 5, "paanch": 5}
NUMWORD = r"(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"|\d+)"
LAYER = r"(?:hidden[ _-]?)?layers?"
UNIT = r"(?:hidden[ _-]?)?(?:neurons?|units?|nodes?)"

# (pattern, slot); the first group is the value; matched text is removed before the next pattern
SLOTS: list[tuple[str, str]] = [
    (rf"\b(?:lr|eta|η)\s*(?:=|:|of|is|ko|hai|)\s*{NUM}", "lr"),
    (rf"{NUM}\s*(?:lr|learning rate)\b", "lr"),
    (r"\bseed\s*(?:=|:|of|is|)\s*(\d+)", "seed"),
    (rf"\bepochs?\s*(?:=|:|of|is|)\s*{NUM}", "epochs"),
    (rf"\b{NUM}\s*(?:epochs?|iterations?|iters?|steps?|baar|bar)\b", "epochs"),
    (r"\bhidden\s*(?:=|:|sizes?|widths?|layers?)?\s*\[?\s*(\d+(?:\s*[,x×]\s*\d+)+)\s*\]?", "hidden_list"),
    (
        rf"\b{NUMWORD}\s+{LAYER}\s*(?:of|with|each with|,|ki|ke|)\s*(\d+)\s*(?:{UNIT})?(?:\s*each)?",
        "layers_of",
    ),
    (rf"\b(\d+)\s*{UNIT}\s*(?:each\s*)?(?:in|ki|ke|per)\s+{NUMWORD}\s+{LAYER}", "units_in_layers"),
    (rf"\b{NUMWORD}\s+{LAYER}\s+(?:of|with)\s+(\d+)", "layers_of"),
    (r"\b\d+(?:-\d+){2,}\b", "shape"),
    (r"\[\s*(\d+(?:\s*,\s*\d+)*)\s*\]", "hidden_list"),
    (r"\b(\d+(?:\s*,\s*\d+)+)\b", "hidden_list"),
    (r"\bhidden\s*(?:=|:)?\s*(\d+)\b", "hidden_one"),
    (rf"\b(\d+)\s*{UNIT}", "hidden_one"),
    (rf"\b(?:one|a|single|ek)\s+{LAYER}\s+(?:of|with)\s+(\d+)", "hidden_one"),
]

TRAIN_WORDS = {"train", "training", "fit", "run", "learn", "karo", "sikhao", "chalao", "sikha", "seekho"}
COMPARE_WORDS = {"compare", "comparison", "vs", "versus", "tulna", "mukabla", "muqabla", "against"}
# words after which an unknown word is probably a misspelt optimizer / dataset
OPTIMIZER_SLOT = {"with", "using", "via", "optimizer", "optimiser", "by"}
DATASET_SLOT = {"on", "for"}
STOPWORDS = {
    "train", "training", "fit", "run", "learn", "with", "using", "via", "on", "for", "the", "a", "an", "and",
    "or", "of", "to", "in", "me", "please", "pls", "can", "you", "model", "dataset", "data", "problem",
    "optimizer", "optimiser", "optimizers", "optimisers", "activation", "loss", "function", "network",
    "neural", "net", "hidden", "layer", "layers", "neurons", "neuron", "units", "nodes", "epochs", "epoch",
    "lr", "seed", "by", "karo", "ko", "se", "par", "pe", "aur", "mein", "ka", "ki", "ke", "hai",
    "kijiye", "karna", "karke", "chahiye", "ek", "do", "teen", "gate", "compare", "vs", "versus", "tulna",
    "between", "it", "this", "that", "is", "at", "show", "how", "does", "what", "sikhao", "chalao", "let",
    "lets", "try", "now", "then", "each", "per", "all", "one", "two", "three", "four", "against", "set",
    "sabhi", "sab", "saare", "mujhe", "dikhao", "batao", "simple", "small", "tiny", "classifier",
}  # fmt: skip

WORD_KIND: dict[str, tuple[str, str]] = {}
for _kind, _names in CHOICES.items():
    for _name in _names:
        WORD_KIND[_name] = (_kind, _name)
    for _alias, _name in ALIASES.get(_kind, {}).items():
        if " " not in _alias:
            WORD_KIND[_alias] = (_kind, _name)
WORD_KIND["network"] = ("model", "mlp")
WORD_KIND["net"] = ("model", "mlp")
for _gate in ("and", "or"):
    del WORD_KIND[_gate]  # ordinary words; the gates need AND / OR or "and gate" (see _gate_dataset)


def _refuse(code: str, en: str, hi: str) -> InvalidRequest:
    return InvalidRequest(code, en, hi)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(DEVANAGARI_DIGITS)
    for word in sorted(DEVANAGARI, key=len, reverse=True):
        text = text.replace(word, f" {DEVANAGARI[word]} ")
    return text


def _gate_dataset(original: str, lowered: str) -> str | None:
    """AND / OR as datasets: written in capitals, or 'on and', 'and ko', 'the or dataset'."""
    for gate in ("AND", "OR"):
        if re.search(rf"(?<![A-Za-z]){gate}(?![A-Za-z])", original):
            return gate.lower()
        g = gate.lower()
        before = rf"\b(?:on|train|par|pe|for|the)\s+{g}\b(?!\s+(?:sgd|adam|momentum|rmsprop))"
        pattern = rf"{before}|\b{g}\s+(?:ko|dataset|data|problem|par)\b"
        if re.search(pattern, lowered):
            return g
    return None


def _number(value: str) -> float:
    return float(value)


def _count(word: str) -> int:
    return NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)


def _extract_slots(text: str) -> tuple[str, dict[str, Any]]:
    found: dict[str, Any] = {}
    for pattern, slot in SLOTS:
        match = re.search(pattern, text)
        if match is None:
            continue
        key = {"layers_of": "hidden", "units_in_layers": "hidden", "shape": "hidden"}.get(slot, slot)
        key = "hidden" if key.startswith("hidden") else key
        if key in found:
            continue
        if slot == "lr":
            found["lr"] = _number(match.group(1))
        elif slot == "epochs":
            found["epochs"] = _number(match.group(1))
        elif slot == "seed":
            found["seed"] = match.group(1)
        elif slot == "hidden_list":
            found["hidden"] = re.split(r"\s*[,x×]\s*", match.group(1).strip())
        elif slot == "hidden_one":
            found["hidden"] = [match.group(1)]
        elif slot == "layers_of":
            found["hidden"] = [match.group(2)] * min(_count(match.group(1)), 99)
        elif slot == "units_in_layers":
            found["hidden"] = [match.group(1)] * min(_count(match.group(2)), 99)
        elif slot == "shape":
            found["hidden"] = match.group(0).split("-")[1:-1]
        text = text[: match.start()] + " " + text[match.end() :]
    return text, found


def parse_request(text: str) -> TrainSpec | CompareSpec:
    """The spec a learner asked for in free text, or InvalidRequest (with code and both languages)."""
    if len(text) > MAX_TEXT:
        raise _refuse(
            "too_long",
            f"That request is too long; keep it under {MAX_TEXT} characters.",
            f"यह request बहुत लंबी है; {MAX_TEXT} characters से कम रखें।",
        )
    original = _normalise(text)
    lowered = original.lower()
    for pattern, replacement in PHRASES:
        lowered = re.sub(pattern, replacement.lower(), lowered)
        original = re.sub(pattern, replacement, original, flags=re.IGNORECASE)
    gate = _gate_dataset(original, lowered)
    rest, slots = _extract_slots(lowered)
    words = re.findall(r"[a-z_][a-z0-9_]*|[^\sa-z0-9_.,=:;!?()\[\]'\"/+-]+", rest)

    picked: dict[str, list[str]] = {kind: [] for kind in CHOICES}
    compare = False
    all_optimizers = False
    training_words = 0
    unknown_after: list[tuple[str, str]] = []
    for i, word in enumerate(words):
        if word in WORD_KIND:
            kind, name = WORD_KIND[word]
            if name not in picked[kind]:
                picked[kind].append(name)
        elif word in COMPARE_WORDS:
            compare = True
        elif word == "all_optimizers":
            all_optimizers = compare = True
        elif word in TRAIN_WORDS:
            training_words += 1
        elif word not in STOPWORDS and i > 0 and len(word) >= 3:
            unknown_after.append((words[i - 1], word))
        elif word not in STOPWORDS and i + 1 < len(words) and words[i + 1] in {"se", "ko", "par"}:
            unknown_after.append((words[i + 1], word))
    if gate and not picked["dataset"]:
        picked["dataset"].append(gate)

    _refuse_misspelt(unknown_after, picked)
    anything = any(picked.values()) or slots or training_words or compare
    if not anything:
        raise _refuse(
            "nothing_to_train",
            "I couldn't find anything to train. Try: train XOR with Adam, or: compare sgd and adam on xor.",
            "मुझे train करने लायक कुछ नहीं मिला। ऐसे लिखें: train XOR with Adam, या: compare sgd and adam on xor।",
        )
    if len(picked["dataset"]) > 1:
        names = " / ".join(picked["dataset"])
        raise _refuse(
            "two_datasets",
            f"Pick one dataset at a time (you named {names}).",
            f"एक बार में एक ही dataset चुनें (आपने {names} लिखे)।",
        )
    for kind in ("activation", "loss", "model"):
        if len(picked[kind]) > 1:
            names = " / ".join(picked[kind])
            raise _refuse(
                f"two_{kind}s",
                f"Pick one {kind} (you named {names}).",
                f"एक ही {kind} चुनें (आपने {names} लिखे)।",
            )
    common: dict[str, Any] = {
        "dataset": picked["dataset"][0] if picked["dataset"] else "xor",
        "model": picked["model"][0] if picked["model"] else None,
        "activation": picked["activation"][0] if picked["activation"] else "tanh",
        "loss": picked["loss"][0] if picked["loss"] else None,
        **slots,
    }
    optimizers = picked["optimizer"]
    if compare or len(optimizers) > 1:
        if len(optimizers) == 1 and not all_optimizers:
            raise _refuse(
                "need_two_optimizers",
                f"To compare, name two or more optimizers (e.g. sgd and {optimizers[0]}), or all optimizers.",
                f"तुलना के लिए दो या ज़्यादा optimizers लिखें (जैसे sgd और {optimizers[0]}) या 'all optimizers'।",
            )
        return make_compare_spec(
            optimizers=None if all_optimizers or not optimizers else optimizers, **common
        )
    return make_spec(optimizer=optimizers[0] if optimizers else "adam", **common)


def _refuse_misspelt(unknown: list[tuple[str, str]], picked: dict[str, list[str]]) -> None:
    """An unknown word where an optimizer or dataset belongs gets 'did you mean …?' instead of a default."""
    for before, word in unknown:
        if re.fullmatch(r"[a-z_][a-z0-9_]*", word) is None:
            continue
        if before in OPTIMIZER_SLOT or before == "se":
            if not picked["optimizer"]:
                normalize_name("optimizer", word)
        elif (before in DATASET_SLOT or before in {"ko", "par"}) and not picked["dataset"]:
            normalize_name("dataset", word)
        elif len(word) >= 4:
            # a near-miss of a name anywhere ("circels") is refused with the suggestion, not ignored
            for kind in ("dataset", "optimizer", "activation"):
                names = list(CHOICES[kind])
                if not picked[kind] and process.extractOne(word, names, scorer=fuzz.ratio, score_cutoff=75):
                    normalize_name(kind, word)

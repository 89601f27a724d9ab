"""Free text to a training spec, in English, Hinglish and Devanagari — by rules, never by eval.

"train XOR with Adam", "xor ko adam se train karo", the same in Devanagari, "compare sgd and adam on
xor", "spiral, two hidden layers of 16, tanh, 1000 epochs, lr=1e-3, seed 7", and one other setting
compared: "compare relu tanh sigmoid on moons", "compare 2 4 8 hidden on xor", "compare 1 2 3 hidden
layers", "compare lr 0.01 0.1 1 on xor with sgd". The result is a validated TrainSpec, CompareSpec or
VarySpec; anything else is an InvalidRequest (its text in content/strings/error.yaml).

What is never silently replaced by a default:
- a number written with its keyword ("lr -1", "epochs 0", "seed 1.5", "-3 hidden neurons") is used, and
  the spec's limits refuse it if it is out of range; a keyword without a number ("lr abc") and a number
  without a keyword ("train xor 500") are refused too;
- a word that is close to an offered name ("circels", "adamw9000", "sigmod") or names something the bot
  does not offer ("gelu", "mnist") gets "did you mean …?" / the allowed list;
- a word standing where a dataset goes — "train X with", "X ko … train", "on X", "X dataset", "X par" —
  or where an optimizer goes — "with X", "using X", "X se" — must be one;
- what only looks like a name or a number: invisible characters are dropped and compatibility forms
  folded (NFKC) first, then a word mixing alphabets ("mnіst" with a Cyrillic і) or with an accented
  letter ("adàm") is refused, and so is a number written wrong ("epochs 1_000", "lr 5e", "epochs 5x10",
  "10²"), never read as its first digits.
A request that names no dataset at all ("train with adam", "adam se train karo") trains XOR, the
lessons' first example. Other words ("please", "karo", "mere liye" in Devanagari, "network") are ordinary
filler and ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from rapidfuzz.distance import OSA

from bot.errors import InvalidRequest
from bot.i18n import Bilingual, tr
from bot.training.custom_data import MAX_TYPED_CHARS, CustomData, parse_points, split_points
from bot.training.parse_words import (
    COMPARE_WORDS,
    DEVANAGARI,
    DEVANAGARI_DIGITS,
    KEYWORDS,
    NUMBER_WORDS,
    PHRASES,
    STOPWORDS,
    TRAIN_WORDS,
    UNSUPPORTED,
    UNSUPPORTED_OPTIONS,
)
from bot.training.spec import (
    ALIASES,
    CHOICES,
    DEFAULT_HIDDEN,
    CompareSpec,
    TrainSpec,
    VarySpec,
    did_you_mean,
    make_compare_spec,
    make_spec,
    make_vary_spec,
    normalize_name,
)

MAX_TEXT = 400

# whole Devanagari words only: "se" inside "kaise" or "par" inside "upar" is not a postposition
_LETTER = r"\u0900-\u0963\u0966-\u097Fa-zA-Z"  # Devanagari without the danda (U+0964), and Latin
_DEVANAGARI_WORD = re.compile(
    rf"(?<![{_LETTER}])(?:"
    + "|".join(re.escape(w) for w in sorted(DEVANAGARI, key=len, reverse=True))
    + rf")(?![{_LETTER}])"
)

# a number with its sign, whole: never the tail of another number ("16" in "2-16-3", "3" in "1e-3", the
# second "16" in "16x16") nor its head ("5" in "5x10" or "5%")
_WHOLE = r"(?![a-z0-9_%^×]|\.\d)"
_NOT_TAIL = r"(?<![\d.])(?<!\d[x×])"
NUM = rf"{_NOT_TAIL}([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?){_WHOLE}"
INT = rf"{_NOT_TAIL}([-+]?\d+){_WHOLE}"
NUMWORD = r"(?<![\w.])(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + rf"|[-+]?\d+{_WHOLE})"
# the spaces around a Devanagari word's replacement ("16 hidden neurons" typed in Devanagari) may be several
LAYER = r"(?:hidden[\s_-]*)?layers?"
UNIT = r"(?:hidden[\s_-]*)?(?:neurons?|units?|nodes?)\b"
LIST = r"[-+]?\d+(?:\s*,\s*[-+]?\d+)+"

# (pattern, slot); the first group is the value; matched text is removed before the next search
SLOTS: list[tuple[str, str]] = [
    (rf"\b(?:lr|eta|η)\s*(?:=|:|of|is|ko|hai|)\s*{NUM}", "lr"),
    (rf"{NUM}\s*lr\b", "lr"),
    (rf"\bseed\s*(?:=|:|of|is|ko|)\s*{NUM}", "seed"),
    (rf"\bepochs?\s*(?:=|:|of|is|)\s*{NUM}", "epochs"),
    (rf"{NUM}\s*(?:epochs?|iterations?|iters?|steps?|times|baar|bar)\b", "epochs"),
    (r"\bhidden\s*(?:=|:|sizes?|widths?|layers?)?\s*\[?\s*(\d+(?:\s*[,x×]\s*\d+)+)\s*\]?", "hidden_list"),
    (
        rf"{NUMWORD}[\s-]+{LAYER}\s*(?:of|with|each with|,|ki|ke|)\s*{INT}\s*(?:{UNIT})?(?:\s*each)?",
        "layers_of",
    ),
    (rf"{INT}\s*{UNIT}\s*(?:each\s*)?(?:in|ki|ke|per)\s+{NUMWORD}\s+{LAYER}", "units_in_layers"),
    (r"\b\d+(?:-\d+){2,}\b", "shape"),
    (rf"\[\s*({LIST}|[-+]?\d+)\s*\]", "hidden_list"),
    (rf"(?<![\d.])({LIST})\b", "hidden_list"),
    (rf"\bhidden\s*(?:=|:)?\s*{INT}\b", "hidden_one"),
    (rf"{INT}\s*{UNIT}", "hidden_one"),
    (rf"{INT}\s*hidden\b(?![\s_-]*(?:layers?|neurons?|units?|nodes?)\b)", "hidden_one"),  # "16 hidden relu"
    # "one hidden neuron", "ek hidden neuron": a number word needs "hidden" ("a neuron" may be a perceptron)
    (rf"{NUMWORD}[\s-]+hidden[\s_-]*(?:neurons?|units?|nodes?)\b", "units_word"),
    (rf"{NUMWORD}[\s-]+{LAYER}\b", "layers_default"),  # "two hidden layers": default width each
]
SLOT_KEY = {"lr": "lr", "seed": "seed", "epochs": "epochs"}  # every other slot fills "hidden"
# a keyword that must carry a number, and an example of it
NUMBER_KEYWORDS = {"lr": "lr 0.01", "epochs": "500 epochs", "epoch": "500 epochs", "seed": "seed 7"}
DEFAULT_WIDTH = 8
SETTABLE = "dataset, model, hidden neurons/layers, activation, loss, optimizer, lr, epochs, seed"

# where a word must be a dataset / an optimizer, judged by its neighbours
DATASET_BEFORE = {"on"}
DATASET_AFTER = {"ko", "par", "pe", "dataset", "data"}
AFTER_TRAIN_DATASET = {"with", "using", "via", "on", "se", "ko", "par", "pe"}
OPTIMIZER_BEFORE = {"with", "using", "via", "optimizer", "optimiser"}
OPTIMIZER_AFTER = {"se", "optimizer", "optimiser"}
ARTICLES = {"the", "a", "an", "this"}

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
# offered names a typo is measured against (the gates' 'and' / 'or' are too short to guess at)
NAMES = [(kind, name) for kind, names in CHOICES.items() for name in names if name not in ("and", "or")]


# default-ignorable code points outside the format controls (Cf): invisible wherever they stand
_IGNORABLE = frozenset(
    (0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, *range(0x180B, 0x1810), *range(0xFE00, 0xFE10))
) | frozenset(range(0xE0100, 0xE01F0))
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2212\u2043", "-"))

# a run of characters that starts as a number ("1_000", "5e", "5x10", "1.2.3", "1e-3", "500epochs")
_NUMBER_RUN = re.compile(r"(?<![a-z0-9_.])(?:\d|\.\d)(?:[a-z0-9_.%]|(?<=e)[-+](?=\d))*")
_WELL_FORMED = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?")
_UNITS = r"lr|epochs?|iterations?|iters?|steps?|times|baar|bar|neurons?|units?|nodes?|hidden|layers?"
_GLUED_UNIT = re.compile(rf"({_WELL_FORMED.pattern})({_UNITS})")
_GLUED_KEYWORD = re.compile(r"(?<![a-z0-9_])(lr|eta|η|epochs?|seed|hidden)(?=\.?\d)")
_WIDTHS = re.compile(r"\d+(?:x\d+)+")
_HIDDEN_BEFORE = re.compile(r"\bhidden\s*(?:=|:|sizes?|widths?|layers?)?\s*\[?\s*$")
_KEYWORD_BEFORE = re.compile(r"(?<![a-z0-9_])(lr|eta|η|epochs?|seed|hidden)\s*(?:=|:|of|is|ko|hai)?\s*$")
_UNIT_AFTER = re.compile(rf"\s*({_UNITS})\b")
_SETTING_OF = {"lr": "lr", "eta": "lr", "η": "lr", "seed": "seed"} | dict.fromkeys(
    ("epoch", "epochs", "iteration", "iterations", "iter", "iters", "step", "steps", "times", "baar", "bar"),
    "epochs",
)


def _quoted(value: str) -> str:
    """User text quoted back, short, without backticks."""
    text = value.replace("`", "'")
    return text if len(text) <= 30 else text[:29] + "…"


def _invisible(char: str) -> bool:
    """A character that shows nothing: a format control (zero-width space, joiners, direction marks,
    byte-order mark, soft hyphen…), a control character other than whitespace, or another
    default-ignorable code point (variation selectors, fillers)."""
    category = unicodedata.category(char)
    return category == "Cf" or (category == "Cc" and not char.isspace()) or ord(char) in _IGNORABLE


def _other_digit(char: str) -> bool:
    """A decimal digit of another script than 0–9 (Arabic-Indic, Bengali…)."""
    return not char.isascii() and unicodedata.category(char) == "Nd"


def _script(char: str) -> str:
    """'plain' (a–z, A–Z), 'devanagari', else the first word of the character's Unicode name."""
    if char.isascii():
        return "plain"
    code = ord(char)
    if 0x0900 <= code <= 0x097F or 0xA8E0 <= code <= 0xA8FF or 0x1CD0 <= code <= 0x1CFF:
        return "devanagari"
    return unicodedata.name(char, "UNKNOWN").split()[0]


def _words(text: str) -> Iterator[str]:
    """Runs of letters, marks, digits and underscores, of any script."""
    word: list[str] = []
    for char in f"{text} ":
        if unicodedata.category(char)[0] in "LMN" or char == "_":
            word.append(char)
        elif word:
            yield "".join(word)
            word = []


def _refuse_look_alikes(text: str) -> None:
    """A word mixing alphabets ("mnіst" with a Cyrillic і) or with a letter that only looks plain
    ("adàm", "ıf"): refused, since reading it as the name it resembles, or as filler, would train
    something else than what the learner sees. Latin next to Devanagari (a name with a Hindi postposition
    written on) is two words."""
    for word in _words(text):
        letters = [c for c in word if unicodedata.category(c)[0] in "LM"]
        scripts = {_script(c) for c in letters}
        foreign = scripts - {"plain", "devanagari"}
        if foreign and (len(scripts) > 1 or foreign & {"LATIN", "COMBINING"}):
            odd = next(c for c in letters if _script(c) in foreign)
            name = unicodedata.name(odd, f"U+{ord(odd):04X}").lower()
            raise InvalidRequest("look_alike_letter", word=_quoted(word), letter=f"{odd} ({name})")


def _normalise(text: str) -> str:
    """One spelling for what looks the same: invisible characters dropped, compatibility forms folded
    (NFKC: fullwidth, ligatures), every script's digits written 0–9, dashes as '-'; then a word with a
    look-alike letter, or a number in other signs than digits ("10²", "½"), is refused."""
    text = "".join(c for c in text if not _invisible(c))
    for char in text:
        if unicodedata.category(char) in ("No", "Nl"):  # NFKC would read "10²" as 102
            raise InvalidRequest("bad_number", number=char)
    text = unicodedata.normalize("NFKC", text)
    if len(text) > MAX_TEXT:
        raise InvalidRequest("too_long", max=MAX_TEXT)
    text = "".join(str(unicodedata.decimal(c)) if _other_digit(c) else c for c in text)
    text = text.translate(DEVANAGARI_DIGITS).translate(_DASHES)
    _refuse_look_alikes(text)
    return _DEVANAGARI_WORD.sub(lambda m: f" {DEVANAGARI[m.group(0)]} ", text)


def _read_numbers(text: str) -> str:
    """Every number in `text` (lower case) written whole and well formed, else refused; a keyword or unit
    glued to its number is split off ("lr0.1", "500epochs"). `1_000`, `5e`, `5x10`, `1.2.3`, `5k` are
    refused, never read as their first digits; "16x16" is read only as hidden widths ("hidden 16x16")."""
    text = _GLUED_KEYWORD.sub(r"\1 ", text)

    def whole(match: re.Match[str]) -> str:
        run = match.group(0).rstrip(".")  # a full stop after a number ends the sentence
        tail = match.group(0)[len(run) :]
        if _WELL_FORMED.fullmatch(run):
            return match.group(0)
        if (glued := _GLUED_UNIT.fullmatch(run)) is not None:
            return f"{glued.group(1)} {glued.group(2)}{tail}"
        before = text[: match.start()]
        if _WIDTHS.fullmatch(run) and _HIDDEN_BEFORE.search(before):
            return match.group(0)
        keyword = _KEYWORD_BEFORE.search(before) or _UNIT_AFTER.match(text, match.end())
        if keyword is not None:
            setting = _SETTING_OF.get(keyword.group(1), "hidden")
            raise InvalidRequest(f"bad_{setting}", value=_quoted(run))
        raise InvalidRequest("bad_number", number=_quoted(run))

    return _NUMBER_RUN.sub(whole, text)


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


def _count(word: str) -> int:
    """How many hidden layers 'two' / '3' asks for (0 is a perceptron; the spec refuses too many)."""
    count = NUMBER_WORDS[word] if word in NUMBER_WORDS else min(int(word), 99)
    if count < 0:
        raise InvalidRequest("bad_layers", count=count)
    return count


def _slot_value(slot: str, match: re.Match[str]) -> Any:
    if slot in ("lr", "epochs", "seed"):
        return match.group(1)  # a string: the spec converts it and refuses what is not whole or in range
    if slot == "hidden_list":
        return re.split(r"\s*[,x×]\s*", match.group(1).strip())
    if slot == "hidden_one":
        return [match.group(1)]
    if slot == "units_word":
        word = match.group(1)
        return [str(NUMBER_WORDS[word]) if word in NUMBER_WORDS else word]
    if slot == "layers_of":
        return [match.group(2)] * _count(match.group(1))
    if slot == "units_in_layers":
        return [match.group(1)] * _count(match.group(2))
    if slot == "layers_default":
        return [DEFAULT_WIDTH] * _count(match.group(1))
    return match.group(0).split("-")[1:-1]  # shape "2-16-16-3": the hidden widths


def _extract_slots(text: str) -> tuple[str, dict[str, Any]]:
    """Numbers with their keywords, removed from the text; the same keyword twice must agree."""
    found: dict[str, Any] = {}
    for pattern, slot in SLOTS:
        while (match := re.search(pattern, text)) is not None:
            key = SLOT_KEY.get(slot, "hidden")
            value = _slot_value(slot, match)
            if key in found and found[key] != value:
                first, second = _quoted(str(found[key])), _quoted(str(value))
                raise InvalidRequest("two_values", setting=key, first=first, second=second)
            found[key] = value
            text = text[: match.start()] + " " + text[match.end() :]
    return text, found


def _refuse_unsettable_or_bare(words: list[str]) -> None:
    """A setting a request cannot change ("batch size"), or a keyword left without its number ("lr abc")."""
    for i, word in enumerate(words):
        if word in UNSUPPORTED_OPTIONS:
            text = tr("error.cannot_set", word=_quoted(word), settable=SETTABLE)
            raise InvalidRequest("unknown_option", text=text)
        if word in NUMBER_KEYWORDS:
            key = "epochs" if word == "epoch" else word
            after = words[i + 1] if i + 1 < len(words) else ""
            read = tr("error.read_word", word=_quoted(after)) if after else Bilingual.same("")
            text = tr("error.number_expected", setting=key, example=NUMBER_KEYWORDS[word], read=read)
            raise InvalidRequest(f"bad_{key}", text=text)


def _refuse_stray_number(rest: str) -> None:
    """A number left over once every keyword took its own is refused: it was meant for something."""
    loose = re.search(r"(?<![a-z_\d.])[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?", rest)
    if loose is None:
        return
    number = _quoted(loose.group(0))
    # the words either side of the number: was one of them a misspelt keyword ("epcohs 500")?
    near = re.findall(r"[a-z]+", rest[: loose.start()])[-1:] + re.findall(r"[a-z]+", rest[loose.end() :])[:1]
    guesses = [k for w in near if (k := _near_keyword(w)) and k != w]
    raise InvalidRequest("unclear_number", number=number, hint=did_you_mean(guesses[0] if guesses else None))


def _known(word: str) -> tuple[str, str] | None:
    """(kind, name) for an offered name, an alias, or its plural ('relus', 'networks')."""
    if word in WORD_KIND:
        return WORD_KIND[word]
    if len(word) > 3 and word.endswith("s"):
        return WORD_KIND.get(word[:-1])
    return None


def _squeezed(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


def _close_name(word: str) -> str | None:
    """The kind of offered name `word` is a typo or an extension of ('adamw9000' -> optimizer)."""
    if len(word) < 3:
        return None
    best: tuple[int, str] | None = None
    for kind, name in NAMES:
        if len(name) >= 3 and word.startswith(name):
            return kind  # adamw9000, relu6, sgdr: a variant the bot does not offer
        if len(name) <= 3:
            # three letters leave no room for a guess: only doubled letters or a swap ('msee', 'sdg')
            close = _squeezed(word) == name or (len(word) == len(name) and sorted(word) == sorted(name))
            distance = 1
        else:
            distance = OSA.distance(word, name)
            # 'near' is two edits from 'linear' but not a typo of it: lengths must nearly agree
            close = distance <= (1 if len(name) <= 5 else 2) and abs(len(word) - len(name)) <= 1
        if close and (best is None or distance < best[0]):
            best = (distance, kind)
    return None if best is None else best[1]


def _near_keyword(word: str) -> str | None:
    """The keyword ('epochs', 'hidden', …) `word` is, or is a typo of; None for anything else."""
    if len(word) < 4:
        return word if word in KEYWORDS else None
    for keyword in KEYWORDS:
        if OSA.distance(word, keyword) <= (1 if len(keyword) <= 5 else 2):
            return keyword
    return None


def _slot_of(words: list[str], i: int) -> str | None:
    """'dataset' or 'optimizer' when words[i] stands where one of them goes, else None."""
    j = i - 1
    while j >= 0 and words[j] in ARTICLES:
        j -= 1
    before = words[j] if j >= 0 else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    if before in DATASET_BEFORE or after in DATASET_AFTER:
        return "dataset"
    if before in TRAIN_WORDS and before != "karo" and (after in AFTER_TRAIN_DATASET or not after):
        return "dataset"
    if before in OPTIMIZER_BEFORE or after in OPTIMIZER_AFTER:
        return "optimizer"
    return None


def _unknown_word(words: list[str], i: int) -> None:
    """Refuse a word that is not offered but looks meant as a name; return for ordinary filler."""
    word = words[i]
    if re.fullmatch(r"[a-z_][a-z0-9_]*", word):
        if word in UNSUPPORTED:
            normalize_name(UNSUPPORTED[word], word)  # raises unknown_<kind>, with the closest name
        kind = _close_name(word)
        if kind is not None:
            normalize_name(kind, word)
        if _near_keyword(word):
            return  # "hiden", "optimzer": a typo of a word we ignore anyway
    slot = _slot_of(words, i)
    if slot is not None:
        normalize_name(slot, word)


# "compare lr 0.01 0.1 1", "compare 2 4 8 hidden", "compare 1 2 3 hidden layers": one setting at several
# values, separated by spaces, "and" or "vs" (rates also by commas); the list is taken out before the slots.
_VALUE = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?"
_SEP = r"(?:\s*(?:,|\band\b|\baur\b|\bvs\b|\bor\b)\s*|\s+)"
# widths: no commas, since "8, 8 hidden" already means two layers of 8
_WIDTH_SEP = r"(?:\s*(?:\band\b|\baur\b|\bvs\b|\bor\b)\s*|\s+)"
_COMPARING = re.compile(r"\b(?:" + "|".join(sorted(COMPARE_WORDS)) + r")\b")
VALUE_LISTS: list[tuple[str, re.Pattern[str]]] = [
    # a rate list ends before a number that has its own unit ("lr 0.1 0.3, 16 hidden neurons")
    (
        "lr",
        re.compile(
            rf"\b(?:lrs?|eta|η)\s*(?:=|:)?\s*((?<![\d.]){_VALUE}(?:{_SEP}{_VALUE})+)(?![\w.])(?!\s*(?:{_UNITS})\b)"
        ),
    ),
    ("depth", re.compile(rf"(?<![\w.,])(\d+(?:{_WIDTH_SEP}\d+)+)\s*{LAYER}\b")),
    ("hidden", re.compile(rf"(?<![\w.,])(\d+(?:{_WIDTH_SEP}\d+)+)\s*(?:hidden\b|{UNIT})")),
    ("hidden", re.compile(r"\bhidden\s*(?:=|:)?\s*(\d+(?:(?:\s+|\s*(?:vs|and|aur)\s*)\d+)+)(?![\w.,])")),
]


def _value_list(text: str) -> tuple[str, tuple[str, list[Any]] | None]:
    """In a comparison, a setting written with several values: (text without it, (setting, values))."""
    if _COMPARING.search(text) is None:
        return text, None
    for setting, pattern in VALUE_LISTS:
        match = pattern.search(text)
        if match is None:
            continue
        numbers = re.findall(_VALUE, match.group(1))
        rest = text[: match.start()] + " " + text[match.end() :]
        if setting == "depth":  # "1 2 3 hidden layers": that many layers of the default width
            return rest, ("hidden", [list(DEFAULT_HIDDEN) * int(n) for n in numbers])
        return rest, (setting, [[n] for n in numbers] if setting == "hidden" else numbers)
    return text, None


def _vary_spec(
    vary: tuple[str, list[Any]], optimizers: list[str], slots: dict[str, Any], common: dict[str, Any]
) -> VarySpec:
    """The comparison of one setting; refused when a second thing varies or the setting is also fixed."""
    setting, values = vary
    if len(optimizers) > 1:
        raise InvalidRequest("vary_one_setting", first=setting, second="optimizer")
    if setting in slots:
        first, second = _quoted(" ".join(map(str, values))), _quoted(str(slots[setting]))
        raise InvalidRequest("two_values", setting=setting, first=first, second=second)
    optimizer = optimizers[0] if optimizers else "adam"
    return make_vary_spec(setting, values, optimizer=optimizer, **common)


def parse_request(text: str, data: CustomData | None = None) -> TrainSpec | CompareSpec | VarySpec:
    """The spec a learner asked for in free text, or InvalidRequest (a code, the text in both languages).

    Points typed after 'points:' (or `data`, a CSV the learner attached) make it a run on their own
    data; naming a dataset as well, or giving points both ways, is refused."""
    if len(text) > MAX_TEXT + MAX_TYPED_CHARS:
        raise InvalidRequest("too_long", max=MAX_TEXT)
    typed, text = split_points(text)
    if typed:
        if data is not None:
            raise InvalidRequest("data_two_sources")
        data = parse_points(typed)
    if len(text) > MAX_TEXT:
        raise InvalidRequest("too_long", max=MAX_TEXT)
    original = _normalise(text)
    lowered = original.lower()
    for pattern, replacement in PHRASES:
        lowered = re.sub(pattern, replacement.lower(), lowered)
        original = re.sub(pattern, replacement, original, flags=re.IGNORECASE)
    lowered = _read_numbers(lowered)
    gate = _gate_dataset(original, lowered)
    lowered, vary = _value_list(lowered)
    rest, slots = _extract_slots(lowered)
    words = re.findall(r"[a-z_][a-z0-9_]*|[^\sa-z0-9_.,=:;!?()\[\]'\"/+\-\u0964\u0965]+", rest)

    _refuse_unsettable_or_bare(words)

    picked: dict[str, list[str]] = {kind: [] for kind in CHOICES}
    compare = False
    all_optimizers = False
    training_words = 0
    for i, word in enumerate(words):
        known = _known(word)
        if known is not None:
            kind, name = known
            if name not in picked[kind]:
                picked[kind].append(name)
        elif word in COMPARE_WORDS:
            compare = True
        elif word == "all_optimizers":
            all_optimizers = compare = True
        elif word in TRAIN_WORDS:
            training_words += 1
        elif word not in STOPWORDS and word not in NUMBER_WORDS:
            _unknown_word(words, i)
    if gate and not picked["dataset"]:
        picked["dataset"].append(gate)
    _refuse_stray_number(rest)

    anything = any(picked.values()) or slots or training_words or compare or data is not None
    if not anything:
        raise InvalidRequest("nothing_to_train")
    if compare and len(picked["activation"]) > 1:
        if vary is not None:
            raise InvalidRequest("vary_one_setting", first=vary[0], second="activation")
        vary = ("activation", picked["activation"])
        picked["activation"] = picked["activation"][:1]
    for kind in ("dataset", "activation", "loss", "model"):
        if len(picked[kind]) > 1:
            raise InvalidRequest(f"two_{kind}s", names=" / ".join(picked[kind]))
    common: dict[str, Any] = {
        # no dataset named at all: XOR, the notes' first example (a wrong name was refused above)
        "dataset": picked["dataset"][0] if picked["dataset"] else "xor",
        "model": picked["model"][0] if picked["model"] else None,
        "activation": picked["activation"][0] if picked["activation"] else "tanh",
        "loss": picked["loss"][0] if picked["loss"] else None,
        **slots,
    }
    if data is not None:
        if picked["dataset"]:  # two sources of data: refused, never one silently dropped
            raise InvalidRequest("data_and_dataset", dataset=picked["dataset"][0])
        common["data"] = data
    optimizers = picked["optimizer"]
    if vary is not None:
        return _vary_spec(vary, list(CHOICES["optimizer"]) if all_optimizers else optimizers, slots, common)
    if compare or len(optimizers) > 1:
        if len(optimizers) == 1 and not all_optimizers:
            why = tr("error.name_two_optimizers", optimizer=optimizers[0])
            raise InvalidRequest("need_two_optimizers", text=why)
        return make_compare_spec(
            optimizers=None if all_optimizers or not optimizers else optimizers, **common
        )
    return make_spec(optimizer=optimizers[0] if optimizers else "adam", **common)

"""The words learners type around quiz answers, in English, romanized Hindi and Devanagari.

Grading (bot/quiz/grading.py) reads them; they are a parsing vocabulary, not text anyone is shown.
Each list is written as it is typed; grading normalizes it (case, nukta, chandrabindu) before use.
"""

from __future__ import annotations

# True/false answers: English, romanized Hindi, Devanagari (सही/ग़लत, हाँ/नहीं, सत्य/असत्य, सच/झूठ).
TRUE_WORDS: tuple[str, ...] = (
    *("true", "t", "yes", "y", "right", "correct", "1"),
    *("haan", "han", "haa", "ha", "ji", "sahi", "sach", "satya", "theek", "thik"),
    *("सही", "सच", "सत्य", "हाँ", "हां", "हा", "जी", "ठीक"),
)
FALSE_WORDS: tuple[str, ...] = (
    *("false", "f", "no", "n", "wrong", "incorrect", "0"),
    *("nahin", "nahi", "nahiin", "nhi", "na", "galat", "galt", "jhooth", "jhoot", "jhuth", "asatya"),
    *("ग़लत", "नहीं", "नही", "ना", "झूठ", "असत्य"),
)

# Words that frame a free-text answer without changing it: leading articles, a trailing copula.
LEADING: tuple[str, ...] = ("the", "a", "an", "एक", "ek")
TRAILING: tuple[str, ...] = (
    *("है", "हैं", "होता है", "होती है", "होते हैं"),
    *("hai", "hain", "hota hai", "hoti hai", "hote hain", "hota h"),
)

# Category nouns that may be added to or dropped from an answer ("XOR problem", "ReLU function"),
# one group per category: a question that uses one word of a group allows its translations too.
HEAD_GROUPS: tuple[tuple[str, ...], ...] = (
    ("problem", "समस्या", "प्रॉब्लम", "प्रोब्लम", "samasya"),
    ("function", "फ़ंक्शन", "फलन", "activation", "activation function"),
    ("layer", "layers", "लेयर", "लेयर्स", "परत", "परतें"),
    ("term", "value"),
)

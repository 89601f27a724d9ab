"""The words lesson and glossary look-ups read past, in English, Hinglish and Devanagari (data, not text
a learner reads)."""

from __future__ import annotations

import re

DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
LESSON_NUMBER = re.compile(
    r"^(?:lesson|lessons|lesson no|l|chapter|ch|part|unit|module|पाठ|path|paath|अध्याय|no|number)?"
    r"\s*(\d{1,2})(?:st|nd|rd|th)?$"
)
# Words around a name that do not change what is asked ("what is a weight", "bias kya hai").
PREFIXES = (
    "what is the",
    "what is a",
    "what is an",
    "what is",
    "whats",
    "what s",
    "what are",
    "define",
    "definition of",
    "meaning of",
    "explain",
    "tell me about",
    "teach me",
    "show me",
    "show",
    "open",
    "start",
    "lesson on",
    "lesson about",
    "lesson",
    "glossary",
    "term",
    "about",
    "the",
    "a",
    "an",
)
SUFFIXES = (
    "kya hota hai",
    "kya hote hain",
    "kya hote hai",
    "kya hai",
    "kya hain",
    "ka matlab",
    "ka meaning",
    "ka arth",
    "meaning",
    "means",
    "padhao",
    "sikhao",
    "samjhao",
    "lesson",
    "क्या होता है",
    "क्या होते हैं",
    "क्या है",
    "क्या हैं",
    "का मतलब",
    "का अर्थ",
    "के बारे में",
    "समझाओ",
    "पढ़ाओ",
    "सिखाओ",
)

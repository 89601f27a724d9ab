"""A bilingual (Hindi-English) deep-learning tutor for Discord, with an offline console."""

__version__ = "0.1.0"

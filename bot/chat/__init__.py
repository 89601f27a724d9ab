"""Free text to an intent: one Discord-free router shared by mentions, DMs, /ask and the console."""

from bot.chat.intent import INTENT_KINDS, Intent, IntentKind
from bot.chat.router import clean, route

__all__ = ["INTENT_KINDS", "Intent", "IntentKind", "clean", "route"]

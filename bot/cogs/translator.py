"""Hindi names and descriptions for every slash command, option and choice (an app_commands.Translator).

Keys are the English strings the cogs declare; a test checks that every one of them has a Hindi entry.
Command and option names stay English where the course keeps the technical term in English.
"""

from __future__ import annotations

from discord import Locale, app_commands

NAMES_HI: dict[str, str] = {
    "lesson": "पाठ",
    "quiz": "क्विज़",
    "review": "दोहराएँ",
    "train": "प्रशिक्षण",
    "compare": "तुलना",
    "ask": "पूछें",
    "progress": "प्रगति",
    "leaderboard": "लीडरबोर्ड",
    "language": "भाषा",
    "glossary": "शब्दकोश",
    "help": "मदद",
    "topic": "विषय",
    "count": "संख्या",
    "text": "सवाल",
    "member": "सदस्य",
    "period": "अवधि",
    "term": "शब्द",
    "name": "नाम",
}

DESCRIPTIONS_HI: dict[str, str] = {
    "Read a lesson page by page": "Lesson को पेज-दर-पेज पढ़ें",
    "Lesson number, id or title": "Lesson का नंबर, id या शीर्षक",
    "Take a quiz, one question at a time": "एक-एक प्रश्न करके quiz लें",
    "Lesson to quiz on (empty: mixed)": "किस lesson पर quiz (खाली: मिले-जुले)",
    "Number of questions": "प्रश्नों की संख्या",
    "Review the cards that are due": "जो cards बाकी हैं उन्हें review करें",
    "Train a small neural network and see the loss curve": "एक छोटा neural network train करें और loss curve देखें",
    "The toy dataset": "छोटा dataset",
    "The optimizer": "Optimizer",
    "Learning rate": "Learning rate",
    "Training epochs": "Training epochs",
    "Hidden layer widths, e.g. 8 or 16,16 (0 for a perceptron)": (
        "Hidden layer widths, जैसे 8 या 16,16 (perceptron के लिए 0)"
    ),
    "Activation function": "Activation function",
    "Loss function": "Loss function",
    "Random seed": "Random seed",
    "Compare optimizers on one dataset": "एक dataset पर optimizers की तुलना करें",
    "Optimizers, e.g. sgd,adam (empty: all four)": "Optimizers, जैसे sgd,adam (खाली: चारों)",
    "Backprop step by step with real numbers": "असली numbers के साथ backprop, कदम-दर-कदम",
    "One neuron or a 2-2-1 network": "एक neuron या 2-2-1 network",
    "Input x1": "Input x1",
    "Input x2": "Input x2",
    "Target y": "Target y",
    "Show activation functions and their gradients": "Activation functions और उनके gradients देखें",
    "One activation (empty: all)": "एक activation (खाली: सभी)",
    "Ask anything in your own words": "अपने शब्दों में कुछ भी पूछें",
    "Your question or request": "आपका सवाल या request",
    "Your progress, or a member's": "आपकी, या किसी सदस्य की प्रगति",
    "Whose progress": "किसकी प्रगति",
    "Top learners of this server": "इस server के top learners",
    "Time period": "समय अवधि",
    "Choose your language": "अपनी भाषा चुनें",
    "hi, en or both": "hi, en या both",
    "Look up a term": "कोई शब्द खोजें",
    "The term": "शब्द",
    "What the tutor can do": "Tutor क्या-क्या कर सकता है",
    "Reload lessons, quizzes and glossary (Manage Server)": (
        "Lessons, quizzes और glossary फिर से load करें (Manage Server)"
    ),
    "Hindi": "हिंदी",
    "English": "अंग्रेज़ी",
    "Both": "दोनों",
    "This week": "इस हफ़्ते",
    "This month": "इस महीने",
    "All time": "अब तक",
}


class HindiTranslator(app_commands.Translator):
    """Gives Discord the Hindi name or description of each command string; other locales keep English."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale is not Locale.hindi:
            return None
        location = context.location
        if location in (
            app_commands.TranslationContextLocation.command_name,
            app_commands.TranslationContextLocation.parameter_name,
        ):
            return NAMES_HI.get(string.message)
        return DESCRIPTIONS_HI.get(string.message)

"""The Discord front door's own words, in English and Hindi (Devanagari, technical terms in English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # key: (English, Hindi)
    "not_yours": (
        "These buttons belong to someone else. Start your own with a slash command.",
        "ये buttons किसी और के हैं। अपने लिए slash command से शुरू करें।",
    ),
    "stale": (
        "This button is from an older message and no longer works. Run the command again.",
        "यह button पुराने message का है और अब काम नहीं करता। Command फिर से चलाएँ।",
    ),
    "expired": (
        "⌛ These buttons timed out. Run the command again to continue.",
        "⌛ इन buttons का समय खत्म हो गया। जारी रखने के लिए command फिर से चलाएँ।",
    ),
    "quiz_expired": (
        "⌛ The buttons timed out. Your quiz is saved: run /quiz to continue where you were.",
        "⌛ Buttons का समय खत्म हो गया। आपका quiz saved है: वहीं से जारी रखने के लिए /quiz चलाएँ।",
    ),
    "unexpected": (
        "Sorry, something went wrong on my side (reference `{ref}`). Please try again.",
        "माफ़ कीजिए, मेरी तरफ़ कुछ गड़बड़ हुई (reference `{ref}`)। कृपया फिर से कोशिश करें।",
    ),
    "cooldown": (
        "Please wait {seconds:.0f} s before the next training request.",
        "अगली training request से पहले {seconds:.0f} s रुकिए।",
    ),
    "manage_server": (
        "Only members with the Manage Server permission can do that.",
        "यह केवल Manage Server permission वाले members कर सकते हैं।",
    ),
    "queued": (
        "⏳ Queued: position {position}. Training starts soon…",
        "⏳ Queue में: स्थान {position}। Training जल्द शुरू होगी…",
    ),
    "training": ("⚙️ Training `{spec}`…", "⚙️ Training चल रही है: `{spec}`…"),
    "comparing": ("⚙️ Comparing optimizers: `{spec}`…", "⚙️ Optimizers की तुलना: `{spec}`…"),
    "show_code": ("Show code", "Code दिखाएँ"),
    "compare_button": ("Compare optimizers", "Optimizers की तुलना"),
    "code_caption": (
        "A plain PyTorch script that reproduces this run.",
        "एक सादा PyTorch script जो यही run दोहराता है।",
    ),
    "previous": ("Previous", "पिछला"),
    "next": ("Next", "अगला"),
    "toggle_lang": ("हिंदी", "English"),
    "page": ("Page {page}/{pages}", "पृष्ठ {page}/{pages}"),
    "answer_button": ("Answer", "उत्तर दें"),
    "skip": ("Skip", "छोड़ें"),
    "true": ("True", "सही"),
    "false": ("False", "गलत"),
    "your_answer": ("Your answer", "आपका उत्तर"),
    "correct": ("✅ Correct!", "✅ सही!"),
    "wrong": ("❌ Not quite.", "❌ सही नहीं।"),
    "skipped": ("⏭️ Skipped.", "⏭️ छोड़ दिया।"),
    "right_answer": ("Right answer: {answer}", "सही उत्तर: {answer}"),
    "question_of": ("Question {n}/{total}", "प्रश्न {n}/{total}"),
    "quiz_done": ("Quiz finished: {score}/{total}", "Quiz पूरा: {score}/{total}"),
    "quiz_title": ("Quiz: {topic}", "Quiz: {topic}"),
    "mixed": ("mixed topics", "मिले-जुले विषय"),
    "no_reviews": (
        "Nothing is due for review. Take a /quiz and come back later!",
        "अभी review के लिए कुछ नहीं है। एक /quiz लें और बाद में आएँ!",
    ),
    "review_title": ("Review: {count} due", "Review: {count} बाकी"),
    "language_set": ("Language set: {name}.", "भाषा चुनी गई: {name}।"),
    "lang_name_hi": ("Hindi", "हिंदी"),
    "lang_name_en": ("English", "अंग्रेज़ी"),
    "lang_name_both": ("Hindi + English", "हिंदी + अंग्रेज़ी"),
    "reloaded": (
        "Content reloaded: {lessons} lessons, {questions} questions, {terms} glossary terms.",
        "Content फिर से load हुआ: {lessons} lessons, {questions} questions, {terms} glossary terms।",
    ),
    "progress_title": ("Progress of {name}", "{name} की प्रगति"),
    "leaderboard_title": ("Leaderboard ({period})", "Leaderboard ({period})"),
    "leaderboard_empty": ("Nobody has earned XP here yet.", "यहाँ अभी तक किसी ने XP नहीं कमाया।"),
    "period_week": ("this week", "इस हफ़्ते"),
    "period_month": ("this month", "इस महीने"),
    "period_all": ("all time", "अब तक"),
    "help_title": ("Deep-learning tutor: commands", "Deep-learning tutor: commands"),
    "help_mention": (
        "You can also mention me or DM me in plain words: “backprop kya hai?”, “train XOR with Adam”.",
        "आप मुझे mention या DM करके सीधे भी पूछ सकते हैं: “backprop kya hai?”, “train XOR with Adam”।",
    ),
    "unknown_intent": (
        "I did not understand that. Try “lesson 3”, “quiz me on activation”, “train XOR with Adam” or /help.",
        "मैं समझ नहीं पाया। “lesson 3”, “quiz me on activation”, “train XOR with Adam” या /help आज़माएँ।",
    ),
    "term_not_found": (
        "No glossary entry for “{term}”.",
        "“{term}” के लिए glossary में कुछ नहीं मिला।",
    ),
    "lesson_not_found": ("No lesson matches “{topic}”.", "“{topic}” से कोई lesson नहीं मिला।"),
    "lessons_list": ("Lessons", "Lessons"),
    "backprop_title": ("Backprop walkthrough", "Backprop walkthrough"),
    "activation_title": ("Activation functions", "Activation functions"),
    "forward": ("Forward pass", "Forward pass"),
    "manual": ("Chain rule by hand", "Chain rule हाथ से"),
    "autograd": ("From autograd", "Autograd से"),
    "update": ("One update step", "एक update step"),
    "final_loss": ("Final loss", "अंतिम loss"),
    "accuracy": ("Accuracy", "Accuracy"),
    "epochs_run": ("Epochs", "Epochs"),
    "seconds": ("Time", "समय"),
    "diverged": ("Diverged", "Diverged"),
    "xp": ("XP", "XP"),
    "streak": ("Streak", "Streak"),
    "days": ("{n} days", "{n} दिन"),
    "mastery": ("Mastery", "Mastery"),
    "owner_only": ("Only the bot owner can do that.", "यह केवल bot owner कर सकते हैं।"),
}


def say(key: str, lang: str, **values: object) -> str:
    """Text `key` in `lang` ('hi', 'en' or 'both'), formatted with `values`."""
    en, hi = TEXTS[key]
    if lang == "both":
        return f"{hi.format(**values)}\n{en.format(**values)}"
    return (hi if lang == "hi" else en).format(**values)


def short(key: str, lang: str, **values: object) -> str:
    """A one-line label (buttons, titles): Hindi for 'hi' and 'both', else English."""
    en, hi = TEXTS[key]
    return (hi if lang in ("hi", "both") else en).format(**values)

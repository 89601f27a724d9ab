"""The offline console's own words, in English and Hindi (Devanagari, technical terms in English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # key: (English, Hindi)
    "welcome": (
        "Deep-learning tutor, offline console. Language: {language}. Type /help for commands, quit to leave.",
        "Deep-learning tutor, offline console. भाषा: {language}। "
        "Commands के लिए /help लिखें, बाहर जाने के लिए quit।",
    ),
    "bye": ("Bye! Your progress is saved.", "फिर मिलेंगे! आपकी प्रगति saved है।"),
    "help": (
        'Commands (or just type a question, e.g. "backprop kya hai?" or "train XOR with Adam"):\n'
        "  /lesson [topic or number]   read a lesson page by page; /next, /prev turn pages\n"
        "  /quiz [topic] [count]       a quiz; answer with the option letter or the answer;\n"
        "                              /skip skips a question, /stop ends the quiz\n"
        "  /review                     questions that are due for review\n"
        "  /train <request>            e.g. /train xor adam lr 0.1 epochs 300\n"
        "  /compare <request>          e.g. /compare xor sgd adam\n"
        "  /backprop                   the backprop walkthrough with real numbers\n"
        "  /activation [name]          the picture of an activation function (relu, sigmoid, tanh…)\n"
        "  /progress                   your XP, streak and mastery\n"
        "  /leaderboard [week|month|all]\n"
        "  /language hi|en|both        /glossary <term>        quit",
        'Commands (या सीधे सवाल लिखें, जैसे "backprop kya hai?" या "train XOR with Adam"):\n'
        "  /lesson [topic या number]   lesson पृष्ठ-दर-पृष्ठ पढ़ें; /next, /prev से पन्ने बदलें\n"
        "  /quiz [topic] [count]       quiz; option का अक्षर या उत्तर लिखें;\n"
        "                              /skip से सवाल छोड़ें, /stop से quiz खत्म करें\n"
        "  /review                     जिन सवालों का review बाकी है\n"
        "  /train <request>            जैसे /train xor adam lr 0.1 epochs 300\n"
        "  /compare <request>          जैसे /compare xor sgd adam\n"
        "  /backprop                   असली संख्याओं के साथ backprop walkthrough\n"
        "  /activation [name]          किसी activation function का चित्र (relu, sigmoid, tanh…)\n"
        "  /progress                   आपके XP, streak और mastery\n"
        "  /leaderboard [week|month|all]\n"
        "  /language hi|en|both        /glossary <term>        quit",
    ),
    "unknown_command": (
        "Unknown command /{name}. Type /help for the list.",
        "/{name} नाम का कोई command नहीं है। सूची के लिए /help लिखें।",
    ),
    "unknown": (
        'I did not understand that. Try /help, or ask e.g. "what is relu" or "quiz me on backprop".',
        'मैं समझ नहीं पाया। /help लिखें, या पूछें जैसे "relu kya hai" या "backprop par quiz do"।',
    ),
    "no_lesson": (
        "No lesson matches '{topic}'. Lessons: {lessons}",
        "'{topic}' से कोई lesson नहीं मिला। Lessons: {lessons}",
    ),
    "no_term": (
        "'{term}' is not in the glossary yet. Try /lesson or /help.",
        "'{term}' अभी glossary में नहीं है। /lesson या /help आज़माएँ।",
    ),
    "need_term": ("Which term? e.g. /glossary relu", "कौन सा term? जैसे /glossary relu"),
    "lesson_page": (
        "Lesson {order}: {title} — page {page}/{pages}",
        "Lesson {order}: {title} — पृष्ठ {page}/{pages}",
    ),
    "lesson_nav": (
        "(/next for the next page, /prev for the previous one)",
        "(अगले पृष्ठ के लिए /next, पिछले के लिए /prev)",
    ),
    "lesson_end": (
        "That was the last page. Try /quiz {lesson} to test yourself.",
        "यह आखिरी पृष्ठ था। खुद को परखने के लिए /quiz {lesson} लिखें।",
    ),
    "lesson_start": ("This is the first page.", "यह पहला पृष्ठ है।"),
    "no_open_lesson": ("Open a lesson first: /lesson", "पहले कोई lesson खोलें: /lesson"),
    "figure": ("Figure: {name}", "चित्र: {name}"),
    "picture": ("🖼  picture: {path}", "🖼  चित्र: {path}"),
    "lang_set": ("Language set: {name}.", "भाषा चुनी गई: {name}।"),
    "lang_name_hi": ("Hindi", "हिंदी"),
    "lang_name_en": ("English", "अंग्रेज़ी"),
    "lang_name_both": ("Hindi + English", "हिंदी + अंग्रेज़ी"),
    "lang_usage": ("Usage: /language hi|en|both", "ऐसे लिखें: /language hi|en|both"),
    "question_of": ("Question {n}/{total}", "प्रश्न {n}/{total}"),
    "answer_hint_choice": (
        "Type the option letter (or the answer). /skip to skip, /stop to end.",
        "Option का अक्षर (या उत्तर) लिखें। छोड़ने के लिए /skip, खत्म करने के लिए /stop।",
    ),
    "answer_hint_tf": (
        "Type true or false. /skip to skip, /stop to end.",
        "true या false लिखें (सही/गलत भी चलेगा)। छोड़ने के लिए /skip, खत्म करने के लिए /stop।",
    ),
    "answer_hint_number": (
        "Type a number. /skip to skip, /stop to end.",
        "एक संख्या लिखें। छोड़ने के लिए /skip, खत्म करने के लिए /stop।",
    ),
    "answer_hint_text": (
        "Type your answer. /skip to skip, /stop to end.",
        "अपना उत्तर लिखें। छोड़ने के लिए /skip, खत्म करने के लिए /stop।",
    ),
    "correct": ("✅ Correct!", "✅ सही!"),
    "wrong": ("❌ Not quite.", "❌ सही नहीं।"),
    "skipped": ("⏭️  Skipped.", "⏭️  छोड़ दिया।"),
    "right_answer": ("Right answer: {answer}", "सही उत्तर: {answer}"),
    "xp_earned": ("+{xp} XP", "+{xp} XP"),
    "quiz_done": (
        "Quiz finished: {score}/{total} right, {xp} XP.",
        "Quiz पूरा: {total} में से {score} सही, {xp} XP।",
    ),
    "quiz_stopped": (
        "Quiz stopped: {score}/{answered} right so far.",
        "Quiz रोका गया: अब तक {answered} में से {score} सही।",
    ),
    "no_quiz": ("There is no quiz running. Start one with /quiz.", "कोई quiz नहीं चल रहा। /quiz से शुरू करें।"),
    "no_reviews": (
        "Nothing is due for review. Take a /quiz and come back later!",
        "अभी review के लिए कुछ नहीं है। एक /quiz लें और बाद में आएँ!",
    ),
    "review_start": ("Review: {count} due.", "Review: {count} बाकी।"),
    "queued": ("training… queue position {position}", "training… queue में स्थान {position}"),
    "running": ("training… ", "training चल रही है… "),
    "need_request": (
        "Say what to train, e.g. /train xor adam lr 0.1",
        "बताइए क्या train करना है, जैसे /train xor adam lr 0.1",
    ),
    "progress_title": ("Progress of {name}", "{name} की प्रगति"),
    "leaderboard_title": ("Leaderboard ({period})", "Leaderboard ({period})"),
    "leaderboard_empty": ("Nobody has earned XP yet.", "अभी तक किसी ने XP नहीं कमाया।"),
    "period_week": ("this week", "इस हफ़्ते"),
    "period_month": ("this month", "इस महीने"),
    "period_all": ("all time", "अब तक"),
    "error": (
        "Sorry, something went wrong ({kind}). Please try again.",
        "माफ़ कीजिए, कुछ गड़बड़ हुई ({kind})। कृपया फिर से कोशिश करें।",
    ),
}


def say(key: str, lang: str, **values: object) -> str:
    """The console text `key` in `lang` ('both' gives Hindi, then English), formatted with `values`."""
    en, hi = TEXTS[key]
    if lang == "hi":
        return hi.format(**values)
    if lang == "both":
        return f"{hi.format(**values)}\n{en.format(**values)}"
    return en.format(**values)

"""The vocabulary the router listens for, in English, Hinglish (romanized Hindi) and Devanagari."""

from __future__ import annotations

HELP = frozenset(
    {
        "help",
        "madad",
        "मदद",
        "सहायता",
        "sahayata",
        "commands",
        "हेल्प",
        "menu",
        "hi",
        "hello",
        "hey",
        "namaste",
        "नमस्ते",
    }
)

# language names -> the stored choice
LANGUAGES: dict[str, str] = {
    "hi": "hi",
    "en": "en",
    "hindi": "hi",
    "hindee": "hi",
    "हिंदी": "hi",
    "हिन्दी": "hi",
    "english": "en",
    "angrezi": "en",
    "angreji": "en",
    "अंग्रेजी": "en",
    "अंग्रेज़ी": "en",
    "इंग्लिश": "en",
    "both": "both",
    "dono": "both",
    "दोनों": "both",
    "bilingual": "both",
}
LANGUAGE_WORDS = frozenset({"language", "lang", "bhasha", "भाषा", "languages"})

COMPARE = frozenset({"compare", "comparison", "tulna", "तुलना", "vs", "versus", "muqabla", "मुकाबला"})
# words that make a question a comparison of two ideas ("relu aur sigmoid me kya fark hai", "mse vs mae");
# "compare" itself stays the optimizer race of /compare
CONCEPT_COMPARE = frozenset(
    {
        "difference",
        "differences",
        "different",
        "differ",
        "differs",
        "diff",
        "vs",
        "versus",
        "better",
        "fark",
        "farak",
        "farq",
        "antar",
        "behtar",
        "फ़र्क़",
        "फ़रक़",
        "फरक",
        "अंतर",
        "बेहतर",
    }
)
# words that make a question a why-question ("why does my loss go up", "loss kyon badh raha hai")
CONCEPT_WHY = frozenset(
    {
        "why",
        "kyun",
        "kyu",
        "kyon",
        "kyoon",
        "kyo",
        "reason",
        "wajah",
        "vajah",
        "karan",
        "kaaran",
        "क्यों",
        "क्यूँ",
        "क्यूं",
        "क्यो",
        "वजह",
        "कारण",
    }
)
# words that ask for a quiz even in a comparison ("quiz me on sigmoid vs tanh"); not "test" or "sawal",
# which a comparison or why-question may carry ("training loss vs test loss", "ek sawal: …")
QUIZ_REQUEST = frozenset({"quiz", "quizz", "quizzes", "क्विज", "pariksha", "परीक्षा"})
TRAIN = frozenset({"train", "training", "ट्रेन", "prashikshan", "प्रशिक्षण", "प्रशिक्षित"})
QUIZ = frozenset(
    {"quiz", "quizz", "quizzes", "test", "pariksha", "परीक्षा", "क्विज", "sawal", "sawaal", "सवाल"}
)
REVIEW = frozenset({"review", "revision", "revise", "dohrao", "dohraao", "दोहराओ", "दोहराना", "रिव्यू"})
PROGRESS = frozenset({"progress", "pragati", "प्रगति", "प्रोग्रेस", "stats", "xp", "streak", "score"})
LEADERBOARD = frozenset({"leaderboard", "ranking", "rankings", "rank", "लीडरबोर्ड", "top"})
PERIODS: dict[str, str] = {
    "week": "week",
    "weekly": "week",
    "hafta": "week",
    "हफ्ता": "week",
    "हफ़्ते": "week",
    "month": "month",
    "monthly": "month",
    "mahina": "month",
    "mahine": "month",
    "महीना": "month",
    "महीने": "month",
    "all": "all",
    "overall": "all",
    "sab": "all",
}
# period words a leaderboard request may carry that name no period it keeps, refused by name
OTHER_PERIODS = frozenset(
    {"day", "daily", "today", "year", "yearly"} | {"aaj", "din", "saal", "आज", "दिन", "साल"}
)
# what ends a console session
QUIT = frozenset({"quit", "exit", "/quit", "/exit", "q", "bye", "बाय"})

BACKPROP = frozenset({"backprop", "backpropagation", "बैकप्रोप", "बैकप्रोपेगेशन", "backpropogation"})
SHOW = frozenset(
    {
        "show",
        "plot",
        "draw",
        "dikhao",
        "dikhaao",
        "दिखाओ",
        "दिखाइए",
        "graph",
        "picture",
        "visualize",
        "visualise",
        "chitra",
        "चित्र",
        "curve",
        "walkthrough",
        "demo",
        "example",
        "numbers",
        "step",
        "steps",
        "calculate",
        "compute",
    }
)

# activation names (and their spellings) -> the canonical name the visuals engine draws
ACTIVATIONS: dict[str, str] = {
    "relu": "relu",
    "रेलू": "relu",
    "sigmoid": "sigmoid",
    "सिग्मॉइड": "sigmoid",
    "सिग्मोइड": "sigmoid",
    "tanh": "tanh",
    "leaky": "leaky_relu",
    "leakyrelu": "leaky_relu",
    "leaky_relu": "leaky_relu",
    "softmax": "softmax",
    "gelu": "gelu",
    "elu": "elu",
    "step": "step",
}
ACTIVATION_WORDS = frozenset({"activation", "activations", "एक्टिवेशन"})

DATASETS = frozenset({"xor", "moons", "circles", "spiral", "blobs", "sine", "linear", "gauss"})
OPTIMIZERS = frozenset({"sgd", "adam", "adamw", "momentum", "rmsprop", "adagrad"})
# words that, next to a dataset, make a sentence a training request ("perceptron on xor", "xor seed 7")
TRAINABLE = frozenset(
    {
        "perceptron",
        "perceptrons",
        "mlp",
        "network",
        "net",
        "model",
        "relu",
        "sigmoid",
        "tanh",
        "leaky_relu",
        "leaky",
        "mse",
        "mae",
        "bce",
        "lr",
        "epochs",
        "epoch",
        "seed",
        "hidden",
        "layers",
        "layer",
        "neurons",
        "learning",
    }
)

# thanks in English, Hinglish and Devanagari, and the words that may come with it
THANKS = frozenset(
    {
        "thanks",
        "thank",
        "thx",
        "thanx",
        "ty",
        "shukriya",
        "shukria",
        "dhanyavad",
        "dhanyawad",
        "dhanyavaad",
        "धन्यवाद",
        "शुक्रिया",
        "thankyou",
    }
)
THANKS_EXTRA = frozenset({"you", "so", "much", "a", "lot", "very", "bahut", "बहुत", "ji", "जी", "ok", "okay"})

LESSON = frozenset({"lesson", "lessons", "paath", "पाठ", "sabak", "सबक", "chapter", "अध्याय", "topic"})
TEACH = frozenset(
    {
        "teach",
        "learn",
        "explain",
        "sikhao",
        "sikhaao",
        "सिखाओ",
        "padhao",
        "padhaao",
        "पढ़ाओ",
        "पढाओ",
        "samjhao",
        "samjhaao",
        "समझाओ",
        "samjhaiye",
        "समझाइए",
    }
)
NEXT = frozenset({"next", "aage", "agla", "agle", "आगे", "अगला", "continue"})
PREV = frozenset({"prev", "previous", "back", "peeche", "pichla", "पीछे", "पिछला"})

# "X kya hai", "what is X": the question shapes that ask for a definition
DEFINE_PREFIXES = (
    "what is",
    "what's",
    "whats",
    "what are",
    "what is a",
    "define",
    "definition of",
    "meaning of",
    "glossary",
    "term",
    "shabd",
    "शब्द",
)
DEFINE_SUFFIXES = (
    "kya hai",
    "kya hota hai",
    "kya hote hain",
    "kya hain",
    "kya he",
    "kya h",
    "kya",
    "ka matlab kya hai",
    "ka matlab",
    "ka meaning",
    "matlab",
    "meaning",
    "means",
    "क्या है",
    "क्या होता है",
    "क्या होते हैं",
    "क्या हैं",
    "का मतलब क्या है",
    "का मतलब",
    "मतलब",
    "क्या",
)
ABOUT_SUFFIXES = (
    "ke baare mein batao",
    "ke bare me batao",
    "ke baare me batao",
    "ke bare mein batao",
    "ke baare mein",
    "के बारे में बताओ",
    "के बारे में",
)

# filler words that end a name ("loss functions"): kept at the end of a topic
NAME_PARTS = frozenset({"function", "functions", "फंक्शन"})

# small words that carry no argument: removed before a topic or term is read
FILLER = frozenset(
    {
        "me",
        "mujhe",
        "mera",
        "meri",
        "my",
        "on",
        "about",
        "for",
        "of",
        "the",
        "a",
        "an",
        "please",
        "plz",
        "pls",
        "pe",
        "par",
        "पर",
        "se",
        "से",
        "ka",
        "ki",
        "ke",
        "का",
        "की",
        "के",
        "karo",
        "kar",
        "करो",
        "kijiye",
        "कीजिए",
        "do",
        "दो",
        "lo",
        "लो",
        "give",
        "start",
        "take",
        "let's",
        "lets",
        "let",
        "us",
        "i",
        "want",
        "to",
        "can",
        "you",
        "mein",
        "में",
        "batao",
        "बताओ",
        "bolo",
        "बोलो",
        "speak",
        "talk",
        "in",
        "switch",
        "set",
        "use",
        "reply",
        "chahiye",
        "चाहिए",
        "change",
        "with",
        "some",
        "ek",
        "एक",
        "questions",
        "question",
        "prashn",
        "प्रश्न",
        "function",
        "functions",
        "फंक्शन",
        "show",
        "tell",
        "now",
        "again",
        "is",
        "and",
        "what",
        "how",
        "kaise",
        "कैसे",
        "hai",
        "है",
        "this",
        "open",
    }
)

# the word after a language name that makes it a request for one ("hindi mein")
LANGUAGE_PARTICLES = frozenset({"mein", "me", "main", "में", "मे"})
# words before a term that do not change it ("a bias", "ek neuron")
ARTICLES = frozenset({"a", "an", "the", "ek", "एक"})

"""The words the training-request parser knows: Devanagari spellings, phrases, fillers, and names it refuses.

Plain tables, no logic; `bot.training.parse` applies them. Imported by the main process (no torch).
"""

from __future__ import annotations

# Devanagari (and Hindi) words -> the English/Hinglish word the rules understand; replaced as whole words
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
    "मॉडल": "model",
    "डेटासेट": "dataset",
    "डेटा": "data",
    "ट्रेन": "train",
    "प्रशिक्षित": "train",
    "प्रशिक्षण": "train",
    "सिखाओ": "train",
    "चलाओ": "train",
    "तुलना": "compare",
    "एपॉक्स": "epochs",
    "एपॉक": "epochs",
    "एपोक्स": "epochs",
    "एपोक": "epochs",
    "लर्निंग रेट": "lr",
    "ग्रेडिएंट डिसेंट": "gradient descent",
    "ग्रेडियंट डिसेंट": "gradient descent",
    "स्टोकेस्टिक": "stochastic",
    "वाला": "wala",
    "वाली": "wali",
    "वाले": "wale",
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
    "की": "ki",
    "से": "se",
    "पर": "par",
    "के साथ": "with",
    "करो": "karo",
    "करें": "karo",
    "कीजिए": "karo",
    "मेरे लिए": "please",
    "कृपया": "please",
}
DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९−–", "0123456789--")

# multi-word phrases -> one token (on lower-case text, in this order)
PHRASES: list[tuple[str, str]] = [
    (r"\bbinary[ _-]?cross[ _-]?entropy\b", " bce "),
    (r"\bcross[ _-]?entropy\b", " ce "),
    (r"\bmean[ _-]squared?[ _-]error\b", " mse "),
    (r"\bmean[ _-]absolute[ _-]error\b", " mae "),
    (r"\bleaky[ _-]?relu\b", " leaky_relu "),
    (r"\b(mse|mae|bce|ce|l1|l2)[ _-]?loss\b", r" \1 loss "),
    # the lessons' names: gradient descent is sgd, "SGD with momentum" (either order) is momentum
    (r"\b(?:stochastic[\s_-]+)?gradient[\s_-]+descent\b", " sgd "),
    (r"\b(?:sgd|gd)[\s_-]*(?:with|\+|w/)[\s_-]*momentum\b", " momentum "),
    (r"\bmomentum[\s_-]+(?:with|ke[\s_-]+sa+th|wa+la|wa+li|wa+le|vala)[\s_-]+(?:sgd|gd)\b", " momentum "),
    (r"\blearning[ _-]?rate\b", " lr "),
    (r"\bmulti[ _-]?layer(?:ed)?[ _-]perceptrons?\b", " mlp "),
    # a perceptron is the network without a hidden layer (so "one layer" here is not a hidden layer)
    (r"\bsingle[ _-]layer(?:ed)?(?:[ _-]perceptrons?)?\b", " perceptron "),
    (r"\b(?:no|without(?: a| any)?|bina)[ _-]hidden[ _-]layers?\b", " perceptron "),
    (r"\by\s*=\s*2\s*\*?\s*x\b", " linear "),
    (
        r"\b(?:all|every|each|sab|saare|sare|sabhi)(?: the| of the| 4| four)? optimi[sz]ers?\b",
        " all_optimizers ",
    ),
    (r"\bxor[ _-]gate\b", " xor "),
    (r"\band[ _-]gate\b", " AND "),
    (r"\bor[ _-]gate\b", " OR "),
]

NUMBER_WORDS = {"one": 1, "ek": 1, "a": 1, "single": 1, "two": 2, "do": 2, "three": 3, "teen": 3, "four": 4}
NUMBER_WORDS |= {"char": 4, "five": 5, "paanch": 5}

TRAIN_WORDS = {"train", "training", "fit", "run", "learn", "karo", "sikhao", "chalao", "sikha", "seekho"}
TRAIN_WORDS |= {"prashikshan", "trian"}
COMPARE_WORDS = {"compare", "comparison", "vs", "versus", "tulna", "mukabla", "muqabla", "against"}

# ordinary words: never a name, never refused, wherever they stand
STOPWORDS = {
    "train", "training", "fit", "run", "learn", "with", "using", "via", "on", "for", "the", "a", "an",
    "and", "or", "of", "to", "in", "me", "please", "pls", "plz", "can", "could", "would", "you", "model",
    "models", "dataset", "data", "problem", "optimizer", "optimiser", "optimizers", "optimisers",
    "activation", "loss", "function", "network", "neural", "net", "hidden", "layer", "layers", "neurons",
    "neuron", "units", "unit", "nodes", "node", "epochs", "epoch", "lr", "seed", "by", "karo", "kar",
    "kare", "karein", "ko", "se", "par", "pe", "aur", "mein", "ka", "ki", "ke", "hai", "hain",
    "kijiye", "karna", "karke", "chahiye", "ek", "do", "teen", "gate", "compare", "vs", "versus", "tulna",
    "between", "it", "this", "that", "is", "at", "show", "how", "does", "what", "sikhao", "chalao", "let",
    "lets", "try", "now", "then", "each", "per", "all", "one", "two", "three", "four", "five", "against",
    "set", "sabhi", "sab", "saare", "mujhe", "dikhao", "batao", "simple", "small", "tiny", "classifier",
    "my", "mine", "mera", "mere", "meri", "liye", "lie", "wala", "wali", "wale", "ya", "bhi", "hi", "toh",
    "na", "ji", "yaar", "bhai", "jaldi", "abhi", "phir", "thoda", "zara", "jara", "kya", "kaise", "i",
    "we", "us", "our", "want", "like", "make", "build", "create", "give", "get", "go", "start", "again",
    "quickly", "fast", "quick", "default", "defaults", "settings", "setting", "standard", "normal",
    "usual", "more", "less", "some", "new", "fresh", "than", "add", "also", "just", "only", "same",
    "hey", "hello", "ok", "okay", "bot", "tutor", "thanks", "thank", "be", "see", "watch", "plot",
    "curve", "graph", "demo", "example", "task", "classification", "from", "into", "as", "so", "its",
    "banao", "bana", "dena", "de", "dijiye", "samjhao", "times", "baar", "results", "result", "accuracy",
    "high", "higher", "low", "lower", "big", "bigger", "large", "larger", "smaller", "huge",
    "moment", "moments", "linearly", "linearity", "nonlinear", "non_linear", "nonlinearity", "separable",
}  # fmt: skip

# words that name a kind of thing without being one ("epochs", "optimizer"): a typo of them is harmless
KEYWORDS = (
    "epochs", "seed", "hidden", "layers", "neurons", "optimizer", "activation", "dataset", "network",
    "function", "model", "train", "training", "compare", "please", "learning", "rate",
)  # fmt: skip

# real names the bot does not offer: refused as unknown (with the closest offered name), never ignored
UNSUPPORTED: dict[str, str] = {
    **dict.fromkeys(("mnist", "iris", "cifar", "cifar10", "titanic", "digits", "wine", "housing"), "dataset"),
    **dict.fromkeys(("adamw", "adagrad", "adadelta", "adamax", "nadam", "radam", "nesterov"), "optimizer"),
    **dict.fromkeys(("lbfgs", "lion"), "optimizer"),
    **dict.fromkeys(("gelu", "elu", "selu", "silu", "swish", "mish", "softplus", "softmax"), "activation"),
    **dict.fromkeys(("prelu", "relu6", "hardtanh", "step"), "activation"),
    **dict.fromkeys(("huber", "hinge", "nll", "kl", "kldiv", "focal", "smooth_l1"), "loss"),
    **dict.fromkeys(("cnn", "rnn", "lstm", "gru", "transformer", "resnet", "convnet"), "model"),
}

# settings a learner may expect but a request cannot set: refused, never silently left out
UNSUPPORTED_OPTIONS = {
    "batch", "batches", "batch_size", "minibatch", "dropout", "weight_decay", "regularization",
    "regularisation", "scheduler", "schedule", "warmup", "beta", "betas", "gpu", "cuda",
}  # fmt: skip

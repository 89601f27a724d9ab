"""The intent router: a table of real phrasings in English, Hinglish and Devanagari, and fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.chat import INTENT_KINDS, Intent, route
from bot.chat.lookup import find_lesson
from bot.content.catalog import Catalog
from bot.content.loader import load_default_catalog

# (text, kind, expected arguments)
CASES: list[tuple[str, str, dict[str, object]]] = [
    ("backprop kya hai?", "glossary", {"term": "backprop"}),
    ("Backprop kya hota hai", "glossary", {"term": "backprop"}),
    ("बैकप्रोप क्या है?", "glossary", {"term": "बैकप्रोप"}),
    ("relu kya hai", "glossary", {"term": "relu"}),
    ("what is gradient descent?", "glossary", {"term": "gradient descent"}),
    ("define an epoch", "glossary", {"term": "epoch"}),
    ("loss function ka matlab", "glossary", {"term": "loss function"}),
    ("train XOR with Adam", "train", {}),
    ("xor ko adam se train karo", "train", {}),
    ("trian xor adam lr 0.1", "train", {}),
    ("xor adam lr 0.05", "train", {}),
    ("moons पर sgd से ट्रेन करो", "train", {}),
    ("quiz me on activation functions", "quiz", {"topic": "activation functions"}),
    ("quiz me on loss functions", "quiz", {"topic": "loss functions"}),
    ("perceptron on xor", "train", {}),
    ("relu network on xor with adam, seed 7", "train", {}),
    ("mlp on moons", "train", {}),
    ("sigmoid network on circles for 300 epochs", "train", {}),
    ("एक्सओआर पर perceptron", "train", {}),
    ("what is xor", "glossary", {"term": "xor"}),
    ("xor kya hai", "glossary", {"term": "xor"}),
    ("thanks", "thanks", {}),
    ("thank you so much!", "thanks", {}),
    ("shukriya", "thanks", {}),
    ("bahut shukriya ji", "thanks", {}),
    ("धन्यवाद", "thanks", {}),
    ("asdkjh qwe zzz", "unknown", {}),
    ("qiuz me on backprop", "quiz", {"topic": "backprop"}),
    ("activation pe 5 sawal do", "quiz", {"topic": "activation", "count": 5}),
    ("क्विज़ perceptron पर", "quiz", {"topic": "perceptron"}),
    ("quiz", "quiz", {"topic": None}),
    ("compare sgd and adam on xor", "compare", {}),
    ("xor pe sgd vs adam", "compare", {}),
    ("optimizers ki tulna karo", "compare", {}),
    ("show relu", "activation", {"term": "relu"}),
    ("sigmoid dikhao", "activation", {"term": "sigmoid"}),
    ("plot leaky relu", "activation", {"term": "leaky_relu"}),
    ("show activations", "activation", {"term": None}),
    ("show backprop", "backprop", {}),
    ("backprob walkthrough with numbers", "backprop", {}),
    ("hindi mein batao", "language", {"lang": "hi"}),
    ("language hindi", "language", {"lang": "hi"}),
    ("switch to english", "language", {"lang": "en"}),
    ("हिंदी में बताओ", "language", {"lang": "hi"}),
    ("dono languages", "language", {"lang": "both"}),
    ("help", "help", {}),
    ("madad", "help", {}),
    ("मदद", "help", {}),
    ("hepl", "help", {}),
    ("lesson 3", "lesson", {"topic": "3", "count": 3}),
    ("teach me perceptrons", "lesson", {"topic": "perceptrons"}),
    ("neuron ke baare mein batao", "lesson", {"topic": "neuron"}),
    ("perceptron samjhao", "lesson", {"topic": "perceptron"}),
    ("explain backprop in hindi", "lesson", {"topic": "backprop", "lang": "hi"}),
    ("lesoon on activation", "lesson", {"topic": "activation"}),
    ("next", "lesson", {"nav": "next"}),
    ("aage", "lesson", {"nav": "next"}),
    ("पिछला", "lesson", {"nav": "prev"}),
    ("review", "review", {}),
    ("mujhe dohrao", "review", {}),
    ("show my progress", "progress", {}),
    ("meri pragati", "progress", {}),
    ("leaderboard this week", "leaderboard", {"period": "week"}),
    ("leaderbord", "leaderboard", {"period": None}),
    # 'saal' (a year) is a word of its own, not a typo of 'sawal' (a question)
    ("saal ka leaderboard", "leaderboard", {"period": None}),
    ("sawal do", "quiz", {}),
    ("relu kya hai hindi mein", "glossary", {"term": "relu", "lang": "hi"}),
    ("हिंदी में relu क्या है", "glossary", {"term": "relu", "lang": "hi"}),
    ("the weather in delhi tomorrow looks quite nice", "unknown", {}),
]


@pytest.mark.parametrize(("text", "kind", "args"), CASES, ids=[c[0] for c in CASES])
def test_route_table(text: str, kind: str, args: dict[str, object]) -> None:
    intent = route(text)
    assert intent.kind == kind, intent
    for name, value in args.items():
        assert getattr(intent, name) == value, intent


def test_discord_mentions_are_stripped() -> None:
    intent = route("<@1234567890> backprop kya hai? @everyone <@&42> <#77>")
    assert intent.kind == "glossary"
    assert intent.term == "backprop"
    assert "<@" not in intent.raw and "@everyone" not in intent.raw


def test_training_requests_keep_the_raw_text_for_the_parser() -> None:
    intent = route("<@!99> train XOR with Adam lr 0.1 epochs 50")
    assert intent.raw == "train XOR with Adam lr 0.1 epochs 50"


def test_quit_is_not_read_as_a_quiz() -> None:
    assert route("quit").kind != "quiz"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_routes_to_an_intent(text: str) -> None:
    intent = route(text)
    assert isinstance(intent, Intent)
    assert intent.kind in INTENT_KINDS
    assert intent.lang in (None, "hi", "en", "both")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["quiz", "train", "xor", "adam", "क्या", "है", "kya", "hai", "show", "relu", "<@1>", "5"]
        )
        | st.text(max_size=12),
        max_size=12,
    )
)
def test_word_salad_routes_to_an_intent(words: list[str]) -> None:
    intent = route(" ".join(words))
    assert intent.kind in INTENT_KINDS
    assert intent.count is None or 0 < intent.count <= 100


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_default_catalog()


@pytest.mark.parametrize(
    ("text", "kind", "term"),
    [
        ("relu", "glossary", "relu"),
        ("xor", "glossary", "xor"),
        ("gradient descent", "glossary", "gradient descent"),
        ("asdkjh qwe zzz", "unknown", None),
        ("ok", "unknown", None),
        ("zorbulator", "unknown", None),
    ],
)
def test_bare_words_are_glossary_look_ups_only_when_the_catalog_knows_them(
    catalog: Catalog, text: str, kind: str, term: str | None
) -> None:
    intent = route(text, catalog)
    assert (intent.kind, intent.term) == (kind, term)


def test_bare_words_without_a_catalog_are_not_guessed_as_terms() -> None:
    assert route("asdkjh qwe zzz").kind == "unknown"
    assert route("zorbulator kya hai").kind == "glossary"  # a question about a term still is one


def test_a_training_sentence_is_not_a_lesson_even_with_a_catalog(catalog: Catalog) -> None:
    assert route("perceptron on xor", catalog).kind == "train"
    assert route("perceptron", catalog).kind == "glossary"


@pytest.mark.parametrize(
    ("topic", "lesson"),
    [
        ("loss functions", "loss-optim"),
        ("loss", "loss-optim"),
        ("activation functions", "activation"),
        ("3", "activation"),
        ("the gradient", "backprop"),
    ],
)
def test_find_lesson_takes_the_whole_topic_then_its_parts(catalog: Catalog, topic: str, lesson: str) -> None:
    found = find_lesson(catalog, topic)
    assert found is not None and found.id == lesson


@pytest.mark.parametrize("topic", ["underwater basket weaving", "quantum chromodynamics 5", "zorbulator"])
def test_find_lesson_refuses_what_no_lesson_names(catalog: Catalog, topic: str) -> None:
    assert find_lesson(catalog, topic) is None


def test_the_quiz_topic_of_every_phrasing_finds_its_lesson(catalog: Catalog) -> None:
    for text, lesson in [
        ("quiz me on loss functions", "loss-optim"),
        ("quiz me on activation functions", "activation"),
        ("activation pe 5 sawal do", "activation"),
        ("loss functions ka quiz", "loss-optim"),
    ]:
        topic = route(text).topic
        assert topic is not None, text
        found = find_lesson(catalog, topic)
        assert found is not None and found.id == lesson, (text, topic)


# comparison and why-questions, answered from content/concepts.yaml (so they need the catalog)
CONCEPT_CASES: list[tuple[str, str]] = [
    ("relu aur sigmoid me kya fark hai", "relu-vs-sigmoid"),
    ("difference between sgd and adam", "sgd-vs-adam"),
    ("mse vs mae", "mse-vs-mae"),
    ("why does my loss go up?", "why-loss-goes-up"),
    ("why XOR needs a hidden layer", "why-xor-needs-a-hidden-layer"),
    ("रेलू और सिग्मॉइड में क्या फ़र्क़ है", "relu-vs-sigmoid"),
    ("रेलू और सिग्मॉइड में क्या फर्क है", "relu-vs-sigmoid"),  # without the nukta
    ("why is relu better than sigmoid", "relu-vs-sigmoid"),  # a why-question that compares
    ("sgd vs adam", "sgd-vs-adam"),
    ("gradient descent aur adam me antar", "sgd-vs-adam"),
    ("loss kyon badh raha hai", "why-loss-goes-up"),
    ("मेरा loss क्यों बढ़ रहा है", "why-loss-goes-up"),
    ("mera loss atka hua hai, kyun?", "why-loss-is-stuck"),
    ("XOR ko hidden layer kyun chahiye", "why-xor-needs-a-hidden-layer"),
    ("why can't a perceptron solve xor", "why-xor-needs-a-hidden-layer"),
    ("perceptron aur mlp me kya antar hai", "perceptron-vs-mlp"),
    ("what is the difference between a loss function and an optimizer", "loss-vs-optimizer"),
    ("epoch aur batch me kya fark hai", "epoch-vs-batch"),
    ("training loss vs test loss", "train-vs-test-loss"),
    ("why do we need activation functions", "why-activation-functions"),
    ("why optimizer.zero_grad()", "why-zero-grad"),
    ("gradient vanish kyon hota hai", "why-vanishing-gradient"),
    ("sigmoid vs tanh", "sigmoid-vs-tanh"),
    ("softmax aur sigmoid me fark", "sigmoid-vs-softmax"),
    ("forward pass aur backward pass me fark", "forward-vs-backward-pass"),
    ("why is training so slow", "why-training-is-slow"),
    ("ek sawal: relu aur sigmoid me kya fark hai", "relu-vs-sigmoid"),  # "sawal" is a question here
]


@pytest.mark.parametrize(("text", "concept"), CONCEPT_CASES, ids=[c[0] for c in CONCEPT_CASES])
def test_comparison_and_why_questions_route_to_their_concept(
    catalog: Catalog, text: str, concept: str
) -> None:
    intent = route(text, catalog)
    assert (intent.kind, intent.term) == ("concept", concept), intent


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("xor pe sgd vs adam", "compare"),  # a dataset named: the optimizer race, as before
        ("compare sgd and adam on xor", "compare"),
        ("compare sgd and adam", "compare"),  # the /compare verb stays a race
        ("optimizers ki tulna karo", "compare"),
        ("sigmoid aur tanh ke fark par quiz do", "quiz"),
        ("relu kya hai", "glossary"),
        ("why is the sky blue", "unknown"),  # a why-question the course does not answer
        ("train XOR with Adam", "train"),
    ],
)
def test_requests_that_only_look_like_concept_questions_keep_their_route(
    catalog: Catalog, text: str, kind: str
) -> None:
    assert route(text, catalog).kind == kind


def test_a_quiz_request_is_never_a_concept_question(catalog: Catalog) -> None:
    for text in ("quiz me on sigmoid vs tanh", "relu vs sigmoid quiz", "परीक्षा: relu और sigmoid में फ़र्क़"):
        assert route(text, catalog).kind != "concept", text


def test_without_a_catalog_no_concept_is_guessed() -> None:
    assert route("relu aur sigmoid me kya fark hai").kind != "concept"

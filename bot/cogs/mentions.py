"""Commands named in a reply ("/quiz neuron") as Discord's clickable mentions `</quiz:id>`.

Discord shows a mention in the reader's language (a Hindi client reads /क्विज़) and runs the command when
it is clicked; the ids are those of the last sync. The console keeps the plain names it can type.
"""

from __future__ import annotations

import re

CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)  # where a mention would show as raw text


def mention_commands(text: str, ids: dict[str, int]) -> str:
    """`text` with each "/name" of a synced command as its mention `</name:id>`; not inside code (where
    Discord shows the raw form) nor right after "(" (the English name given beside a Hindi one)."""
    if not ids or "/" not in text:
        return text
    names = "|".join(re.escape(name) for name in sorted(ids, key=len, reverse=True))
    command = re.compile(rf"(?<![\w/<:.(])/({names})(?![\w-])")

    def mentioned(prose: str) -> str:
        return command.sub(lambda match: f"</{match[1]}:{ids[match[1]]}>", prose)

    out, start = [], 0
    for code in CODE.finditer(text):
        out += [mentioned(text[start : code.start()]), code.group()]
        start = code.end()
    return "".join([*out, mentioned(text[start:])])

"""Run many Python snippets in ONE process (torch imported once), each in a fresh namespace.

Reads a JSON list of {"id", "source"} on stdin; writes a JSON list of {"id", "stdout", "error"}.
Used by test_code_samples.py; kept as a script so the test process never imports torch.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback

import torch


def run(snippet_id: str, source: str) -> dict[str, str | None]:
    """Execute `source` as a fresh __main__ module and capture what it prints."""
    # a snippet may change global settings; each one starts from the defaults, as in its own process
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
    buffer = io.StringIO()
    error = None
    try:
        with contextlib.redirect_stdout(buffer):
            exec(compile(source, f"<{snippet_id}>", "exec"), {"__name__": "__main__"})
    except BaseException:  # report any failure of the snippet, including SystemExit
        error = traceback.format_exc(limit=-3)
    return {"id": snippet_id, "stdout": buffer.getvalue(), "error": error}


def main() -> None:
    snippets = json.load(sys.stdin)
    json.dump([run(s["id"], s["source"]) for s in snippets], sys.stdout)


if __name__ == "__main__":
    main()

"""The offline console: the same use cases as Discord, typed as text; pictures saved under --out-dir."""

from bot.console.terminal import run_console

__all__ = ["run_console"]

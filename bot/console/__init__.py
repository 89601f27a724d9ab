"""The offline console: the same use cases as Discord, typed as text; pictures saved under --out-dir.

`bot.console.terminal.run_console` runs it; `bot.console.first_line` shows the prompt before the core is
built (this package's own import stays light for that).
"""

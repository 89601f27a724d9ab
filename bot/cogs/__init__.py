"""The Discord front door: the only package that imports discord (TutorBot, cogs, views, embeds)."""

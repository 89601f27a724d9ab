"""Lessons, quizzes and the glossary: schema, loading with file:line errors, lookup."""

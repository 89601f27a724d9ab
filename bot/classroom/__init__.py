"""A server's class, without Discord: its settings, report, assignments, uploaded questions, resets and
live quizzes, over the database (each service takes the session factory, like bot.quiz and bot.progress)."""

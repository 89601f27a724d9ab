"""Quizzes without Discord: grading per question kind, sessions kept in the database, FSRS review."""

"""Progress: XP, daily streaks in the learner's time zone, mastery, leaderboards, stats."""

"""The use cases, once for both front doors: each takes (tutor, learner, ...) and returns a typed Reply."""

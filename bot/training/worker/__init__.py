"""The worker side of training: the only code in the bot that imports torch and matplotlib.

It runs inside the executor's worker processes (and in the command line, which is not the bot):
datasets, models, the training loop, the batched multi-optimizer trainer, the learning-rate sweep, the
backprop walkthrough, explanations of runs, and every picture (`draw/`). `tasks.py` holds the entry
points the executor calls; they take plain data and return `bot.training.results` dataclasses.
"""

"""Training demos: what a learner may train, a free-text parser, the jobs, and the worker side.

The main process uses `spec`, `parse` (+ `parse_words`), `results`, `jobs` (the one place naming worker
entry points, and the `Jobs` façade), `executor` (the warm pool) and `export`; none of them imports
torch or matplotlib. `worker/` is the only code that does; it runs in the executor's processes.
"""

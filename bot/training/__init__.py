"""Training demos: specs, a free-text parser, PyTorch jobs in a warm worker pool, and every picture.

The main process imports only `spec`, `parse`, `pool` and `export` from here; the modules that import
torch or matplotlib run inside the worker processes (see docs/architecture.md).
"""

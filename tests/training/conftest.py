"""Tests here run torch in the test process: one intra-op thread, like the workers (see runner.train)."""

from __future__ import annotations

import torch

torch.set_num_threads(1)

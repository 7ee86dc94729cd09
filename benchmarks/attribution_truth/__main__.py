"""``python -m benchmarks.attribution_truth``: see benchmarks.attribution_truth.cli."""

import sys

from benchmarks.attribution_truth.cli import main

sys.exit(main())

"""Runs a workload with debugpy listening (no client attached): debugpy's tracing is installed
when listen() returns, so this is the cost of "debugger attached, no breakpoint hit"."""

import runpy
import sys

import debugpy

debugpy.listen(("127.0.0.1", 0))
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")

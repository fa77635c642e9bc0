"""Debugger core: breakpoints, stepping, frames, variables, evaluation, exception stops."""

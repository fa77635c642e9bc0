"""A module the workloads never run: the benchmark's breakpoint is set here, so it is never hit."""


def never_called():
    value = 1  # breakpoint line
    return value

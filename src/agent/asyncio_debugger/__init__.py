"""Asyncio Debugger agent: runs inside the debugged Python process (stdlib only)."""

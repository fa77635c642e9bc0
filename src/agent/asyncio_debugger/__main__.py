"""`python -m asyncio_debugger launch|record ...`"""

import sys

from asyncio_debugger.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

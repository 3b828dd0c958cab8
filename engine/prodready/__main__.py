import sys

from prodready.cli import main

sys.exit(main())

import sys

from uireview.cli import main

sys.exit(main())

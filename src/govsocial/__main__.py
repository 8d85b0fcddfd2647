import sys

from govsocial.cli import main

sys.exit(main())

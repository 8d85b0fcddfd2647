#!/usr/bin/env python
"""Django's management commands for the agency workspace: ``python manage.py check --deploy``.

Everyday use goes through the ``govsocial`` command (serve, demo, migrate, audit verify).
"""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsocial.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

#!/usr/bin/env python
"""Django's manage.py, kept for habit; `touzi` is the same command."""

from touzi.cli import main

if __name__ == "__main__":
    main()

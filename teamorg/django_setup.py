"""Importing this module sets Django up. For a process started by the standard library that can
only import modules before it runs anything (the handbook's rendering server,
roles.documents.handbook): it imports this first, then modules that need the apps loaded."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamorg.settings")
django.setup()

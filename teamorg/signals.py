"""Signals the shell sends for the apps to hear (the shell imports no app)."""

from django.dispatch import Signal

# A tree node moved (`sender` is its model): its siblings' order changed even where no column
# the history records did.
tree_reshaped = Signal()

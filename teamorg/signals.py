"""Signals the shell sends for the apps to hear (the shell imports no app)."""

from django.dispatch import Signal

# A tree's order changed (`sender` is its model), even where no column the history records
# did. `node`, when given, is the node just moved, as stored now: it (with its subtree) is all
# that changed place. Without it, the sender does not say what moved (an import).
tree_reshaped = Signal()

"""Signals other capabilities listen to, so that patients never imports them."""

from django.dispatch import Signal

# Sent inside the transaction of every episode transition, after the new state is saved:
# episode, source, target, by, at. Receivers write in the same transaction.
episode_state_changed = Signal()

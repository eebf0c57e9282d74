"""Accuracy evaluations (`make eval`): datelines and places, language ID, entities."""

"""The registration wizard, rendered from the form definition (no question is hard-coded here)."""

"""`wirestream web`: a live newsroom page of the enriched stream (read-only, served on loopback)."""

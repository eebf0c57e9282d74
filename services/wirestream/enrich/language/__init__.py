"""Language identification: `detector` (the ensemble and its decision), `models` (fastText, CLD3
and langid, loaded from their wheels), `sample` (what of an article the models read), `scripts`
(writing systems and their shortcuts), `close` (cues between close languages)."""

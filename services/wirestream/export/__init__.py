"""The published contract, generated from the code: JSON Schema files and the AsyncAPI document
that the repository's `schemas/` folder holds for downstream teams (`make schemas`)."""

"""Places: `geonames` (the GeoNames data from its package, indexed), `gazetteer` (names to places,
countries, regions), `places` (an article's places resolved and located), `place_names` (places
found in any script where no NER model reads the language)."""

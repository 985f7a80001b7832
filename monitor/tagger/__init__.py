"""The tagger: find which places, countries and materials a news item or feed report is about.

`places` recognises countries, subdivisions, cities, ports and waterways and ranks the affected
countries; `materials` recognises the materials of `monitor/data/materials.json`; `gazetteer`
loads and indexes the data behind both once per process. Every name, phrase and word list the
tagger knows lives in `data/` (its README.md says each file's format), read on first use.
"""

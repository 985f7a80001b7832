"""The Faust app: topics, records, agents and tables of the pipeline."""

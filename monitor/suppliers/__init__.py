"""The supplier directory: schemas, import/export, the demo directory and service functions."""

"""API keys: their table, how they are made, verified and cached, and the failed-key throttle."""

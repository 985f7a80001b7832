"""Deliver buyer alerts: store them once, then send them by webhook and e-mail.

The stream's deliver agent calls `store.save_alert` for each alert message; `sender.run_deliveries`
sends what is due, retrying with backoff, on its own loop beside the stream.
"""

"""Buyers and their watches: who is alerted, about what, and how."""

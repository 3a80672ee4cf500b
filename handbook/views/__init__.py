"""The handbook's HTML views, by concern: teams, reading pages, editing pages."""

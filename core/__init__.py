"""What every app shares: cache layers and data versions, API conventions, migration helpers.

Apps import from here; `config/` only wires apps together (settings, URLs, Celery) and is
imported by nothing but Django itself, so imports run one way: config -> apps -> core.
"""

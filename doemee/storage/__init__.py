"""The collectives database: typed models, sessions and migrations."""

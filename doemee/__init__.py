"""DoeMee's domain: storage, Dutch geography and matching.

Nothing in this package imports Rasa, Telegram or a web framework, so the
action server, the channels, the command line and the benchmarks share one
implementation of every rule.
"""

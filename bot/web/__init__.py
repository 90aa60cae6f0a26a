"""The web gateway: serves the chat widget and a demo page, proxies chat to Rasa.

Rasa's own HTTP API stays on loopback; browsers only ever talk to this
gateway, which checks origins, validates input and limits the rate first.
"""

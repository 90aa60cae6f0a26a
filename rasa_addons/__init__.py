"""Extensions that run inside the Rasa server (Rasa environment, Python 3.10).

Rasa imports this package when it creates the tracker store named in
endpoints.yml, at start-up and before any message: the one moment our code
runs inside the server, so the reply check, the turn gate, the
start-up freeze, the cleaning of incoming text and the redaction of
logs are installed here.
"""

from rasa_addons import action_replies, incoming_text, private_logs, startup_objects, turn_gate

action_replies.install()
turn_gate.install()
startup_objects.install()
incoming_text.install()
private_logs.install()

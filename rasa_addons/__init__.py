"""Extensions that run inside the Rasa server (Rasa environment, Python 3.10)."""

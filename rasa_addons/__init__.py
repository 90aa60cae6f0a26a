"""Extensions that run inside the Rasa server (Rasa environment, Python 3.10).

Importing this package changes nothing: `rasa_addons.serve` installs the
patches explicitly at start-up (rasa_addons.patches), and the tracker and
lock stores named in endpoints.yml are plain classes.
"""

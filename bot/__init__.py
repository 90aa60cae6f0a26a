"""DoeMee's channels: the web gateway with its widget, and Telegram.

Channels only carry messages between people and Rasa. They never write to
the database; what they show from it they read through the doemee package.
"""

"""DoeMee on Telegram: residents chat with the assistant and get alerts.

Run with `python -m bot.telegram` (settings in `bot.telegram.config`).
"""

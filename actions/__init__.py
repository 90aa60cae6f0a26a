"""DoeMee's custom actions for the rasa-sdk action server.

Each action is thin: it reads the tracker (`actions.tracker`), asks the
domain in `doemee` (off the event loop), and renders Dutch text and buttons
(`actions.render`). Failures become a Dutch apology (`actions.safety`).
"""

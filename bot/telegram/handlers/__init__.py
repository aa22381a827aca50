"""The bot's two handlers: `messages` (every kind of message, sorted by plain checks) and
`buttons`; bot.telegram.routers registers them.

Handlers only translate (bot.telegram.incoming) and hand the event to the pipeline. They
never answer directly: replies are written to the outbox in the update's transaction and
delivered by the outbox sender.
"""

"""A module per kind of message, each with its handler function; bot.telegram.handlers.messages
sorts messages to them, and bot.telegram.routers registers that and the button handler.

Handlers only translate (bot.telegram.incoming) and hand the event to the pipeline. They
never answer directly: replies are written to the outbox in the update's transaction and
delivered by the outbox sender.
"""

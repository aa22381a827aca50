"""One Router per module; bot.telegram.routers assembles them under the scope filter.

Handlers only translate (bot.telegram.incoming) and hand the event to the pipeline. They
never answer directly: replies are written to the outbox in the update's transaction and
delivered by the outbox sender.
"""

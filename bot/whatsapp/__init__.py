"""The WhatsApp channel (Meta's Cloud API): webhook, adapter to the channel-free dialog, and
the outbox sender with the 24-hour window and templates (R38).

    webhook.py    GET/POST /webhooks/whatsapp; the part's runtime (processor, client)
    signature.py  X-Hub-Signature-256
    processor.py  stored webhook events -> pipeline (messages) and statuses
    payloads.py   webhook bodies read into plain values
    incoming.py   messages -> Incoming; media.py downloads photos and documents
    paging.py     the "more options" row of long lists
    render.py     Reply -> Cloud API messages; templates.py R38 templates
    sender.py     the ChannelSender; errors.py what each Cloud API error calls for
    graph.py      the thin Graph API client on aiohttp
"""

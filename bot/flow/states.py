"""Every state of the dialog, in one place (STYLE: states in one module).

A conversation's `state` column holds one of these strings, so a chat resumes at the same step
after a restart. The values are stored: renaming one needs a data migration.
"""

from __future__ import annotations

START = "start"  # a chat never seen before (the storage default)

# language and consent (R36)
LANGUAGE = "language"
CONSENT = "consent"

MENU = "menu"

# booking: who applies
REPRESENTATION = "book.representation"  # self / another person / an organisation
NAME = "book.name"
IIN = "book.iin"  # R37
PHONE = "book.phone"

# booking: representatives (R7)
PRINCIPAL_NAME = "book.principal_name"
PRINCIPAL_ID = "book.principal_id"  # IIN of a person or BIN of an organisation
POWER_OF_ATTORNEY = "book.poa"

# booking: identity document (R7)
ID_TYPE = "book.id_type"
ID_NUMBER = "book.id_number"
ID_SCAN = "book.id_scan"  # only when the profile collects a scan

# booking: what and to whom (R2, R18.1)
TOPIC = "book.topic"
TOPIC_REDIRECT = "book.topic_redirect"  # a topic of central bodies: where to turn (R2)
OFFICIAL = "book.official"

# booking: the question and its admissibility (R16, R17, R18)
QUESTION = "book.question"
ADMISSIBILITY = "book.admissibility"
GROUNDS = "book.grounds"

# booking: how (R8, R9, R10, R11)
PRIORITY = "book.priority"
PRIORITY_PROOF = "book.priority_proof"
FORMAT = "book.format"
RECEPTION_LANGUAGE = "book.reception_language"
INTERPRETER = "book.interpreter"

# booking: when, and confirmation (R20, R21, R22)
SLOT = "book.slot"
SUMMARY = "book.summary"

# my requests (R17, R24, R40)
MY_REQUESTS = "my.list"
MY_REQUEST = "my.request"
WITHDRAW = "my.withdraw"
REQUEST_REPLY = "my.reply"  # answering a fix request or objecting in a hearing

SCHEDULE = "schedule"  # R6

BOOKING_STATES = frozenset(
    {
        REPRESENTATION,
        NAME,
        IIN,
        PHONE,
        PRINCIPAL_NAME,
        PRINCIPAL_ID,
        POWER_OF_ATTORNEY,
        ID_TYPE,
        ID_NUMBER,
        ID_SCAN,
        TOPIC,
        TOPIC_REDIRECT,
        OFFICIAL,
        QUESTION,
        ADMISSIBILITY,
        GROUNDS,
        PRIORITY,
        PRIORITY_PROOF,
        FORMAT,
        RECEPTION_LANGUAGE,
        INTERPRETER,
        SLOT,
        SUMMARY,
    }
)

"""What to do about a Cloud API error: wait, try again later, switch to a template, or stop.

Codes from Meta's error reference (Cloud API and Graph API). Throttling waits a fixed time and
does not count as a failed attempt; transient trouble is retried with the outbox's backoff;
a configuration problem (token, account, payment) is retried too, because an administrator
fixes it and the messages must then still go; anything else cannot improve by retrying.
"""

from __future__ import annotations

from enum import Enum

from bot.whatsapp.graph import GraphError

# Seconds to wait before trying again.
THROTTLED = {
    4: 60.0,  # application request limit
    80007: 60.0,  # WhatsApp Business Account rate limit
    130429: 1.0,  # throughput: more than WHATSAPP_RATE_PER_SECOND
    131056: 6.0,  # pair rate: too many messages to one citizen (about one per 6 s)
}
TRANSIENT = {
    1,  # API unknown
    2,  # API service
    131000,  # something went wrong
    131016,  # service unavailable
    131048,  # spam rate limit: back off
    133004,  # server temporarily unavailable
}
CONFIGURATION = {
    0,  # authentication exception
    3,  # capability
    10,  # permission denied
    190,  # access token expired
    200,  # permission error
    368,  # temporarily blocked for policy violations
    131031,  # business account locked
    131042,  # payment problem
    133010,  # phone number not registered
}
OUTSIDE_WINDOW = 131047  # "re-engagement message": more than 24 hours since the citizen wrote


class Remedy(Enum):
    WAIT = "wait"  # throttled: not before `retry_after`
    RETRY = "retry"  # with the outbox's backoff
    TEMPLATE = "template"  # R38: only a template may go now
    GIVE_UP = "give up"  # terminal: recorded for staff


def remedy(error: GraphError) -> Remedy:
    code = error.code
    if code in THROTTLED:
        return Remedy.WAIT
    if code == OUTSIDE_WINDOW:
        return Remedy.TEMPLATE
    if code in TRANSIENT or code in CONFIGURATION:
        return Remedy.RETRY
    if code is None or error.http_status == 0 or error.http_status >= 500:
        return Remedy.RETRY  # no answer, or Meta's own trouble
    if error.http_status == 429:
        return Remedy.WAIT
    return Remedy.GIVE_UP  # e.g. 100 invalid parameter, 131026 undeliverable, 132001 template


def wait_seconds(error: GraphError) -> float:
    return THROTTLED.get(error.code or 0, 1.0)


def is_configuration_problem(error: GraphError) -> bool:
    return error.code in CONFIGURATION

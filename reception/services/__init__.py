"""Use cases. Each takes an open unit of work and does not commit: the edge (a bot update, a
console request, a job) commits once, so the state change, the outbox rows and the audit record
land together or not at all."""

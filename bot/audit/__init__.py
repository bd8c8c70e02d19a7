"""The audit trail: an append-only, hash-chained record of every decision the assistant made.

Rasa publishes every event to an event broker (`AuditEventBroker`, configured in `endpoints.yml`),
after the tracker store has redacted it; the broker groups the events into turns and appends one
record per turn to the chain (`chain`). Records hold decisions only, never what anyone wrote.
"""

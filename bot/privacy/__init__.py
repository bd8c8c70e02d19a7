"""Privacy: consent before history, the customer's data rights, redaction and retention."""

"""The mail: planning what is due, sending each message exactly once, the e-mails themselves, the results of a
workshop, opting out and the bounces."""

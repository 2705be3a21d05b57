"""A locmem e-mail backend that fails on demand, for unit tests of the dispatch's error handling.
(The integration tests use a real SMTP server.)"""

from __future__ import annotations

from django.core.mail.backends.locmem import EmailBackend


class FailingBackend(EmailBackend):
    # address -> errors raised by the next sends to it, one per send
    failures: dict[str, list[Exception]] = {}
    opens = 0

    def open(self):
        FailingBackend.opens += 1
        return super().open()

    def send_messages(self, messages):
        for message in messages:
            queue = self.failures.get(message.to[0])
            if queue:
                raise queue.pop(0)
        return super().send_messages(messages)

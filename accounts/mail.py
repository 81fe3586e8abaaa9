"""The email backend of a production server that has no mail server configured (no EMAIL_URL or
EMAIL_HOST): it sends nothing and logs that a message was not sent, without its body, so that a password
reset link never reaches the logs."""

import logging

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger("infralearn.mail")


class UnsentEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            log.warning("email not sent: no mail server is configured (EMAIL_URL); %s recipient(s)", len(message.to))
        return 0


def can_send():
    return f"{__name__}.{UnsentEmailBackend.__name__}" != settings.EMAIL_BACKEND

"""One helper sends every email from a subject/text/html template triplet."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def send_templated_email(*, template: str, to: list[str], context: dict, language: str = "id") -> None:
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()


def send_invitation_email(invitation) -> None:
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    send_templated_email(
        template="invitation",
        to=[invitation.email],
        context={
            "invitation": invitation,
            "tenant": invitation.tenant,
            "accept_url": base + reverse("invitation_accept", args=[invitation.token]),
        },
    )

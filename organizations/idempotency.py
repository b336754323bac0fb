"""``Idempotency-Key`` for money-moving API requests: a replay gets the first response; the
same key with a different request gets 422. Concurrent duplicates: the second one's
transaction (its money movement included) rolls back on the unique key and it answers with the
first one's stored response."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from .models import IdempotencyRecord

KEY_REUSED = _("This Idempotency-Key was already used for a different request.")


def _fingerprint(request) -> str:
    body = request.data if isinstance(request.data, dict) else {}
    body = {k: v for k, v in body.items() if not hasattr(v, "read")}  # files are not hashed
    raw = json.dumps([request.method, request.path, body], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def idempotent(request, compute: Callable[[str | None], Response]) -> Response:
    """Run ``compute(ledger_key)`` at most once per key; ``ledger_key`` is passed down so the
    ledger's own unique key guards the money movement as well."""
    key = (request.headers.get("Idempotency-Key") or "").strip()[:100]
    if not key:
        return compute(None)
    fingerprint = _fingerprint(request)
    stored = _stored(request, key, fingerprint)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            response = compute(f"{request.user.pk}:{key}")
            if 200 <= response.status_code < 300:
                IdempotencyRecord.objects.create(
                    tenant=request.tenant, user=request.user, key=key, request_hash=fingerprint,
                    status_code=response.status_code, response=json.loads(json.dumps(response.data, default=str)),
                )  # fmt: skip
            return response
    except IntegrityError:
        stored = _stored(request, key, fingerprint)
        if stored is None:
            raise
        return stored


def _stored(request, key: str, fingerprint: str) -> Response | None:
    record = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
    if record is None:
        return None
    if record.request_hash != fingerprint:
        return Response({"error": {"code": "idempotency_key_reused", "message": str(KEY_REUSED)}}, status=422)
    return Response(record.response, status=record.status_code)

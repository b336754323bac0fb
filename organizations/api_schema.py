"""OpenAPI generation for the API: every operation documents the errors it can answer, in the
one error shape of ``api_base.exception_handler`` (``{"error": {"code", "message", "fields"?}}``),
decided here once from what the operation is rather than repeated on each view."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="`invalid` (with `fields`), a business rule's code such as `referenced`, "
        "`not_authenticated`, `authentication_failed`, `permission_denied`, `not_found`, "
        "`unsupported_media_type` or `idempotency_key_reused`."
    )
    message = serializers.CharField(help_text="In the request's language (Accept-Language).")
    fields = serializers.DictField(
        required=False,
        help_text="Field name → its messages (a list, or the same shape again for nested objects and lists).",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERRORS = {
    "400": "Bad input (`invalid`, with `fields`) or a business rule refused (its own `code`).",
    "401": "No valid token or session (`not_authenticated`, `authentication_failed`).",
    "403": "Your role may not do this (`permission_denied`), or the health office requires "
    "two-step verification of you first.",
    "404": "Not a tenant you belong to, no such object in it, or no such page (`not_found`).",
    "415": "The request body's content type is not accepted (`unsupported_media_type`).",
    "422": "This Idempotency-Key was already used for a different request (`idempotency_key_reused`).",
}


class ApiSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the error responses each operation can give. The
    responses are built with AutoSchema's own (underscored) helpers, as drf-spectacular's docs
    do for custom responses, so that they take the operation's media types like any other."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            if code not in responses:  # an operation's own description of an error wins
                error = OpenApiResponse(ErrorSerializer, description=ERRORS[code])
                responses[code] = self._get_response_for_code(error, code)
        return operation

    def _error_codes(self, operation: dict) -> list[str]:
        parameters = operation.get("parameters", [])
        in_tenant = "{tenant_slug}" in self.path
        paginated = self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
        codes = []
        # invalid filters and bodies, and business rules (which only refuse writes)
        if self.method not in SAFE_METHODS or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        codes.append("401")  # every API view requires authentication
        if in_tenant:
            codes.append("403")  # the role's permission, or two-step verification required
        if in_tenant or paginated:
            codes.append("404")  # no membership of the tenant, an object outside it, a page past the end
        if "requestBody" in operation:
            codes.append("415")
        if any(p["in"] == "header" and p["name"].lower() == "idempotency-key" for p in parameters):
            codes.append("422")
        return codes

"""Language selection: Bahasa Indonesia first."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Pages are in Bahasa Indonesia unless the person chose English with the language
    switcher (a cookie). The browser's Accept-Language is ignored for pages: many offices run
    browsers set to English, and the product's language must not depend on that. The API
    honours Accept-Language, so other systems can ask for English messages."""

    def process_request(self, request) -> None:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)

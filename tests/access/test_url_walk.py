"""Deny by default: every URL pattern and API route must declare who may use it."""

from django.urls import URLPattern, URLResolver, get_resolver

from earlyhelp.access_rules import rule_for

# Library views outside our control that serve no data: Django's static/media helpers.
IGNORED_PREFIXES = ("static/", "media/")


def _walk(patterns, prefix="", namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), spaces)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback, namespaces


def test_every_url_pattern_declares_an_access_rule():
    patterns = list(_walk(get_resolver().url_patterns))
    assert len(patterns) > 10
    missing = [
        route
        for route, callback, namespaces in patterns
        if not route.startswith(IGNORED_PREFIXES) and rule_for(callback, namespaces) is None
    ]
    assert not missing, f"URL patterns without an access rule: {missing}"


def test_a_view_without_a_rule_is_refused(rf, django_user_model):
    from django.core.exceptions import PermissionDenied

    from earlyhelp.middleware import AccessRuleMiddleware

    def undeclared(request):
        raise AssertionError("must not run")

    request = rf.get("/anything/")
    request.resolver_match = None
    request.user = django_user_model(email="x@example.test")
    middleware = AccessRuleMiddleware(lambda r: None)
    try:
        middleware.process_view(request, undeclared, (), {})
    except PermissionDenied:
        return
    raise AssertionError("an undeclared view was let through")

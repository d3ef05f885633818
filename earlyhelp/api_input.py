"""What an API view takes from a request: its input, checked by a serializer. Generic: the
kernel knows no domain app."""

from collections.abc import Mapping

from rest_framework import serializers

from earlyhelp.dates import within_the_calendar


def valid_input(serializer_class, request, *, also_check=None, **context) -> dict:
    """The request's data as `serializer_class` checks it: its validated data, or a 400 with
    the serializer's messages (DRF's ValidationError).

    `also_check(data)`: the rules the service holds the input to, as {field: message} of
    those `data` breaks (a nested input's message as {its field: [message]}). Asked of the
    fields the serializer took when another is wrong, so the 400 names every wrong field at
    once, not the serializer's alone."""
    serializer = serializer_class(data=request.data, context=context)
    if serializer.is_valid():
        return serializer.validated_data
    errors = dict(serializer.errors)
    if also_check is not None and isinstance(request.data, Mapping):
        taken = request.data.copy()
        for name in errors:
            taken.pop(name, None)
        rest = serializer_class(data=taken, partial=True, context=context)
        if rest.is_valid():
            for name, message in said_as_input_errors(
                also_check(dict(rest.validated_data))
            ).items():
                errors.setdefault(name, message)
    raise serializers.ValidationError(errors)


def said_as_input_errors(broken: dict) -> dict:
    """also_check's {field: message} as a 400 says them: {field: [message]}, a nested
    input's {its field: [message]} as it is."""
    return {k: v if isinstance(v, Mapping) else [v] for k, v in broken.items()}


def calendar_date(label: str, **kwargs) -> serializers.DateField:
    """An input date (YYYY-MM-DD) held to the same years as the pages' date fields
    (earlyhelp.dates.within_the_calendar), said with the page's `label`. A date after today
    is left to the services, which refuse it where the day something happened is asked."""
    validators = [*kwargs.pop("validators", ()), within_the_calendar(label)]
    return serializers.DateField(validators=validators, **kwargs)


def calendar_datetime(label: str, **kwargs) -> serializers.DateTimeField:
    """An input moment (ISO 8601) whose day is held to the calendar's years, as
    calendar_date."""
    validators = [*kwargs.pop("validators", ()), within_the_calendar(label)]
    return serializers.DateTimeField(validators=validators, **kwargs)

"""What an API view takes from a request: its input, checked by a serializer. Generic: the
kernel knows no domain app."""


def valid_input(serializer_class, request, **context) -> dict:
    """The request's data as `serializer_class` checks it: its validated data, or a 400 with
    the serializer's messages (DRF's ValidationError)."""
    serializer = serializer_class(data=request.data, context=context)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data

"""The API schema's generator: drf-spectacular's, with the error answers every operation can
give documented beside the ones each view declares. A module of its own: earlyhelp.api is
loaded while DRF reads its settings, before drf-spectacular can be."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from earlyhelp.api import ErrorOutput

ERRORS = {
    "401": "No valid token: sign in, or send `Authorization: Token <key>`.",
    "403": "Not allowed: the caller's role or token may not do this, the second factor is "
    "not verified, or the record is restricted.",
}
NOT_FOUND = "No such record in the caller's scope."


class ContractSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if "{" in self.path:
            errors["404"] = NOT_FOUND
        for code, description in errors.items():
            if code not in bodies:
                answer = OpenApiResponse(response=ErrorOutput, description=description)
                bodies[code] = self._get_response_for_code(answer, code, direction=direction)
        return bodies

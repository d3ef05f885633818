"""The allowed moves of an early help case and of a step-up request, one verb each
(earlyhelp/transitions.py runs them and writes the history).

    awaiting_allocation --allocate--> open --accept step up--> stepped_up
            |  (send_to_team keeps it waiting, in another team's queue)    |
            +-------------------------- close ----------------------------+--> closed
    open --request_closure--> closure_pending --authorise_closure--> closed
                                              --return_closure--> open
                                              --withdraw_closure--> open
    (a lead's closure at a level that needs a manager's authorisation; social care accepting
    a step up meanwhile withdraws it, and the case moves on from open as stepped up)

    step-up request: pending --accept--> accepted
                             --decline--> declined
"""

from cases.models import (
    CaseStatus,
    CaseStatusChange,
    EarlyHelpCase,
    StepUpRequest,
    StepUpRequestStatusChange,
    StepUpStatus,
)
from earlyhelp.transitions import Machine, Move

S = CaseStatus
CASE = Machine(
    "case",
    model=EarlyHelpCase,
    history=CaseStatusChange,
    noun="case",
    moves={
        "allocate": Move((S.AWAITING_ALLOCATION,), S.OPEN, "allocated"),
        "send_to_team": Move((S.AWAITING_ALLOCATION,), None, "sent to another team"),
        "step_up_accepted": Move((S.OPEN, S.AWAITING_ALLOCATION), S.STEPPED_UP, "stepped up"),
        "close": Move((S.OPEN, S.AWAITING_ALLOCATION, S.STEPPED_UP), S.CLOSED, "closed"),
        "request_closure": Move((S.OPEN,), S.CLOSURE_PENDING, "sent for closure authorisation"),
        "authorise_closure": Move((S.CLOSURE_PENDING,), S.CLOSED, "authorised for closure"),
        "return_closure": Move((S.CLOSURE_PENDING,), S.OPEN, "returned to the lead"),
        "withdraw_closure": Move((S.CLOSURE_PENDING,), S.OPEN, "withdrawn from closure"),
    },
    final=(S.CLOSED,),
)

U = StepUpStatus
STEP_UP = Machine(
    "step_up_request",
    model=StepUpRequest,
    history=StepUpRequestStatusChange,
    noun="step-up request",
    moves={
        "accept": Move((U.PENDING,), U.ACCEPTED, "accepted"),
        "decline": Move((U.PENDING,), U.DECLINED, "declined"),
    },
    final=(U.ACCEPTED, U.DECLINED),
)

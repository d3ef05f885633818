"""The allowed moves of an assessment, a plan action and a TAF meeting, one verb each
(earlyhelp/transitions.py runs them and writes the history).

    assessment: draft --submit--> submitted --sign_off--> signed_off --revise--> draft
                                            --return--> draft
    plan action: not_started --start--> in_progress --complete--> done
                 (not_started | in_progress) --stop--> stopped; done|stopped --reopen--> in_progress
    meeting: scheduled --record--> held;  scheduled --cancel--> cancelled
"""

from assessments.models import (
    ActionStatus,
    Assessment,
    AssessmentStatus,
    AssessmentStatusChange,
    MeetingStatus,
    MeetingStatusChange,
    PlanAction,
    PlanActionStatusChange,
    TafMeeting,
)
from earlyhelp.transitions import Machine, Move

A = AssessmentStatus
ASSESSMENT = Machine(
    "assessment",
    model=Assessment,
    history=AssessmentStatusChange,
    moves={
        "submit": Move((A.DRAFT,), A.SUBMITTED, "submitted for sign-off"),
        "sign_off": Move((A.SUBMITTED,), A.SIGNED_OFF, "signed off"),
        "return": Move((A.SUBMITTED,), A.DRAFT, "returned for changes"),
        "revise": Move((A.SIGNED_OFF,), A.DRAFT, "revised"),
    },
    final=(A.SIGNED_OFF,),
)

P = ActionStatus
PLAN_ACTION = Machine(
    "plan_action",
    model=PlanAction,
    history=PlanActionStatusChange,
    noun="action",
    moves={
        "start": Move((P.NOT_STARTED,), P.IN_PROGRESS, "started"),
        "complete": Move((P.NOT_STARTED, P.IN_PROGRESS), P.DONE, "marked done"),
        "stop": Move((P.NOT_STARTED, P.IN_PROGRESS), P.STOPPED, "stopped"),
        "reopen": Move((P.DONE, P.STOPPED), P.IN_PROGRESS, "reopened"),
    },
    final=(P.DONE, P.STOPPED),
)
# The status a person picks on the plan page, as the verb that reaches it.
PLAN_ACTION_VERB_FOR = {
    P.IN_PROGRESS: "start",
    P.DONE: "complete",
    P.STOPPED: "stop",
}

M = MeetingStatus
MEETING = Machine(
    "meeting",
    model=TafMeeting,
    history=MeetingStatusChange,
    noun="meeting",
    moves={
        "record": Move((M.SCHEDULED,), M.HELD, "recorded"),
        "cancel": Move((M.SCHEDULED,), M.CANCELLED, "cancelled"),
    },
    final=(M.HELD, M.CANCELLED),
)

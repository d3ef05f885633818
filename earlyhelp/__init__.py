"""The shared kernel: what every app uses (audit trail, domain errors, door-rule
mechanism, notifications, working days). It imports no domain app."""

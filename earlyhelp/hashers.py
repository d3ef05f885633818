"""The password hash: Argon2id through Django's own hasher, tuned for sign-in under load.

docs/adr/0010-password-hashing.md gives the measurements: 50 people signing in within 10 s
on 2 cores must see a p95 under 1 s, so one hash must cost tens of milliseconds, not the
hundreds that PBKDF2 at 1,000,000 iterations or Django's Argon2 default (100 MiB, 8 lanes)
cost here. Memory, not iterations, is what makes Argon2 expensive for an attacker's GPUs.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, 19 MiB, 2 passes, 1 lane: OWASP's first recommended configuration.

    Same algorithm name as Django's hasher, so a stored hash with other parameters is
    re-hashed with these at the next sign-in (must_update)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

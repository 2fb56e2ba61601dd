"""Exit statuses of every command, for scripts."""

EXIT_OK = 0
EXIT_FAILURE = 1  # refused or failed: a French message on stderr says why
EXIT_INVALID = 2  # invalid input: the message names the field and what is expected
# A bug (an exception nobody expected), kept apart so scripts and tests can tell it from a
# refusal; 70 is EX_SOFTWARE in sysexits.h.
EXIT_INTERNAL = 70

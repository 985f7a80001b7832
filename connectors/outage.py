"""One warning line per Kafka outage, instead of the client's ERROR tracebacks on every retry."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)
# kafka-python's selector warns when one of its steps held its loop too long (a busy machine)
SLOW_STEP = re.compile(r"Task .* ran for [0-9.]+s \(>[0-9.]+s threshold\)")


class OutageLog(logging.Filter):
    """Swallow the kafka client's warnings and errors; say once that Kafka is away, and once
    that it is back."""

    def __init__(self, bootstrap: str) -> None:
        super().__init__()
        self.bootstrap = bootstrap
        self.down = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        line = record.getMessage().splitlines()[0][:200]
        if SLOW_STEP.match(line):  # the client's own loop waited for CPU: no outage, a detail
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return True
        self.failing(line)
        return False

    def failing(self, reason: str) -> None:
        """Note a failure; the first of an outage is logged as one warning line."""
        if not self.down:
            self.down = True
            log.warning("Kafka at %s is failing (%s); retrying quietly until it answers",
                        self.bootstrap, reason)  # fmt: skip

    def answering(self) -> None:
        """Note that Kafka acknowledged again; logged once when an outage ends."""
        if self.down:
            self.down = False
            log.warning("Kafka at %s answers again", self.bootstrap)

    def install(self) -> None:
        """Attach to every logger of the kafka client (filters do not reach child loggers)."""
        names = [n for n in logging.root.manager.loggerDict if n == "kafka" or
                 n.startswith("kafka.")]  # fmt: skip
        for name in names:
            logging.getLogger(name).addFilter(self)

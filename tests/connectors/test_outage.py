"""A Kafka outage is one warning line, however many times the client complains."""

from __future__ import annotations

import logging

import pytest

from connectors.outage import OutageLog


def test_one_line_per_outage(caplog: pytest.LogCaptureFixture) -> None:
    logging.getLogger("kafka.conn")  # the client's loggers exist once it is imported
    outage = OutageLog("127.0.0.1:1")
    outage.install()
    try:
        with caplog.at_level(logging.DEBUG):
            for _ in range(5):
                logging.getLogger("kafka.conn").error("Connect attempt returned error 111")
            logging.getLogger("kafka.conn").debug("quiet detail")
            outage.failing("timed out")
            outage.answering()
            outage.answering()
    finally:
        logging.getLogger("kafka.conn").removeFilter(outage)
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert lines == [
        "Kafka at 127.0.0.1:1 is failing (Connect attempt returned error 111); "
        "retrying quietly until it answers",
        "Kafka at 127.0.0.1:1 answers again",
    ]


def test_a_slow_client_step_is_not_an_outage(caplog: pytest.LogCaptureFixture) -> None:
    selector = logging.getLogger("kafka.net.selector")
    outage = OutageLog("127.0.0.1:1")
    outage.install()
    try:
        with caplog.at_level(logging.INFO):
            selector.warning(
                "Task <kafka.net.selector.Task object at 0x7f> ran for 0.134s (>0.100s "
                "threshold). It is blocking the event loop -- likely a tight sync loop inside "
                "a coroutine. Other pollers will time out."
            )
    finally:
        selector.removeFilter(outage)
    # The client's own loop was starved of CPU on a busy machine: Kafka did not fail.
    assert not outage.down
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []

"""Send due deliveries: claim them, send each on its channel, record how it went.

Database work runs in threads, off the event loop. A claimed delivery is leased (its
`next_attempt_at` pushed past the longest send), so two senders never send it at once and a
sender that dies mid-send leaves it to be retried; the stable `webhook-id` lets the receiver
drop that rare repeat.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from monitor.buyers.destinations import mask
from monitor.buyers.models import Destination
from monitor.columns import utcnow
from monitor.db import session_scope
from monitor.delivery import chat, mail, slack, teams, webhook
from monitor.delivery.hidden import hidden
from monitor.delivery.outcome import Outcome
from monitor.delivery.render import alert_document, digest_document, mail_content
from monitor.delivery.schedule import backoff, too_old
from monitor.models import Alert, Buyer, Delivery
from monitor.settings import Settings

log = logging.getLogger(__name__)

RETRYABLE = ("pending", "failed")  # "failed": the last attempt failed and a retry is due
CHATS = {"slack": slack.payload, "teams": teams.payload}  # channel → its message's JSON body


@dataclass
class Job:
    """One message to send: one alert, or a buyer's digest, on one channel."""

    channel: str
    buyer_id: int
    target: str  # the webhook URL, the e-mail address or the chat destination's URL
    secret: str | None
    digest: bool
    due_since: datetime  # when the first of its deliveries became due (for the maximum age)
    delivery_ids: list[int] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0

    @property
    def message_id(self) -> str:
        """Return the id receivers dedupe on: the same for every retry of this message."""
        if not self.digest:
            return f"alert_{self.documents[0]['id']}"
        ids = ",".join(str(i) for i in sorted(self.delivery_ids))
        return f"digest_{self.buyer_id}_{hashlib.sha256(ids.encode()).hexdigest()[:16]}"


def claim(settings: Settings, now: datetime, limit: int) -> list[Job]:
    """Lease up to `limit` deliveries due at `now` and return them grouped into jobs."""
    lease = now + timedelta(seconds=3 * settings.delivery.timeout_s + 60)
    stmt = (
        select(Delivery, Alert, Buyer, Destination)
        .join(Alert, col(Delivery.alert_id) == col(Alert.id))
        .join(Buyer, col(Alert.buyer_id) == col(Buyer.id))
        .outerjoin(
            Destination,
            (col(Destination.buyer_id) == col(Buyer.id))
            & (col(Destination.kind) == col(Delivery.channel)),
        )
        .where(col(Delivery.status).in_(RETRYABLE), col(Delivery.next_attempt_at) <= now)
        .order_by(col(Delivery.next_attempt_at), col(Delivery.id))
        .limit(limit)
        .with_for_update(of=Delivery, skip_locked=True)  # PostgreSQL: senders share the work
    )
    jobs: dict[tuple[Any, ...], Job] = {}
    with session_scope(settings) as session:
        for delivery, alert, buyer, destination in session.exec(stmt).all():
            assert delivery.id is not None and buyer.id is not None
            delivery.next_attempt_at = lease
            session.add(delivery)
            digest = buyer.digest_minutes > 0
            # A digest buyer's due deliveries on one channel travel together as one message.
            key = (buyer.id, delivery.channel) if digest else (delivery.id,)
            target = _target(delivery.channel, buyer, destination)
            due = delivery.created_at + timedelta(minutes=buyer.digest_minutes)
            job = jobs.setdefault(
                key,
                Job(delivery.channel, buyer.id, target or "", buyer.webhook_secret, digest, due),
            )
            job.delivery_ids.append(delivery.id)
            job.documents.append(alert_document(alert))
            job.attempts = max(job.attempts, delivery.attempts)
            job.due_since = min(job.due_since, due)
    return list(jobs.values())


def _target(channel: str, buyer: Buyer, destination: Destination | None) -> str | None:
    if channel == "webhook":
        return buyer.webhook_url
    if channel == "email":
        return buyer.email
    return destination.url if destination is not None else None  # None: since removed


async def send(job: Job, client: httpx.AsyncClient, settings: Settings) -> Outcome:
    """Send one job on its channel once."""
    if not job.target:
        return Outcome.failed(f"the buyer has no {job.channel} address any more", permanent=True)
    if job.channel in CHATS:
        doc = CHATS[job.channel](chat.message(job.documents, digest=job.digest))
        # Chat webhooks take no signature; the key lets a proxy drop a repeat of a retry.
        headers = {"content-type": "application/json", "idempotency-key": job.message_id}
        shown = f"{job.channel} destination {mask(job.target)}"  # the URL is the secret
        with hidden(job.target, shown):
            return await webhook.post_json(
                client,
                job.target,
                body=webhook.encode(doc),
                headers=headers,
                shown=shown,
                settings=settings,
            )
    if job.channel == "webhook":
        if not job.secret:
            return Outcome.failed("the buyer has no webhook secret: rotate it", permanent=True)
        doc = digest_document(job.buyer_id, job.documents) if job.digest else job.documents[0]
        return await webhook.post(
            client,
            job.target,
            secret=job.secret,
            message_id=job.message_id,
            document=doc,
            settings=settings,
        )
    subject, text, html = mail_content(job.documents, digest=job.digest)
    try:
        msg = mail.build_message(
            settings,
            to=job.target,
            subject=subject,
            text=text,
            html=html,
            message_id=job.message_id,
        )
    except (ValueError, TypeError) as exc:
        return Outcome.failed(f"invalid e-mail address: {exc}", permanent=True)
    return await asyncio.to_thread(mail.send, settings, msg)  # smtplib blocks


def record(settings: Settings, job: Job, outcome: Outcome, now: datetime) -> str:
    """Write the outcome to the job's deliveries; return their new status."""
    attempts = job.attempts + 1
    if outcome.ok:
        status = "delivered"
    elif outcome.permanent or attempts >= settings.delivery.max_attempts:
        status = "gave_up"
    else:
        status = "gave_up" if too_old(job.due_since, now, settings) else "failed"
    # One retry time for the whole job, so a digest's alerts stay together.
    retry_at = (
        now + backoff(attempts, settings, outcome.retry_after) if status == "failed" else None
    )
    with session_scope(settings) as session:
        for delivery_id in job.delivery_ids:
            delivery = session.get(Delivery, delivery_id)
            if delivery is None:  # the alert was deleted meanwhile
                continue
            delivery.attempts = attempts
            delivery.status = status
            delivery.next_attempt_at = retry_at
            delivery.last_error = outcome.error[:2000] if outcome.error else None
            if outcome.ok:
                delivery.delivered_at = now
            session.add(delivery)
    if status == "gave_up":
        log.warning(
            "gave up %s delivery of %s to buyer %s after %d attempt(s): %s",
            job.channel,
            job.message_id,
            job.buyer_id,
            attempts,
            outcome.error,
        )
    elif status == "failed":
        log.info(
            "%s delivery of %s failed, retrying: %s", job.channel, job.message_id, outcome.error
        )
    return status


async def attempt(
    job: Job, client: httpx.AsyncClient, settings: Settings, now: datetime | None = None
) -> str:
    """Send one job and record the outcome; return the deliveries' new status."""
    try:
        outcome = await send(job, client, settings)
    except Exception as exc:  # a bug or a surprise must fail this delivery, not the loop
        log.exception("sending %s delivery of %s failed unexpectedly", job.channel, job.message_id)
        # Not permanent: the attempt counts, so max_attempts still ends the retries.
        outcome = Outcome.failed(f"internal error: {type(exc).__name__}: {exc}")
    return await asyncio.to_thread(record, settings, job, outcome, now or utcnow())


async def deliver_once(
    settings: Settings, *, now: datetime | None = None, client: httpx.AsyncClient | None = None
) -> Counter[str]:
    """Send everything due at `now` (default: the clock); count deliveries by new status."""
    own_client = client is None
    client = client or webhook.make_webhook_client(settings)
    gate = asyncio.Semaphore(settings.delivery.concurrency)
    counts: Counter[str] = Counter()

    async def one(job: Job, before: asyncio.Task[str] | None) -> str:
        await _wait_for(before)
        async with gate:
            status = await _attempt_logged(job, client, settings, now)
        counts[status] += len(job.delivery_ids)
        return status

    try:
        while jobs := await asyncio.to_thread(
            claim, settings, now or utcnow(), settings.delivery.batch_size
        ):
            # Every job runs at once (up to the gate): a slow webhook never holds up an e-mail.
            order = InOrder()
            await asyncio.gather(*(order.start(job, functools.partial(one, job)) for job in jobs))
    finally:
        if own_client:
            await client.aclose()
    return counts


def deliver_due(settings: Settings, *, now: datetime | None = None) -> Counter[str]:
    """Send everything due at `now`, blocking until done (for tests and one-off runs)."""
    return asyncio.run(deliver_once(settings, now=now))


async def run_deliveries(settings: Settings, stop: asyncio.Event) -> None:
    """Send due deliveries until `stop` is set; send or database failures never end the loop."""
    client = webhook.make_webhook_client(settings)
    running: set[asyncio.Task[str]] = set()
    order = InOrder()
    stopping = asyncio.create_task(stop.wait())
    try:
        while not stop.is_set():
            free = settings.delivery.concurrency - len(running)
            if free > 0:
                for job in await _claim_logged(settings, free):
                    run = functools.partial(
                        _attempt_after, job=job, client=client, settings=settings
                    )
                    task = order.start(job, run)
                    running.add(task)
                    task.add_done_callback(running.discard)
            # Wake on stop, on a finished send (room for more), or to poll for new work.
            await asyncio.wait(
                {stopping, *running},
                timeout=settings.delivery.poll_s,
                return_when="FIRST_COMPLETED",
            )
    finally:
        stopping.cancel()
        await asyncio.gather(*running, return_exceptions=True)  # each is bounded by the timeout
        await client.aclose()


class InOrder:
    """Starts each job as a task that waits for the one before it to the same destination, so a
    buyer's messages on one channel go out in the order they were claimed (a new alert before
    its update), while other destinations run beside them."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, int, str], asyncio.Task[str]] = {}

    def start(
        self, job: Job, run: Callable[[asyncio.Task[str] | None], Awaitable[str]]
    ) -> asyncio.Task[str]:
        """Start `run(previous task to the same destination)` as a task and return it."""
        key = (job.channel, job.buyer_id, job.target)
        task = asyncio.ensure_future(run(self.last.get(key)))
        self.last[key] = task
        task.add_done_callback(lambda done: self._forget(key, done))
        return task

    def _forget(self, key: tuple[str, int, str], done: asyncio.Task[str]) -> None:
        if self.last.get(key) is done:
            del self.last[key]


async def _wait_for(before: asyncio.Task[str] | None) -> None:
    if before is not None:
        await asyncio.wait({before})  # its outcome is its own; only its end matters here


async def _attempt_after(
    before: asyncio.Task[str] | None, job: Job, client: httpx.AsyncClient, settings: Settings
) -> str:
    await _wait_for(before)
    return await _attempt_logged(job, client, settings)


async def _claim_logged(settings: Settings, limit: int) -> list[Job]:
    try:
        return await asyncio.to_thread(claim, settings, utcnow(), limit)
    except SQLAlchemyError as exc:
        log.warning("cannot read due deliveries (will retry): %s", str(exc).splitlines()[0])
        return []
    except Exception:  # a row the code cannot read must not end the loop for everyone
        log.exception("cannot read due deliveries (will retry)")
        return []


async def _attempt_logged(
    job: Job, client: httpx.AsyncClient, settings: Settings, now: datetime | None = None
) -> str:
    """Attempt one job; whatever goes wrong is logged here, never left to a dead task."""
    try:
        return await attempt(job, client, settings, now)
    except SQLAlchemyError as exc:
        # The send happened but its record did not: the lease runs out and it is sent again,
        # under the same webhook-id.
        log.warning("cannot record delivery %s: %s", job.message_id, str(exc).splitlines()[0])
        return "unrecorded"
    except Exception:
        log.exception("cannot record delivery %s", job.message_id)
        return "unrecorded"

"""The outbox: one row per transaction, written with the change, sent after it
commits, coalesced, kept within the rate limit, retried with backoff."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from edge import outbox, sending
from edge.models import Purge, PurgeCall

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_nothing_is_written_without_a_backend(settings):
    settings.EDGE_PURGE_BACKEND = ""
    outbox.enqueue({"s1"}, reason="x")
    assert not Purge.objects.exists()


def test_one_row_per_transaction_sent_once_after_commit(fastly):
    with transaction.atomic():
        outbox.enqueue({"s1", "home-en"}, reason="story 1 saved")
        outbox.enqueue({"s1", "t2"}, reason="topic 2 saved")
        (row,) = Purge.objects.all()
        assert row.key_list() == ["home-en", "s1", "t2"]
        assert fastly.calls == []  # not before the commit
    (call,) = fastly.calls
    assert call["json"] == {"surrogate_keys": ["home-en", "s1", "t2"]}
    row.refresh_from_db()
    assert row.state == Purge.State.SENT and row.attempts == 1
    assert row.reason == "story 1 saved; topic 2 saved"
    assert row.answer.startswith("200")


def test_a_rolled_back_change_purges_nothing(fastly):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue({"s1"}, reason="story 1 saved")
        raise RuntimeError
    assert not Purge.objects.exists()
    assert fastly.calls == []


def test_a_failed_purge_is_retried_with_backoff_and_logged(fastly, settings):
    settings.EDGE_PURGE_RETRY_SECONDS = 10
    fastly.answers += [(500, {"msg": "oops"}), (500, {"msg": "oops"})]
    outbox.enqueue({"s1"}, reason="story 1 saved")
    row = Purge.objects.get()
    assert row.state == Purge.State.PENDING and row.attempts == 1
    assert row.answer.startswith("500") and "oops" in row.answer
    first_retry = row.next_attempt_at
    assert first_retry > row.created_at
    # Not due yet: nothing sent.
    assert sending.send(now=first_retry - timedelta(seconds=1)) == 0
    assert sending.send(now=first_retry) == 1
    row.refresh_from_db()
    assert row.attempts == 2 and row.retries == 1
    assert row.next_attempt_at - first_retry == timedelta(seconds=20)  # doubled
    assert sending.send(now=row.next_attempt_at) == 1
    row.refresh_from_db()
    assert row.state == Purge.State.SENT and row.attempts == 3
    assert len(fastly.calls) == 3
    assert [call.ok for call in PurgeCall.objects.order_by("id")] == [
        False,
        False,
        True,
    ]


def test_gives_up_after_max_attempts(fastly, settings):
    settings.EDGE_PURGE_MAX_ATTEMPTS = 2
    fastly.answers += [(500, {})] * 2
    outbox.enqueue({"s1"}, reason="x")
    sending.send(now=timezone.now() + timedelta(hours=1))
    row = Purge.objects.get()
    assert row.state == Purge.State.FAILED and row.attempts == 2
    assert sending.send(now=timezone.now() + timedelta(days=1)) == 0


def test_rate_limit_coalesces_pending_purges_into_one_call(cloudflare, settings):
    settings.EDGE_PURGE_CALLS_PER_MINUTE = 5
    for number in range(8):
        outbox.enqueue({f"s{number}", "home-en"}, reason=f"story {number} saved")
    # Five calls went out after their commits; the rest wait for the next run.
    assert len(cloudflare.calls) == 5
    assert Purge.objects.filter(state=Purge.State.PENDING).count() == 3
    assert sending.send() == 0  # still within the same minute
    later = timezone.now() + timedelta(minutes=1, seconds=1)
    assert sending.send(now=later) == 1
    assert cloudflare.calls[-1]["json"] == {"tags": ["home-en", "s5", "s6", "s7"]}
    assert not Purge.objects.filter(state=Purge.State.PENDING).exists()


def test_keys_are_split_into_calls_the_provider_accepts(cloudflare, settings):
    settings.EDGE_PURGE_AFTER_COMMIT = False
    outbox.enqueue({f"s{n}" for n in range(70)}, reason="many")
    assert cloudflare.calls == []  # only the command sends
    assert sending.send() == 3  # 30 tags a call
    assert [len(call["json"]["tags"]) for call in cloudflare.calls] == [30, 30, 10]

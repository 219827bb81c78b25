"""Owners racing on the same monthly reports through the API lose no update and create no duplicate.

The small version of touzi/bench/load_owners.py: eight clients in threads (two owners, four tabs each) create and
correct the reports of the same few months, twelve acts each, each with its own session and database
connection. Afterwards every acknowledged write is checked against the database.

On SQLite the test database lives in memory with a shared cache, where a second writer is refused at once
("database table is locked") instead of waiting as it does on a database file (busy timeout): there the
clients take turns request by request (their versions still go stale under each other, so 409s and 412s
still happen). Transactions truly in parallel are tested on PostgreSQL, and touzi/bench/load_owners.py runs 50
owners against gunicorn on either database.
"""

from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db import connection

from touzi.audit.chain import verify
from touzi.audit.models import AuditRecord
from touzi.reports.models import MonthlyReport
from touzi.testing import client_for

pytestmark = pytest.mark.django_db(transaction=True)
PERIODS = ["2021-03", "2021-04", "2021-05"]
ACTS = 12  # per client; a count, not a duration, so a slow machine tests as much as a fast one
CLIENTS_PER_OWNER = 4


class Ledger:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.writes: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)  # report → (version, amount)
        self.created: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.answers: Counter = Counter()
        self.stale: list[tuple[int, int]] = []  # (report, version sent) answered 412
        self.refused: list[tuple[int, str]] = []  # (project, period) answered 409
        self.failures: list[str] = []


class _Turns:
    """Serialises requests on in-memory SQLite (see the module's docstring); nothing elsewhere."""

    def __init__(self) -> None:
        self.lock = threading.Lock() if connection.vendor == "sqlite" else None

    def __enter__(self) -> None:
        if self.lock:
            self.lock.acquire()

    def __exit__(self, *exc: object) -> None:
        if self.lock:
            self.lock.release()


def _send(client, slot: tuple[int, str], amount: Decimal, known: dict):
    if slot not in known:
        return client.post("/api/v1/reports", {"project": slot[0], "period": slot[1], "amount": str(amount)},
                           content_type="application/json")
    return client.put(f"/api/v1/reports/{known[slot]['id']}", {"amount": str(amount)},
                      content_type="application/json", headers={"If-Match": f'"{known[slot]["version"]}"'})


def _client_loop(user, projects: list[int], ledger: Ledger, seed: int, turns: _Turns) -> None:
    rng = random.Random(seed)
    known: dict[tuple[int, str], dict] = {}
    try:
        with turns:
            client = client_for(user)
        for _ in range(ACTS):
            slot = (rng.choice(projects), rng.choice(PERIODS))
            amount = Decimal(rng.randint(1, 2_000)) + Decimal(seed) / 100  # each client's own cents: never equal
            with turns:
                response = _send(client, slot, amount, known)
            with ledger.lock:
                ledger.answers[response.status_code] += 1
                if response.status_code in (200, 201):
                    body = response.json()
                    ledger.writes[body["id"]].append((body["version"], Decimal(body["amount"])))
                    if response.status_code == 201:
                        ledger.created[slot].append(body["id"])
                    known[slot] = body
                elif response.status_code == 412:
                    ledger.stale.append((known[slot]["id"], known[slot]["version"]))
                elif response.status_code == 409:
                    ledger.refused.append(slot)
                else:
                    ledger.failures.append(f"{response.status_code} {response.content[:200]!r}")
            if response.status_code in (409, 412):
                with turns:
                    rows = client.get(f"/api/v1/reports?period={slot[1]}").json()
                known.update({(r["project"], r["period"]): r for r in rows if r["project"] == slot[0]})
    except Exception as exc:  # the test reports it
        with ledger.lock:
            ledger.failures.append(repr(exc))
    finally:
        connection.close()


def test_owners_racing_on_their_reports_lose_no_update_and_create_no_duplicate(projects, oscar, otto) -> None:
    first_audit = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ledger, turns = Ledger(), _Turns()
    mine = {oscar: [projects["plant"].pk, projects["park"].pk], otto: [projects["rail"].pk]}
    threads = [threading.Thread(target=_client_loop, args=(user, ids, ledger, n * 10 + i, turns))
               for n, (user, ids) in enumerate(mine.items()) for i in range(CLIENTS_PER_OWNER)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert not ledger.failures, ledger.failures[:5]
    assert set(ledger.answers) <= {200, 201, 409, 412}, ledger.answers
    assert ledger.answers[200] + ledger.answers[201] > 10, ledger.answers  # the clients did get through
    # No duplicate: one report per (project, month), created once.
    assert all(len(ids) == 1 for ids in ledger.created.values()), ledger.created
    assert MonthlyReport.objects.count() == len(ledger.created)
    # No lost update: each report went through versions 1, 2, 3 … one per acknowledged write, and holds the
    # amount of the last one.
    for report in MonthlyReport.objects.all():
        writes = sorted(ledger.writes[report.pk])
        assert [v for v, _ in writes] == list(range(1, len(writes) + 1)), (report.pk, writes)
        assert (report.version, report.amount) == writes[-1], (report.pk, report.version, report.amount, writes)
    # Every refusal was a genuine conflict: somebody else had created the report, or written the next version.
    assert all(len(ledger.created[slot]) == 1 for slot in ledger.refused)
    assert all(any(v == sent + 1 for v, _ in ledger.writes[rid]) for rid, sent in ledger.stale)
    # One audit record per acknowledged write, and the chain still holds.
    acked = sum(len(w) for w in ledger.writes.values())
    assert AuditRecord.objects.filter(id__gt=first_audit, object_type="reports.monthlyreport").count() == acked
    assert list(verify()) == []

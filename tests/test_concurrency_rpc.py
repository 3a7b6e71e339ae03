"""Two people acting on the same document at the same moment, as two XML-RPC clients.

The test server answers each request in its own thread and transaction, so both calls
really overlap in PostgreSQL; one wins and the other is told clearly why it cannot."""

import threading
import time
import xmlrpc.client

from test_bad_input_rpc import PNG

from conftest import Rpc, on_site

SUFFIX = str(int(time.time() * 1000))[-8:]


def at_once(calls):
    """Run ``calls`` in parallel threads released together; return (results, faults)."""
    barrier = threading.Barrier(len(calls))
    results, faults = [], []

    def run(call):
        barrier.wait()
        try:
            results.append(call())
        except xmlrpc.client.Fault as fault:
            faults.append(fault.faultString)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, faults


def test_two_technicians_completing_the_same_form(admin, server):
    customer = admin("res.partner", "create", {"name": f"Race Plant {SUFFIX}"})
    part = admin(
        "product.product",
        "create",
        {"name": f"Race Seal {SUFFIX}", "type": "consu", "is_storable": True, "aftersales_spare_part": True},
    )
    template = admin("product.product", "read", [part], ["product_tmpl_id"])[0]["product_tmpl_id"][0]
    update = admin(
        "stock.change.product.qty", "create", {"product_id": part, "product_tmpl_id": template, "new_quantity": 5}
    )
    admin("stock.change.product.qty", "change_product_qty", [update])
    ticket = admin(
        "aftersales.ticket",
        "create",
        {
            "partner_id": customer,
            "title": "Leak",
            "request_type": "consultation",
            "review_note": "<p>Visit</p>",
            "technician_ids": [(6, 0, [admin.uid])],
        },
    )
    admin("aftersales.ticket", "action_submit_review", [ticket])
    form = on_site(
        admin,
        ticket,
        signature=PNG,
        signed_by="Mr. Sun",
        part_line_ids=[(0, 0, {"product_id": part, "quantity": 2})],
    )
    # Each thread needs its own connection: xmlrpc proxies are not thread-safe.
    clients = [Rpc(server, "admin", "admin") for _ in range(2)]

    results, faults = at_once([lambda rpc=rpc: rpc("aftersales.dispatch", "action_done", [form]) for rpc in clients])

    assert results == [True], faults
    assert len(faults) == 1 and "You cannot complete" in faults[0], faults
    assert admin("aftersales.dispatch", "read", [form], ["state"])[0]["state"] == "done"
    moves = admin("stock.move", "search_read", [("product_id", "=", part), ("state", "=", "done")], ["quantity"])
    consumed = [move for move in moves if move["quantity"] == 2]
    assert len(consumed) == 1, "the parts left the stock once"
    on_hand = admin("product.product", "read", [part], ["qty_available"])[0]["qty_available"]
    assert on_hand == 3

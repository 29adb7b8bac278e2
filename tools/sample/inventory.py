"""The inventory file ``current_system/inventory.yaml`` of the fictional town 架空県さくら町.

The town's name and code live here; which operations it does not run, and
why, come from the operation modules (``not_applicable``).
"""

from __future__ import annotations

from .model import Item, OperationSample
from .yaml_text import flow_map, header, q, text

MUNICIPALITY = "架空県さくら町"
MUNICIPALITY_CODE = "999997"


def item_lines(op: OperationSample, item: Item) -> list[str]:
    """One current item of an operation's ``items:`` list."""
    out = [f"      - id: {item.id}", f"        kind: {item.kind}", f"        name: {text(item.name)}",
           f"        description: {text(item.description)}", f"        department: {text(op.department)}"]
    if item.workload is not None:
        cases, hours = item.workload
        out.append(f"        workload: {{cases: {cases}, hours: {hours:g}}}")
    return out


def inventory_lines(ops: list[OperationSample], items: dict[str, list[Item]]) -> list[str]:
    """The whole inventory: ``ops`` in order, not-applicable ones listed with their reason."""
    out = header([
        "SAMPLE / synthetic: 架空の町の現行システム調査（サンプル・架空）.",
        f"{MUNICIPALITY}は実在しない架空の団体です。団体コード {MUNICIPALITY_CODE} も架空です。",
        "機能・帳票の一覧、所管課、事務量（件数・時間）はすべて架空のサンプルです。",
    ]) + [
        "gapcheck: inventory/1",
        f"municipality: {{name: {MUNICIPALITY}, code: {q(MUNICIPALITY_CODE)}, type: 町}}",
        "sample: true",
        f"source: {text('gapcheck サンプルデータ（架空）')}",
        f"note: {text('架空の町の現行システム調査票のサンプル。実在の団体・システムとは関係ありません。')}",
        "not_applicable:",
    ]
    for op in ops:
        if op.not_applicable is not None:
            out.append(f"  - {flow_map([('operation', op.code), ('reason', text(op.not_applicable, flow=True))])}")
    out.append("operations:")
    for op in ops:
        if op.code not in items:
            continue
        out += [f"  {op.code}:", f"    system: {text(op.system)}", f"    vendor: {text(op.vendor)}", "    items:"]
        for item in items[op.code]:
            out += item_lines(op, item)
    return out

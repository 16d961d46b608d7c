"""Long queues: N shipments queued on one capacity-1 service (one slot every 0.1 h).

Run: ``python benchmarks/load.py [--json]``. Prints wall time and peak memory (max RSS of a
child process per size) for 10 000 and 100 000 shipments; near-linear growth means the
queue costs O(1) per shipment.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _one(shipments: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    import corridor as cr
    from tests.test_load import queued_on_one_slot

    with tempfile.TemporaryDirectory() as tmp:
        path = queued_on_one_slot(Path(tmp), shipments)
        t0 = time.perf_counter()
        res = cr.simulate(path)
        elapsed = time.perf_counter() - t0
    out.put(
        {
            "shipments": shipments,
            "delivered": int(res.shipments["delivered"].sum()),
            "seconds": round(elapsed, 3),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    )


def main() -> None:
    """Measure each size in its own process (so peak memory is per size)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    for n in (10_000, 100_000):
        queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
        proc = mp.Process(target=_one, args=(n, queue))
        proc.start()
        rows.append(queue.get())
        proc.join()
    rows[1]["ratio_to_10k"] = round(rows[1]["seconds"] / rows[0]["seconds"], 2)
    for row in rows:
        print(json.dumps(row) if args.json else "  ".join(f"{k}={v}" for k, v in row.items()))


if __name__ == "__main__":
    main()

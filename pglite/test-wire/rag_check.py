"""Drives examples/python/rag.py with random data for python.test.mjs and prints what it got as
JSON, data included, so the test can check the results against its own exact search.

    python rag_check.py URL write   # create the table, insert, build the index, search
    python rag_check.py URL read    # search only (after a server restart on the same data dir)
"""
import json
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"))
import rag  # noqa: E402

ROWS, DIMENSIONS, QUERIES, K = 1000, 32, 10, 5

url, phase = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(2024)
data = rng.standard_normal((ROWS, DIMENSIONS)).astype(np.float32)
queries = rng.standard_normal((QUERIES, DIMENSIONS)).astype(np.float32)

with rag.connect(url) as conn:
    if phase == "write":
        conn.execute("DROP TABLE IF EXISTS documents")  # rag.py's own demo made one
        rag.create_store(conn, DIMENSIONS)
        rag.add_documents(conn, [f"document {i}" for i in range(ROWS)], data)
    conn.execute("SET enable_seqscan = off")  # the plan must be the hnsw index, not a sort
    conn.execute("SET hnsw.ef_search = 100")
    plan = "\n".join(
        row[0]
        for row in conn.execute(
            "EXPLAIN (COSTS OFF) SELECT id FROM documents ORDER BY embedding <=> %s LIMIT 5",
            (queries[0],),
        )
    )
    results = [
        [[id_, content, float(distance)] for id_, content, distance in rag.search(conn, q, k=K)]
        for q in queries
    ]
    # a vector read back through register_vector holds the float32 values that went in
    first = conn.execute("SELECT embedding FROM documents WHERE id = 1").fetchone()[0].to_numpy()
    (count,) = conn.execute("SELECT count(*) FROM documents").fetchone()

json.dump(
    {
        "data": data.tolist(),
        "queries": queries.tolist(),
        "results": results,
        "plan": plan,
        "count": count,
        "first_row_dtype": str(first.dtype),
        "first_row_equal": bool(np.array_equal(first, data[0])),
    },
    sys.stdout,
)

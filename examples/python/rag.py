"""Retrieval for RAG from Python, with ruvector in PGlite served by Node: no Postgres to install.

    npx -p @ruvector/pglite ruvector-pglite serve --data ./db    # in another terminal
    pip install -r requirements.txt                               # psycopg, pgvector, numpy
    python rag.py postgresql://postgres@127.0.0.1:5432/postgres

The same code runs unchanged against any PostgreSQL with ruvector or pgvector.
`embed` below is a toy (hashed bag of words) so the example needs no model download;
swap in a real embedding model (sentence-transformers, an embeddings API, ...) for real use.
"""
import hashlib
import re
import sys

import numpy as np
import psycopg
from pgvector.psycopg import register_vector

DIMENSIONS = 64


def embed(text: str) -> np.ndarray:
    """Toy embedding: each word adds 1 at a position chosen by its hash; unit length."""
    v = np.zeros(DIMENSIONS, dtype=np.float32)
    for word in re.findall(r"[a-z]+", text.lower()):
        v[int(hashlib.sha1(word.encode()).hexdigest(), 16) % DIMENSIONS] += 1
    return v / max(np.linalg.norm(v), 1e-9)


def connect(url: str) -> psycopg.Connection:
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("CREATE EXTENSION IF NOT EXISTS ruvector")  # already there when served
    register_vector(conn)  # numpy arrays in and out of vector columns
    return conn


def create_store(conn: psycopg.Connection, dimensions: int) -> None:
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS documents"
        f" (id bigserial PRIMARY KEY, content text, embedding vector({dimensions}))"
    )


def add_documents(conn: psycopg.Connection, contents, embeddings) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO documents (content, embedding) VALUES (%s, %s)",
            zip(contents, embeddings),
        )
    # Built after the bulk insert (faster than growing it row by row).
    conn.execute(
        "CREATE INDEX IF NOT EXISTS documents_embedding"
        " ON documents USING hnsw (embedding vector_cosine_ops)"
    )


def search(conn: psycopg.Connection, query_embedding: np.ndarray, k: int = 3):
    """The k nearest documents by cosine distance: [(id, content, distance), ...]."""
    return conn.execute(
        "SELECT id, content, embedding <=> %(q)s AS distance"
        " FROM documents ORDER BY embedding <=> %(q)s LIMIT %(k)s",
        {"q": query_embedding, "k": k},
    ).fetchall()


DOCUMENTS = [
    "An hnsw index finds nearest neighbours in a graph of vectors.",
    "PGlite is PostgreSQL compiled to WebAssembly, running inside Node or a browser.",
    "Sourdough bread needs flour, water, salt and a lively starter.",
    "Cosine distance compares the direction of two vectors, not their length.",
    "The river flooded the valley after a week of rain.",
]

if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else "postgresql://postgres@127.0.0.1:5432/postgres"
    with connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS documents")
        create_store(conn, DIMENSIONS)
        add_documents(conn, DOCUMENTS, [embed(d) for d in DOCUMENTS])
        question = "which index finds the nearest vectors?"
        print(f"question: {question}")
        for id_, content, distance in search(conn, embed(question)):
            print(f"  {distance:.4f}  #{id_}  {content}")

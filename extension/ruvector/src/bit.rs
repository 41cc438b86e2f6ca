//! Distances between binary vectors stored in Postgres' own `bit(n)` type, as pgvector 0.8
//! defines them (`bitvec.c`): `hamming_distance` / `<~>` and `jaccard_distance` / `<%>`. The
//! popcount kernels are `ruvector_core::bits`.

use crate::pgerror::raise;
use crate::sqltypes::BitRef;
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;
use ruvector_core::bits;

/// The two bit strings' bytes, after pgvector's length check.
fn pair<'a>(a: &BitRef<'a>, b: &BitRef<'a>) -> (&'a [u8], &'a [u8]) {
    if a.nbits != b.nbits {
        raise(
            ERRCODE_DATA_EXCEPTION,
            format!("different bit lengths {} and {}", a.nbits, b.nbits),
        );
    }
    (a.bytes, b.bytes)
}

/// Number of differing bits, as float8.
#[pg_extern(sql = "CREATE FUNCTION hamming_distance(bit, bit) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;")]
fn hamming_distance(a: BitRef<'_>, b: BitRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    bits::hamming_distance(a, b) as f64
}

/// 1 - |a ∧ b| / |a ∨ b|; 1 when no bit is set in both (two all-zero strings included).
#[pg_extern(sql = "CREATE FUNCTION jaccard_distance(bit, bit) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;")]
fn jaccard_distance(a: BitRef<'_>, b: BitRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    bits::jaccard_distance(a, b)
}

extension_sql!(
    r#"
CREATE OPERATOR <~> (
	LEFTARG = bit, RIGHTARG = bit, PROCEDURE = hamming_distance,
	COMMUTATOR = '<~>'
);

CREATE OPERATOR <%> (
	LEFTARG = bit, RIGHTARG = bit, PROCEDURE = jaccard_distance,
	COMMUTATOR = '<%>'
);
"#,
    name = "bit_distance_operators",
    requires = [hamming_distance, jaccard_distance],
);

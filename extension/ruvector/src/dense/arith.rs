//! Element-wise `+`, `-`, `*` and concatenation `||`, with pgvector's float4 arithmetic and
//! its overflow/underflow errors (Postgres' own "value out of range" reports).

use super::checks::{check_dim, check_same_dims};
use super::varlena::{Vector, VectorRef};
use crate::pgerror::{float_overflow, float_underflow};
use pgrx::prelude::*;

/// `a op b` element-wise in f32, then pgvector's checks in element order: overflow to
/// infinity is an error, and (for `*`) so is a nonzero product that underflowed to zero.
fn elementwise(
    a: &VectorRef<'_>,
    b: &VectorRef<'_>,
    op: impl Fn(f32, f32) -> f32,
    check_underflow: bool,
) -> Vector {
    check_same_dims(a.dim(), b.dim());
    let (a, b) = (a.as_slice(), b.as_slice());
    let mut result = Vector::zeroed(a.len());
    let out = result.as_mut_slice();
    for ((r, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *r = op(x, y);
    }
    for ((&r, &x), &y) in out.iter().zip(a).zip(b) {
        if r.is_infinite() {
            float_overflow();
        }
        if check_underflow && r == 0.0 && !(x == 0.0 || y == 0.0) {
            float_underflow();
        }
    }
    result
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_add(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_add(a: VectorRef<'_>, b: VectorRef<'_>) -> Vector {
    elementwise(&a, &b, |x, y| x + y, false)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_sub(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_sub(a: VectorRef<'_>, b: VectorRef<'_>) -> Vector {
    elementwise(&a, &b, |x, y| x - y, false)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_mul(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_mul(a: VectorRef<'_>, b: VectorRef<'_>) -> Vector {
    elementwise(&a, &b, |x, y| x * y, true)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_concat(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_concat(a: VectorRef<'_>, b: VectorRef<'_>) -> Vector {
    let (a, b) = (a.as_slice(), b.as_slice());
    check_dim((a.len() + b.len()) as i64);
    let mut result = Vector::zeroed(a.len() + b.len());
    let (head, tail) = result.as_mut_slice().split_at_mut(a.len());
    head.copy_from_slice(a);
    tail.copy_from_slice(b);
    result
}

extension_sql!(
    r#"
CREATE OPERATOR + (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_add,
	COMMUTATOR = +
);

CREATE OPERATOR - (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_sub
);

CREATE OPERATOR * (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_mul,
	COMMUTATOR = *
);

CREATE OPERATOR || (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_concat
);
"#,
    name = "vector_arithmetic_operators",
    requires = [
        "vector_type",
        vector_add,
        vector_sub,
        vector_mul,
        vector_concat
    ],
);

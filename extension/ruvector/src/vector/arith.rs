//! Element-wise `+`, `-`, `*` and concatenation `||` (`crate::dense::arith`).

use super::{Vector, VectorRef};
use crate::dense::arith::{concat, elementwise};
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION vector_add(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_add(a: VectorRef<'_>, b: VectorRef<'_>) -> Vector {
    elementwise(a, b, |x, y| x + y, false)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_sub(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_sub(a: VectorRef<'_>, b: VectorRef<'_>) -> Vector {
    elementwise(a, b, |x, y| x - y, false)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_mul(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_mul(a: VectorRef<'_>, b: VectorRef<'_>) -> Vector {
    elementwise(a, b, |x, y| x * y, true)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_concat(vector, vector) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_concat(a: VectorRef<'_>, b: VectorRef<'_>) -> Vector {
    concat(a, b)
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

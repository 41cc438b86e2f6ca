//! `vector_typmod_in`: the `n` in `vector(n)`.

use crate::checks::VECTOR;
use crate::sqltypes::CStringArray;
use crate::typmod::parse_typmod;
use pgrx::prelude::*;

#[pg_extern(sql = "CREATE FUNCTION vector_typmod_in(cstring[]) RETURNS integer
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;")]
fn vector_typmod_in(modifiers: CStringArray) -> i32 {
    parse_typmod(modifiers, &VECTOR)
}

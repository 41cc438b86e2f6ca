//! `sparsevec_typmod_in`: the `n` in `sparsevec(n)`, up to 1,000,000,000.

use crate::checks::SPARSEVEC;
use crate::sqltypes::CStringArray;
use crate::typmod::parse_typmod;
use pgrx::prelude::*;

#[pg_extern(sql = "CREATE FUNCTION sparsevec_typmod_in(cstring[]) RETURNS integer
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;")]
fn sparsevec_typmod_in(modifiers: CStringArray) -> i32 {
    parse_typmod(modifiers, &SPARSEVEC)
}

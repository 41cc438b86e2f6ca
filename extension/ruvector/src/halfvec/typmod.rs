//! `halfvec_typmod_in`: the `n` in `halfvec(n)`.

use crate::checks::HALFVEC;
use crate::sqltypes::CStringArray;
use crate::typmod::parse_typmod;
use pgrx::prelude::*;

#[pg_extern(sql = "CREATE FUNCTION halfvec_typmod_in(cstring[]) RETURNS integer
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;")]
fn halfvec_typmod_in(modifiers: CStringArray) -> i32 {
    parse_typmod(modifiers, &HALFVEC)
}

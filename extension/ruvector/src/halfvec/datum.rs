//! How `halfvec` values cross the `#[pg_extern]` boundary (see `crate::datum`).

use super::{HalfVec, HalfVecRef};
use crate::datum::varlena_sql_type;
use pgrx::prelude::*;

const HALFVEC_TYPE_IDENT: &str = pgrx::pgrx_resolved_type!(HalfVec);

extension_sql!(
    "CREATE TYPE halfvec;\n",
    name = "halfvec_shell_type",
    creates = [Type(HalfVec)],
);

varlena_sql_type!(result HalfVec, "halfvec", HALFVEC_TYPE_IDENT);
varlena_sql_type!(arg HalfVecRef<'a>, "halfvec", HALFVEC_TYPE_IDENT);

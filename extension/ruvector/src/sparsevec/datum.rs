//! How `sparsevec` values cross the `#[pg_extern]` boundary (see `crate::datum`).

use super::{Sparse, SparseRef};
use crate::datum::varlena_sql_type;
use pgrx::prelude::*;

const SPARSEVEC_TYPE_IDENT: &str = pgrx::pgrx_resolved_type!(Sparse);

extension_sql!(
    "CREATE TYPE sparsevec;\n",
    name = "sparsevec_shell_type",
    creates = [Type(Sparse)],
);

varlena_sql_type!(result Sparse, "sparsevec", SPARSEVEC_TYPE_IDENT);
varlena_sql_type!(arg SparseRef<'a>, "sparsevec", SPARSEVEC_TYPE_IDENT);

//! How `vector` values cross the `#[pg_extern]` boundary (see `crate::datum`): both Rust views
//! resolve to the one SQL type created by `vector_shell_type` (full definition in `mod.rs`).

use super::{Vector, VectorRef};
use crate::datum::varlena_sql_type;
use pgrx::prelude::*;

const VECTOR_TYPE_IDENT: &str = pgrx::pgrx_resolved_type!(Vector);

extension_sql!(
    "CREATE TYPE vector;\n",
    name = "vector_shell_type",
    creates = [Type(Vector)],
);

varlena_sql_type!(result Vector, "vector", VECTOR_TYPE_IDENT);
varlena_sql_type!(arg VectorRef<'a>, "vector", VECTOR_TYPE_IDENT);

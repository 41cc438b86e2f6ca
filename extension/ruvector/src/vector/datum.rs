//! How `vector` values cross the `#[pg_extern]` boundary: pgrx learns the SQL name `vector`
//! and that arguments are detoasted views while results are palloc'd varlenas. The type is
//! created by hand-written SQL (shell type here, full definition in `mod.rs`) instead of
//! `#[derive(PostgresType)]`, whose CBOR/JSON encoding is not pgvector's format.

use super::varlena::{Vector, VectorRef};
use pgrx::callconv::{Arg, ArgAbi, BoxRet, FcInfo};
use pgrx::datum::Datum;
use pgrx::pgrx_sql_entity_graph::metadata::{
    ArgumentError, ReturnsError, ReturnsRef, SqlMappingRef, SqlTranslatable, TypeOrigin,
};
use pgrx::prelude::*;

/// Both Rust views of the type resolve to the one SQL type created by `vector_shell_type`.
const VECTOR_TYPE_IDENT: &str = pgrx::pgrx_resolved_type!(Vector);

extension_sql!(
    "CREATE TYPE vector;\n",
    name = "vector_shell_type",
    creates = [Type(Vector)],
);

unsafe impl SqlTranslatable for Vector {
    const TYPE_IDENT: &'static str = VECTOR_TYPE_IDENT;
    const TYPE_ORIGIN: TypeOrigin = TypeOrigin::ThisExtension;
    const ARGUMENT_SQL: Result<SqlMappingRef, ArgumentError> = Ok(SqlMappingRef::literal("vector"));
    const RETURN_SQL: Result<ReturnsRef, ReturnsError> =
        Ok(ReturnsRef::One(SqlMappingRef::literal("vector")));
}

unsafe impl<'a> SqlTranslatable for VectorRef<'a> {
    const TYPE_IDENT: &'static str = VECTOR_TYPE_IDENT;
    const TYPE_ORIGIN: TypeOrigin = TypeOrigin::ThisExtension;
    const ARGUMENT_SQL: Result<SqlMappingRef, ArgumentError> = Ok(SqlMappingRef::literal("vector"));
    const RETURN_SQL: Result<ReturnsRef, ReturnsError> =
        Ok(ReturnsRef::One(SqlMappingRef::literal("vector")));
}

impl<'a> FromDatum for VectorRef<'a> {
    unsafe fn from_polymorphic_datum(
        datum: pg_sys::Datum,
        is_null: bool,
        _typoid: pg_sys::Oid,
    ) -> Option<Self> {
        // SAFETY: pgrx only hands us datums of the declared SQL type, valid for the call.
        if is_null {
            None
        } else {
            Some(unsafe { VectorRef::from_datum(datum) })
        }
    }
}

unsafe impl<'fcx, 'a> ArgAbi<'fcx> for VectorRef<'a> {
    unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
        let index = arg.index();
        // SAFETY: forwarded from pgrx's contract for this function.
        unsafe { arg.unbox_arg_using_from_datum() }
            .unwrap_or_else(|| panic!("argument {index} must not be null"))
    }
}

unsafe impl BoxRet for Vector {
    unsafe fn box_into<'fcx>(self, fcinfo: &mut FcInfo<'fcx>) -> Datum<'fcx> {
        // SAFETY: a palloc'd varlena in the caller's memory context is a valid by-ref result.
        unsafe { fcinfo.return_raw_datum(self.into_datum()) }
    }
}

/// Returning an argument unchanged (the typmod coercion) hands back the detoasted pointer,
/// as pgvector's `PG_RETURN_POINTER(vec)` does.
unsafe impl<'a> BoxRet for VectorRef<'a> {
    unsafe fn box_into<'fcx>(self, fcinfo: &mut FcInfo<'fcx>) -> Datum<'fcx> {
        // SAFETY: the datum is an argument or a palloc'd copy of one, alive past the call.
        unsafe { fcinfo.return_raw_datum(self.into_datum()) }
    }
}

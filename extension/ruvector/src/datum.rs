//! How the extension's varlena types cross the `#[pg_extern]` boundary: pgrx learns each Rust
//! view's SQL name, and that arguments are detoasted views while results are palloc'd varlenas.
//! The types themselves are created by hand-written SQL (a shell type, then the full definition)
//! instead of `#[derive(PostgresType)]`, whose CBOR/JSON encoding is not pgvector's format.

use core::ptr::NonNull;
use pgrx::pg_sys;

/// A detoasted varlena argument as a pointer to its (4-byte) header, aligned to `align`, and its
/// total size. A plain 4-byte-header datum is used in place (PG_DETOAST_DATUM's own shortcut,
/// saving an FFI round trip per argument); anything else is detoasted into a copy. Tuples store
/// our types with int alignment and palloc aligns further, so a misaligned pointer would mean
/// someone else's bug; it is copied rather than read unaligned.
///
/// # Safety
/// `datum` must be a non-null varlena datum valid for as long as the pointer is used.
pub unsafe fn detoast_aligned<T>(datum: pg_sys::Datum, align: usize) -> (NonNull<T>, usize) {
    let raw = datum.cast_mut_ptr::<pg_sys::varlena>();
    // SAFETY: the caller promises a varlena; the detoasted one has a 4-byte header.
    unsafe {
        let detoasted = if pgrx::varatt_is_4b_u(raw) {
            raw
        } else {
            pg_sys::pg_detoast_datum(raw)
        };
        let total = pgrx::varsize_4b(detoasted);
        let ptr = NonNull::new(detoasted.cast::<u8>()).expect("pg_detoast_datum returned NULL");
        if (ptr.as_ptr() as usize) % align != 0 {
            let copy = pg_sys::palloc(total).cast::<u8>();
            core::ptr::copy_nonoverlapping(ptr.as_ptr(), copy, total);
            return (NonNull::new_unchecked(copy.cast()), total);
        }
        (ptr.cast(), total)
    }
}

/// A header claiming more elements than its datum holds: only corrupt data gets here, but
/// reading on would go past the allocation.
#[cold]
pub fn corrupt(type_name: &str, dim: i64, bytes: usize) -> ! {
    crate::pgerror::raise(
        pgrx::PgSqlErrorCode::ERRCODE_DATA_CORRUPTED,
        format!("corrupt {type_name} datum: dim {dim} in {bytes} bytes"),
    )
}

/// A borrowed view of an argument of one of our SQL types.
pub trait VarlenaArg: Sized {
    /// # Safety
    /// `datum` must be a non-null datum of the SQL type, valid for as long as the view is used.
    unsafe fn from_datum(datum: pgrx::pg_sys::Datum) -> Self;
    fn into_datum(self) -> pgrx::pg_sys::Datum;
}

/// A palloc'd result of one of our SQL types.
pub trait VarlenaResult: Sized {
    fn into_datum(self) -> pgrx::pg_sys::Datum;
}

/// Implements pgrx's traits for a Rust view `$name` of SQL type `$sql`, with `$ident` naming the
/// pgrx type identity shared by all views of that SQL type. `arg` views ([`VarlenaArg`]) can be
/// arguments and be returned unchanged (as pgvector's `PG_RETURN_POINTER(vec)` does in the
/// typmod coercions); `result` views ([`VarlenaResult`]) can only be returned.
macro_rules! varlena_sql_type {
    (arg $name:ident $(<$lt:lifetime>)?, $sql:literal, $ident:expr) => {
        $crate::datum::varlena_sql_type!(@common $name $(<$lt>)?, $sql, $ident, VarlenaArg);

        impl<$($lt)?> ::pgrx::FromDatum for $name $(<$lt>)? {
            unsafe fn from_polymorphic_datum(
                datum: ::pgrx::pg_sys::Datum,
                is_null: bool,
                _typoid: ::pgrx::pg_sys::Oid,
            ) -> Option<Self> {
                // SAFETY: pgrx only hands us datums of the declared SQL type, valid for the call.
                (!is_null).then(|| unsafe {
                    <$name $(<$lt>)? as $crate::datum::VarlenaArg>::from_datum(datum)
                })
            }
        }

        unsafe impl<'fcx, $($lt)?> ::pgrx::callconv::ArgAbi<'fcx> for $name $(<$lt>)? {
            unsafe fn unbox_arg_unchecked(arg: ::pgrx::callconv::Arg<'_, 'fcx>) -> Self {
                let index = arg.index();
                // SAFETY: forwarded from pgrx's contract for this function.
                unsafe { arg.unbox_arg_using_from_datum() }
                    .unwrap_or_else(|| panic!("argument {index} must not be null"))
            }
        }
    };
    (result $name:ident $(<$lt:lifetime>)?, $sql:literal, $ident:expr) => {
        $crate::datum::varlena_sql_type!(@common $name $(<$lt>)?, $sql, $ident, VarlenaResult);
    };
    (@common $name:ident $(<$lt:lifetime>)?, $sql:literal, $ident:expr, $boxed:ident) => {
        unsafe impl<$($lt)?> ::pgrx::pgrx_sql_entity_graph::metadata::SqlTranslatable
            for $name $(<$lt>)?
        {
            const TYPE_IDENT: &'static str = $ident;
            const TYPE_ORIGIN: ::pgrx::pgrx_sql_entity_graph::metadata::TypeOrigin =
                ::pgrx::pgrx_sql_entity_graph::metadata::TypeOrigin::ThisExtension;
            const ARGUMENT_SQL: Result<
                ::pgrx::pgrx_sql_entity_graph::metadata::SqlMappingRef,
                ::pgrx::pgrx_sql_entity_graph::metadata::ArgumentError,
            > = Ok(::pgrx::pgrx_sql_entity_graph::metadata::SqlMappingRef::literal($sql));
            const RETURN_SQL: Result<
                ::pgrx::pgrx_sql_entity_graph::metadata::ReturnsRef,
                ::pgrx::pgrx_sql_entity_graph::metadata::ReturnsError,
            > = Ok(::pgrx::pgrx_sql_entity_graph::metadata::ReturnsRef::One(
                ::pgrx::pgrx_sql_entity_graph::metadata::SqlMappingRef::literal($sql),
            ));
        }

        unsafe impl<$($lt)?> ::pgrx::callconv::BoxRet for $name $(<$lt>)? {
            unsafe fn box_into<'fcx>(
                self,
                fcinfo: &mut ::pgrx::callconv::FcInfo<'fcx>,
            ) -> ::pgrx::datum::Datum<'fcx> {
                // SAFETY: the datum is palloc'd in the caller's context, or an argument that is
                // alive past the call.
                unsafe {
                    fcinfo.return_raw_datum(<$name $(<$lt>)? as $crate::datum::$boxed>::into_datum(self))
                }
            }
        }
    };
}
pub(crate) use varlena_sql_type;

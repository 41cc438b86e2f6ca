//! Thin by-reference argument/result types for built-in SQL types, so functions get the raw
//! Postgres object and call Postgres' own routines on it (`ArrayGetIntegerTypmods`,
//! `deconstruct_array`, …). pgrx's `Array<T>` would decode elements itself, with its own error
//! texts; pgvector compatibility needs Postgres' texts.

use core::ptr::NonNull;
use pgrx::callconv::{Arg, ArgAbi, BoxRet, FcInfo};
use pgrx::datum::Datum;
use pgrx::pgrx_sql_entity_graph::metadata::{
    ArgumentError, ReturnsError, ReturnsRef, SqlMappingRef, SqlTranslatable, TypeOrigin,
};
use pgrx::prelude::*;

/// A detoasted array argument of a fixed SQL array type.
pub trait RawArrayArg: Sized {
    fn from_ptr(ptr: NonNull<pg_sys::ArrayType>) -> Self;
    fn as_ptr(&self) -> *mut pg_sys::ArrayType;
}

macro_rules! array_arg {
    ($(#[$doc:meta])* $name:ident, $sql:literal) => {
        $(#[$doc])*
        pub struct $name(NonNull<pg_sys::ArrayType>);

        impl RawArrayArg for $name {
            fn from_ptr(ptr: NonNull<pg_sys::ArrayType>) -> Self {
                $name(ptr)
            }
            fn as_ptr(&self) -> *mut pg_sys::ArrayType {
                self.0.as_ptr()
            }
        }

        unsafe impl SqlTranslatable for $name {
            const TYPE_IDENT: &'static str = pgrx::pgrx_resolved_type!($name);
            const TYPE_ORIGIN: TypeOrigin = TypeOrigin::External;
            const ARGUMENT_SQL: Result<SqlMappingRef, ArgumentError> =
                Ok(SqlMappingRef::literal($sql));
            const RETURN_SQL: Result<ReturnsRef, ReturnsError> =
                Ok(ReturnsRef::One(SqlMappingRef::literal($sql)));
        }

        impl FromDatum for $name {
            unsafe fn from_polymorphic_datum(
                datum: pg_sys::Datum,
                is_null: bool,
                _typoid: pg_sys::Oid,
            ) -> Option<Self> {
                // SAFETY: pgrx hands us a non-null datum of the declared array type.
                if is_null { None } else { Some(unsafe { detoast_array(datum) }) }
            }
        }

        unsafe impl<'fcx> ArgAbi<'fcx> for $name {
            unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
                let index = arg.index();
                // SAFETY: forwarded from pgrx's contract for this function.
                unsafe { arg.unbox_arg_using_from_datum() }
                    .unwrap_or_else(|| panic!("argument {index} must not be null"))
            }
        }
    };
}

array_arg!(
    /// `cstring[]`, the argument of a type's typmod_in function.
    CStringArray, "cstring[]"
);
array_arg!(
    /// `integer[]`
    Int4Array, "integer[]"
);
array_arg!(
    /// `real[]`
    Float4Array, "real[]"
);
array_arg!(
    /// `double precision[]`
    Float8Array, "double precision[]"
);
array_arg!(
    /// `numeric[]`
    NumericArray, "numeric[]"
);

/// # Safety
/// `datum` must be a non-null array datum valid for the current call.
unsafe fn detoast_array<T: RawArrayArg>(datum: pg_sys::Datum) -> T {
    // SAFETY: arrays are varlenas; detoasting gives a 4-byte-header, aligned copy or original.
    let ptr = unsafe { pg_sys::pg_detoast_datum(datum.cast_mut_ptr()) };
    T::from_ptr(NonNull::new(ptr.cast()).expect("pg_detoast_datum returned NULL"))
}

/// A palloc'd varlena result whose SQL type is `bytea`.
pub struct ByteaResult(pub NonNull<pg_sys::varlena>);

unsafe impl SqlTranslatable for ByteaResult {
    const TYPE_IDENT: &'static str = pgrx::pgrx_resolved_type!(ByteaResult);
    const TYPE_ORIGIN: TypeOrigin = TypeOrigin::External;
    const ARGUMENT_SQL: Result<SqlMappingRef, ArgumentError> =
        Err(ArgumentError::NotValidAsArgument("ByteaResult"));
    const RETURN_SQL: Result<ReturnsRef, ReturnsError> =
        Ok(ReturnsRef::One(SqlMappingRef::literal("bytea")));
}

unsafe impl BoxRet for ByteaResult {
    unsafe fn box_into<'fcx>(self, fcinfo: &mut FcInfo<'fcx>) -> Datum<'fcx> {
        // SAFETY: a palloc'd varlena is a valid by-reference result.
        unsafe { fcinfo.return_raw_datum(pg_sys::Datum::from(self.0.as_ptr())) }
    }
}

/// A palloc'd `real[]` result built with Postgres' `construct_array`.
pub struct Float4ArrayResult(pub NonNull<pg_sys::ArrayType>);

unsafe impl SqlTranslatable for Float4ArrayResult {
    const TYPE_IDENT: &'static str = pgrx::pgrx_resolved_type!(Float4ArrayResult);
    const TYPE_ORIGIN: TypeOrigin = TypeOrigin::External;
    const ARGUMENT_SQL: Result<SqlMappingRef, ArgumentError> =
        Err(ArgumentError::NotValidAsArgument("Float4ArrayResult"));
    const RETURN_SQL: Result<ReturnsRef, ReturnsError> =
        Ok(ReturnsRef::One(SqlMappingRef::literal("real[]")));
}

unsafe impl BoxRet for Float4ArrayResult {
    unsafe fn box_into<'fcx>(self, fcinfo: &mut FcInfo<'fcx>) -> Datum<'fcx> {
        // SAFETY: a palloc'd array is a valid by-reference result.
        unsafe { fcinfo.return_raw_datum(pg_sys::Datum::from(self.0.as_ptr())) }
    }
}

/// A palloc'd `double precision[]` result built with Postgres' `construct_array_builtin`.
pub struct Float8ArrayResult(pub NonNull<pg_sys::ArrayType>);

unsafe impl SqlTranslatable for Float8ArrayResult {
    const TYPE_IDENT: &'static str = pgrx::pgrx_resolved_type!(Float8ArrayResult);
    const TYPE_ORIGIN: TypeOrigin = TypeOrigin::External;
    const ARGUMENT_SQL: Result<SqlMappingRef, ArgumentError> =
        Err(ArgumentError::NotValidAsArgument("Float8ArrayResult"));
    const RETURN_SQL: Result<ReturnsRef, ReturnsError> = Ok(ReturnsRef::One(
        SqlMappingRef::literal("double precision[]"),
    ));
}

unsafe impl BoxRet for Float8ArrayResult {
    unsafe fn box_into<'fcx>(self, fcinfo: &mut FcInfo<'fcx>) -> Datum<'fcx> {
        // SAFETY: a palloc'd array is a valid by-reference result.
        unsafe { fcinfo.return_raw_datum(pg_sys::Datum::from(self.0.as_ptr())) }
    }
}

/// A palloc'd `bit` (varbit) result.
pub struct BitResult(pub NonNull<pg_sys::varlena>);

unsafe impl SqlTranslatable for BitResult {
    const TYPE_IDENT: &'static str = pgrx::pgrx_resolved_type!(BitResult);
    const TYPE_ORIGIN: TypeOrigin = TypeOrigin::External;
    const ARGUMENT_SQL: Result<SqlMappingRef, ArgumentError> =
        Err(ArgumentError::NotValidAsArgument("BitResult"));
    const RETURN_SQL: Result<ReturnsRef, ReturnsError> =
        Ok(ReturnsRef::One(SqlMappingRef::literal("bit")));
}

unsafe impl BoxRet for BitResult {
    unsafe fn box_into<'fcx>(self, fcinfo: &mut FcInfo<'fcx>) -> Datum<'fcx> {
        // SAFETY: a palloc'd varlena is a valid by-reference result.
        unsafe { fcinfo.return_raw_datum(pg_sys::Datum::from(self.0.as_ptr())) }
    }
}

/// A new one-dimensional array of element type `elemtype` holding `datums`, laid out as the
/// running server stores that type (float8 is by reference on 32-bit builds, so the storage
/// properties come from the catalog rather than from compile-time constants).
pub fn construct_1d_array(
    datums: &mut [pg_sys::Datum],
    elemtype: pg_sys::Oid,
) -> NonNull<pg_sys::ArrayType> {
    let mut typlen: i16 = 0;
    let mut typbyval = false;
    let mut typalign: core::ffi::c_char = 0;
    // SAFETY: `datums` are valid datums of `elemtype`; Postgres copies them into a new array.
    let array = unsafe {
        pg_sys::get_typlenbyvalalign(elemtype, &mut typlen, &mut typbyval, &mut typalign);
        pg_sys::construct_array(
            datums.as_mut_ptr(),
            datums.len() as core::ffi::c_int,
            elemtype,
            typlen.into(),
            typbyval,
            typalign,
        )
    };
    NonNull::new(array).expect("construct_array returned NULL")
}

/// A new zeroed varlena whose body (after the 4-byte header) is `len` bytes, and that body.
/// `len` stays far below the 1 GB varlena limit for every caller (at most a few hundred KB).
pub fn palloc_varlena<'a>(len: usize) -> (NonNull<pg_sys::varlena>, &'a mut [u8]) {
    let size = pg_sys::VARHDRSZ + len;
    // SAFETY: palloc0 gives `size` zeroed bytes or raises; the body slice is within them and
    // lives as long as the current memory context, which outlives the call.
    unsafe {
        let raw = pg_sys::palloc0(size).cast::<u8>();
        pgrx::set_varsize_4b(raw.cast(), size as i32);
        let body = core::slice::from_raw_parts_mut(raw.add(pg_sys::VARHDRSZ), len);
        (NonNull::new_unchecked(raw.cast()), body)
    }
}

/// A `bytea` result of `len` bytes to fill in.
pub fn bytea_with_len<'a>(len: usize) -> (ByteaResult, &'a mut [u8]) {
    let (ptr, body) = palloc_varlena(len);
    (ByteaResult(ptr), body)
}

/// A `bit(nbits)` result (varbit layout: int32 bit length, then the bits, most significant
/// first) and its zeroed bytes to fill in.
pub fn bit_with_len<'a>(nbits: usize) -> (BitResult, &'a mut [u8]) {
    let (ptr, body) = palloc_varlena(4 + nbits.div_ceil(8));
    let (len, bits) = body.split_at_mut(4);
    len.copy_from_slice(&(nbits as i32).to_ne_bytes());
    (BitResult(ptr), bits)
}

/// A detoasted `bit` (or `varbit`) argument: its length in bits and its bytes, whose padding
/// bits Postgres keeps zero.
pub struct BitRef<'a> {
    pub nbits: i32,
    pub bytes: &'a [u8],
}

unsafe impl SqlTranslatable for BitRef<'_> {
    const TYPE_IDENT: &'static str = pgrx::pgrx_resolved_type!(BitRef);
    const TYPE_ORIGIN: TypeOrigin = TypeOrigin::External;
    const ARGUMENT_SQL: Result<SqlMappingRef, ArgumentError> = Ok(SqlMappingRef::literal("bit"));
    const RETURN_SQL: Result<ReturnsRef, ReturnsError> =
        Ok(ReturnsRef::One(SqlMappingRef::literal("bit")));
}

impl FromDatum for BitRef<'_> {
    unsafe fn from_polymorphic_datum(
        datum: pg_sys::Datum,
        is_null: bool,
        _typoid: pg_sys::Oid,
    ) -> Option<Self> {
        if is_null {
            return None;
        }
        // SAFETY: a non-null varbit datum valid for the call; detoasting gives a 4-byte-header
        // copy or the original, whose body is an int32 bit count and ceil(nbits / 8) bytes.
        unsafe {
            let raw = pg_sys::pg_detoast_datum(datum.cast_mut_ptr()).cast::<u8>();
            let total = pgrx::varsize_4b(raw.cast());
            let nbits = raw.add(pg_sys::VARHDRSZ).cast::<i32>().read_unaligned();
            let nbytes = (nbits.max(0) as usize).div_ceil(8);
            if total < pg_sys::VARHDRSZ + 4 + nbytes {
                pgrx::error!("corrupt bit datum: {nbits} bits in {total} bytes");
            }
            let bytes = core::slice::from_raw_parts(raw.add(pg_sys::VARHDRSZ + 4), nbytes);
            Some(BitRef { nbits, bytes })
        }
    }
}

unsafe impl<'fcx> ArgAbi<'fcx> for BitRef<'_> {
    unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
        let index = arg.index();
        // SAFETY: forwarded from pgrx's contract for this function.
        unsafe { arg.unbox_arg_using_from_datum() }
            .unwrap_or_else(|| panic!("argument {index} must not be null"))
    }
}

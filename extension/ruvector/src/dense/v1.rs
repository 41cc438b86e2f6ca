//! Raw V1 entry points for the distance functions of `vector` and `halfvec` (`crate::v1` says
//! why). Each one reads its two arguments in place, computes the distance with the same kernel
//! as its pgrx twin (`super::ops::slices`) and returns it; whenever the arguments are not two
//! well-formed values of equal dimension it hands the whole call to the twin, which raises
//! pgvector's error (or the corrupt-datum one) through pgrx.

use super::element::Element;
use super::varlena::{DenseHeader, dense_size};
use crate::v1::{arg, detoast};
use pgrx::pg_sys;

/// The arguments' elements, or `None` for anything the pgrx twin must handle.
///
/// # Safety
/// `fcinfo` is a call of a STRICT function of two arguments of the SQL type of `E`. The slices
/// borrow the arguments (or their detoasted copies) for the rest of the call.
#[inline(always)]
pub unsafe fn pair<'a, E: Element>(fcinfo: pg_sys::FunctionCallInfo) -> Option<(&'a [E], &'a [E])> {
    // SAFETY: forwarded from the caller. `detoast` may raise an ERROR; nothing here has a
    // destructor.
    unsafe {
        let a = elements::<E>(detoast(arg(fcinfo, 0)))?;
        let b = elements::<E>(detoast(arg(fcinfo, 1)))?;
        (a.len() == b.len()).then_some((a, b))
    }
}

/// The elements of a detoasted value with a 4-byte header, if the header fits the datum's size
/// and the elements are aligned (the checks `DenseRef::from_datum` makes).
#[inline(always)]
unsafe fn elements<'a, E: Element>(value: *const pg_sys::varlena) -> Option<&'a [E]> {
    // SAFETY: a detoasted varlena of at least its header (checked before reading `dim`).
    unsafe {
        let total = pgrx::varsize_4b(value);
        if total < dense_size::<E>(0) {
            return None;
        }
        let dim = usize::try_from((*value.cast::<DenseHeader>()).dim).ok()?;
        let data = value.cast::<u8>().add(dense_size::<E>(0));
        if total < dense_size::<E>(dim) || data as usize % align_of::<E>() != 0 {
            return None;
        }
        Some(core::slice::from_raw_parts(data.cast::<E>(), dim))
    }
}

/// `dense_distance_v1!(symbol, finfo_symbol, element, kernel, twin_wrapper)`: defines the V1
/// function `symbol` (with its `pg_finfo_` record) computing `kernel` over two values of
/// `element`, and falling back to the pgrx function whose wrapper is `twin_wrapper`.
macro_rules! dense_distance_v1 {
    ($symbol:ident, $finfo:ident, $elem:ty, $kernel:path, $twin:ident) => {
        #[unsafe(no_mangle)]
        #[doc(hidden)]
        pub unsafe extern "C-unwind" fn $symbol(
            fcinfo: ::pgrx::pg_sys::FunctionCallInfo,
        ) -> ::pgrx::pg_sys::Datum {
            // SAFETY: Postgres calls this as the STRICT two-argument function the install SQL
            // declares; see `crate::v1` for the unguarded calls.
            unsafe {
                match $crate::dense::v1::pair::<$elem>(fcinfo) {
                    Some((a, b)) => $crate::v1::return_float8(fcinfo, $kernel(a, b)),
                    None => $twin(fcinfo),
                }
            }
        }

        #[unsafe(no_mangle)]
        #[doc(hidden)]
        pub extern "C" fn $finfo() -> &'static ::pgrx::pg_sys::Pg_finfo_record {
            &$crate::v1::V1_API
        }
    };
}
pub(crate) use dense_distance_v1;

//! Casts shared by `vector` and `halfvec`: from arrays, to `real[]`, between the two, and the
//! typmod coercion (`vector(n)` / `halfvec(n)` applied to a value).

use super::element::{Element, from_f32_checked};
use super::varlena::{Dense, DenseRef};
use crate::arrays::{float4_array, for_each_float};
use crate::checks::check_expected_dim;
use crate::sqltypes::Float4ArrayResult;
use pgrx::pg_sys;

/// pgvector's `vector(vector, int4, bool)` / `halfvec(halfvec, int4, bool)`: the argument
/// itself when its dimension count matches the typmod.
pub fn typmod_coerce<E: Element>(value: DenseRef<'_, E>, typmod: i32) -> DenseRef<'_, E> {
    check_expected_dim(typmod, value.dim() as i64);
    value
}

/// `array_to_vector` / `array_to_halfvec` for every element type: conversion errors element by
/// element, then NaN/Inf checks, as pgvector orders them.
pub fn array_to_dense<E: Element>(array: *mut pg_sys::ArrayType, typmod: i32) -> Dense<E> {
    let mut values = Vec::new();
    for_each_float(array, E::TYPE, typmod, &mut |x| {
        values.push(from_f32_checked::<E>(x))
    });
    E::TYPE.check_elements(values.iter().map(|v| v.to_f32()));
    Dense::from_slice(&values)
}

/// `vector_to_float4` / `halfvec_to_float4`.
pub fn dense_to_float4<E: Element>(value: DenseRef<'_, E>) -> Float4ArrayResult {
    float4_array(value.as_slice().iter().map(|v| v.to_f32()))
}

/// `halfvec_to_vector` / `vector_to_halfvec`: checks as the target type (pgvector's CheckDim of
/// the function's own file), then an exact widening or a checked rounding.
pub fn convert<From: Element, To: Element>(value: DenseRef<'_, From>, typmod: i32) -> Dense<To> {
    To::TYPE.check_dim(value.dim() as i64);
    check_expected_dim(typmod, value.dim() as i64);
    Dense::from_f32s(&value.to_f32_vec())
}

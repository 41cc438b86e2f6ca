//! The access method and its operator classes, declared exactly as pgvector 0.8.7 declares them
//! (names, strategy and support numbers: 1 distance, 2 norm for cosine, 3 the distance k-means
//! uses, 4 the norm k-means uses, 5 the type-support function), so `CREATE INDEX ... USING
//! ivfflat (col vector_l2_ops)` written for pgvector works unchanged and the catalog matches.

use pgrx::prelude::*;

crate::type_support_function!(pg_finfo_ivfflat_halfvec_support_wrapper, ivfflat_halfvec_support_wrapper);
crate::type_support_function!(pg_finfo_ivfflat_bit_support_wrapper, ivfflat_bit_support_wrapper);

extension_sql!(
    r#"
CREATE FUNCTION ivfflathandler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME', 'ivfflathandler_wrapper' LANGUAGE C;

CREATE ACCESS METHOD ivfflat TYPE INDEX HANDLER ivfflathandler;

COMMENT ON ACCESS METHOD ivfflat IS 'ivfflat index access method';

CREATE FUNCTION ivfflat_halfvec_support(internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'ivfflat_halfvec_support_wrapper' LANGUAGE C;

CREATE FUNCTION ivfflat_bit_support(internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'ivfflat_bit_support_wrapper' LANGUAGE C;

CREATE OPERATOR CLASS vector_l2_ops
	DEFAULT FOR TYPE vector USING ivfflat AS
	OPERATOR 1 <-> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_l2_squared_distance(vector, vector),
	FUNCTION 3 l2_distance(vector, vector);

CREATE OPERATOR CLASS vector_ip_ops
	FOR TYPE vector USING ivfflat AS
	OPERATOR 1 <#> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_negative_inner_product(vector, vector),
	FUNCTION 3 vector_spherical_distance(vector, vector),
	FUNCTION 4 vector_norm(vector);

CREATE OPERATOR CLASS vector_cosine_ops
	FOR TYPE vector USING ivfflat AS
	OPERATOR 1 <=> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_negative_inner_product(vector, vector),
	FUNCTION 2 vector_norm(vector),
	FUNCTION 3 vector_spherical_distance(vector, vector),
	FUNCTION 4 vector_norm(vector);

CREATE OPERATOR CLASS halfvec_l2_ops
	FOR TYPE halfvec USING ivfflat AS
	OPERATOR 1 <-> (halfvec, halfvec) FOR ORDER BY float_ops,
	FUNCTION 1 halfvec_l2_squared_distance(halfvec, halfvec),
	FUNCTION 3 l2_distance(halfvec, halfvec),
	FUNCTION 5 ivfflat_halfvec_support(internal);

CREATE OPERATOR CLASS halfvec_ip_ops
	FOR TYPE halfvec USING ivfflat AS
	OPERATOR 1 <#> (halfvec, halfvec) FOR ORDER BY float_ops,
	FUNCTION 1 halfvec_negative_inner_product(halfvec, halfvec),
	FUNCTION 3 halfvec_spherical_distance(halfvec, halfvec),
	FUNCTION 4 l2_norm(halfvec),
	FUNCTION 5 ivfflat_halfvec_support(internal);

CREATE OPERATOR CLASS halfvec_cosine_ops
	FOR TYPE halfvec USING ivfflat AS
	OPERATOR 1 <=> (halfvec, halfvec) FOR ORDER BY float_ops,
	FUNCTION 1 halfvec_negative_inner_product(halfvec, halfvec),
	FUNCTION 2 l2_norm(halfvec),
	FUNCTION 3 halfvec_spherical_distance(halfvec, halfvec),
	FUNCTION 4 l2_norm(halfvec),
	FUNCTION 5 ivfflat_halfvec_support(internal);

CREATE OPERATOR CLASS bit_hamming_ops
	FOR TYPE bit USING ivfflat AS
	OPERATOR 1 <~> (bit, bit) FOR ORDER BY float_ops,
	FUNCTION 1 hamming_distance(bit, bit),
	FUNCTION 3 hamming_distance(bit, bit),
	FUNCTION 5 ivfflat_bit_support(internal);
"#,
    name = "ivfflat_access_method",
    // Not `finalize` (hnsw's block is, and pgrx allows one): what the operator classes name.
    requires = [
        "vector_distance_operators",
        "halfvec_distance_operators",
        "bit_distance_operators",
        vector::ops::vector_l2_squared_distance_guarded,
        vector::ops::vector_negative_inner_product_guarded,
        vector::ops::l2_distance_guarded,
        vector::ops::vector_spherical_distance,
        vector::ops::vector_norm,
        halfvec::ops::halfvec_l2_squared_distance_guarded,
        halfvec::ops::halfvec_negative_inner_product_guarded,
        halfvec::ops::halfvec_l2_distance_guarded,
        halfvec::ops::halfvec_spherical_distance,
        halfvec::ops::halfvec_l2_norm,
        bit::hamming_distance,
    ],
);

//! The access method and its operator classes: pgvector's opclass names for vector and halfvec
//! under L2, inner product and cosine (support 1 the distance, 2 the norm for cosine), so a
//! pgvector `CREATE INDEX` switches to rabitq by changing only `USING`.

use pgrx::prelude::*;

extension_sql!(
    r#"
CREATE FUNCTION rabitqhandler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME', 'rabitqhandler_wrapper' LANGUAGE C;

CREATE ACCESS METHOD rabitq TYPE INDEX HANDLER rabitqhandler;

COMMENT ON ACCESS METHOD rabitq IS 'rabitq index access method (IVF lists of RaBitQ codes, reranked exactly)';

CREATE OPERATOR CLASS vector_l2_ops
	DEFAULT FOR TYPE vector USING rabitq AS
	OPERATOR 1 <-> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_l2_squared_distance(vector, vector);

CREATE OPERATOR CLASS vector_ip_ops
	FOR TYPE vector USING rabitq AS
	OPERATOR 1 <#> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_negative_inner_product(vector, vector);

CREATE OPERATOR CLASS vector_cosine_ops
	FOR TYPE vector USING rabitq AS
	OPERATOR 1 <=> (vector, vector) FOR ORDER BY float_ops,
	FUNCTION 1 vector_negative_inner_product(vector, vector),
	FUNCTION 2 vector_norm(vector);

CREATE OPERATOR CLASS halfvec_l2_ops
	FOR TYPE halfvec USING rabitq AS
	OPERATOR 1 <-> (halfvec, halfvec) FOR ORDER BY float_ops,
	FUNCTION 1 halfvec_l2_squared_distance(halfvec, halfvec);

CREATE OPERATOR CLASS halfvec_ip_ops
	FOR TYPE halfvec USING rabitq AS
	OPERATOR 1 <#> (halfvec, halfvec) FOR ORDER BY float_ops,
	FUNCTION 1 halfvec_negative_inner_product(halfvec, halfvec);

CREATE OPERATOR CLASS halfvec_cosine_ops
	FOR TYPE halfvec USING rabitq AS
	OPERATOR 1 <=> (halfvec, halfvec) FOR ORDER BY float_ops,
	FUNCTION 1 halfvec_negative_inner_product(halfvec, halfvec),
	FUNCTION 2 l2_norm(halfvec);
"#,
    name = "rabitq_access_method",
    requires = [
        "vector_distance_operators",
        "halfvec_distance_operators",
        vector::ops::vector_l2_squared_distance_guarded,
        vector::ops::vector_negative_inner_product_guarded,
        vector::ops::vector_norm,
        halfvec::ops::halfvec_l2_squared_distance_guarded,
        halfvec::ops::halfvec_negative_inner_product_guarded,
        halfvec::ops::halfvec_l2_norm,
    ],
);

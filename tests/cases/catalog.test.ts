// The extension's catalog entries, as \df, \do, \dC, \da and \dT would list them: every function
// (name, argument and result types, volatility, parallel safety, strictness), operator (with its
// function, commutator, negator and selectivity estimators), cast (function and context),
// aggregate (state, final and combine functions, initial state), type (I/O functions, typmod
// function, alignment, storage; their array types differ in how each PostgreSQL version records
// them as extension members, so they are left out) and btree operator class must be exactly pgvector 0.8's, so that
// schema dumps, ORMs' introspection and overload resolution see the same objects. The expected
// lists were taken from pgvector 0.8.0 itself. The hnsw access method is compared too: its handler
// and support functions, and its fourteen operator classes with their ORDER BY operators (and
// sort family) and support functions (1 distance, 2 norm for cosine, 3 the type's support
// function for halfvec, sparsevec and bit). The ivfflat access method likewise: its handler, support
// functions and seven operator classes (1 distance, 2 norm for cosine, 3 the k-means distance,
// 4 the k-means norm for inner product and cosine, 5 the type's support function for halfvec and
// bit). Left out of the comparison is what pgvector does not have: ruvector's own functions
// (ruvector_*, such as ruvector_index_check) and the rabitq access method, checked on their own
// at the end.
import { expect, test } from 'vitest'
import { config } from '../harness/config'
import { describeTargets } from '../harness/targets'

const EXT = `(SELECT oid FROM pg_extension WHERE extname = '${config.extension}')`
const member = (cls: string, col: string) =>
  `${col} IN (SELECT objid FROM pg_depend WHERE classid = '${cls}'::regclass AND refobjid = ${EXT} AND deptype = 'e')`

const QUERIES: Record<string, string> = {
  functions: `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') -> ' || pg_get_function_result(p.oid)
       || ' ' || p.provolatile::text || p.proparallel::text || CASE WHEN p.proisstrict THEN 's' ELSE '' END || p.prokind::text AS x
       FROM pg_proc p WHERE ${member('pg_proc', 'p.oid')} AND p.proname !~ '^(hnsw|ivfflat|rabitq|ruvector_)' ORDER BY 1`,
  operators: `SELECT o.oprname || ' (' || format_type(o.oprleft, NULL) || ', ' || format_type(o.oprright, NULL) || ') -> '
       || format_type(o.oprresult, NULL) || ' ' || o.oprcode::text || ' com=' || coalesce(c.oprname, '-') || ' neg=' || coalesce(n.oprname, '-')
       || ' ' || o.oprrest::text || ' ' || o.oprjoin::text AS x
       FROM pg_operator o LEFT JOIN pg_operator c ON c.oid = o.oprcom LEFT JOIN pg_operator n ON n.oid = o.oprnegate
       WHERE ${member('pg_operator', 'o.oid')} ORDER BY 1`,
  casts: `SELECT format_type(castsource, NULL) || ' -> ' || format_type(casttarget, NULL) || ' ' || castfunc::regprocedure::text || ' ' || castcontext::text AS x
       FROM pg_cast WHERE ${member('pg_cast', 'oid')} ORDER BY 1`,
  aggregates: `SELECT aggfnoid::regprocedure::text || ' sfunc=' || aggtransfn::text || ' final=' || aggfinalfn::text || ' combine=' || aggcombinefn::text
       || ' stype=' || format_type(aggtranstype, NULL) || ' init=' || coalesce(agginitval, '-') AS x
       FROM pg_aggregate WHERE ${member('pg_proc', 'aggfnoid')} ORDER BY 1`,
  types: `SELECT typname || ' len=' || typlen || ' align=' || typalign::text || ' storage=' || typstorage::text || ' in=' || typinput::text
       || ' out=' || typoutput::text || ' recv=' || typreceive::text || ' send=' || typsend::text || ' modin=' || typmodin::text
       || ' modout=' || typmodout::text || ' cat=' || typcategory::text AS x
       FROM pg_type WHERE ${member('pg_type', 'oid')} AND typcategory <> 'A' ORDER BY 1`,
  opclasses: `SELECT c.opcname || ' ' || am.amname || ' ' || format_type(c.opcintype, NULL) || ' default=' || c.opcdefault
       || ' ops=' || (SELECT string_agg(amopstrategy || ':' || amopopr::regoperator::text, ' ' ORDER BY amopstrategy) FROM pg_amop WHERE amopfamily = c.opcfamily)
       || ' procs=' || (SELECT string_agg(amprocnum || ':' || amproc::text, ' ' ORDER BY amprocnum) FROM pg_amproc WHERE amprocfamily = c.opcfamily) AS x
       FROM pg_opclass c JOIN pg_am am ON am.oid = c.opcmethod WHERE ${member('pg_opclass', 'c.oid')} AND am.amname = 'btree' ORDER BY 1`,
  access_methods: `SELECT amname || ' type=' || amtype::text || ' handler=' || amhandler::regprocedure::text AS x
       FROM pg_am WHERE ${member('pg_am', 'oid')} AND amname IN ('hnsw', 'ivfflat') ORDER BY 1`,
  hnsw_functions: `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') -> ' || pg_get_function_result(p.oid)
       || ' ' || p.provolatile::text || p.proparallel::text || CASE WHEN p.proisstrict THEN 's' ELSE '' END || p.prokind::text AS x
       FROM pg_proc p WHERE ${member('pg_proc', 'p.oid')} AND p.proname ~ '^hnsw' ORDER BY 1`,
  hnsw_opclasses: `SELECT c.opcname || ' ' || format_type(c.opcintype, NULL) || ' default=' || c.opcdefault || ' family=' || f.opfname
       || ' ops=' || (SELECT string_agg(amopstrategy || ':' || amopopr::regoperator::text || ' ' || amoppurpose::text || ' '
                                        || coalesce((SELECT opfname FROM pg_opfamily WHERE oid = amopsortfamily), '-'), ' ' ORDER BY amopstrategy)
                      FROM pg_amop WHERE amopfamily = c.opcfamily)
       || ' procs=' || (SELECT string_agg(amprocnum || ':' || amproc::regprocedure::text, ' ' ORDER BY amprocnum) FROM pg_amproc WHERE amprocfamily = c.opcfamily) AS x
       FROM pg_opclass c JOIN pg_am am ON am.oid = c.opcmethod JOIN pg_opfamily f ON f.oid = c.opcfamily
      WHERE ${member('pg_opclass', 'c.oid')} AND am.amname = 'hnsw' ORDER BY 1`,
  ivfflat_functions: `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') -> ' || pg_get_function_result(p.oid)
       || ' ' || p.provolatile::text || p.proparallel::text || CASE WHEN p.proisstrict THEN 's' ELSE '' END || p.prokind::text AS x
       FROM pg_proc p WHERE ${member('pg_proc', 'p.oid')} AND p.proname ~ '^ivfflat' ORDER BY 1`,
  ivfflat_opclasses: `SELECT c.opcname || ' ' || format_type(c.opcintype, NULL) || ' default=' || c.opcdefault || ' family=' || f.opfname
       || ' ops=' || (SELECT string_agg(amopstrategy || ':' || amopopr::regoperator::text || ' ' || amoppurpose::text || ' '
                                        || coalesce((SELECT opfname FROM pg_opfamily WHERE oid = amopsortfamily), '-'), ' ' ORDER BY amopstrategy)
                      FROM pg_amop WHERE amopfamily = c.opcfamily)
       || ' procs=' || (SELECT string_agg(amprocnum || ':' || amproc::regprocedure::text, ' ' ORDER BY amprocnum) FROM pg_amproc WHERE amprocfamily = c.opcfamily) AS x
       FROM pg_opclass c JOIN pg_am am ON am.oid = c.opcmethod JOIN pg_opfamily f ON f.oid = c.opcfamily
      WHERE ${member('pg_opclass', 'c.oid')} AND am.amname = 'ivfflat' ORDER BY 1`,
}

const EXPECTED: Record<string, string[]> = {
  functions: [
    "array_to_halfvec(double precision[], integer, boolean) -> halfvec issf",
    "array_to_halfvec(integer[], integer, boolean) -> halfvec issf",
    "array_to_halfvec(numeric[], integer, boolean) -> halfvec issf",
    "array_to_halfvec(real[], integer, boolean) -> halfvec issf",
    "array_to_sparsevec(double precision[], integer, boolean) -> sparsevec issf",
    "array_to_sparsevec(integer[], integer, boolean) -> sparsevec issf",
    "array_to_sparsevec(numeric[], integer, boolean) -> sparsevec issf",
    "array_to_sparsevec(real[], integer, boolean) -> sparsevec issf",
    "array_to_vector(double precision[], integer, boolean) -> vector issf",
    "array_to_vector(integer[], integer, boolean) -> vector issf",
    "array_to_vector(numeric[], integer, boolean) -> vector issf",
    "array_to_vector(real[], integer, boolean) -> vector issf",
    "avg(halfvec) -> halfvec isa",
    "avg(vector) -> vector isa",
    "binary_quantize(halfvec) -> bit issf",
    "binary_quantize(vector) -> bit issf",
    "cosine_distance(halfvec, halfvec) -> double precision issf",
    "cosine_distance(sparsevec, sparsevec) -> double precision issf",
    "cosine_distance(vector, vector) -> double precision issf",
    "halfvec(halfvec, integer, boolean) -> halfvec issf",
    "halfvec_accum(double precision[], halfvec) -> double precision[] issf",
    "halfvec_add(halfvec, halfvec) -> halfvec issf",
    "halfvec_avg(double precision[]) -> halfvec issf",
    "halfvec_cmp(halfvec, halfvec) -> integer issf",
    "halfvec_combine(double precision[], double precision[]) -> double precision[] issf",
    "halfvec_concat(halfvec, halfvec) -> halfvec issf",
    "halfvec_eq(halfvec, halfvec) -> boolean issf",
    "halfvec_ge(halfvec, halfvec) -> boolean issf",
    "halfvec_gt(halfvec, halfvec) -> boolean issf",
    "halfvec_in(cstring, oid, integer) -> halfvec issf",
    "halfvec_l2_squared_distance(halfvec, halfvec) -> double precision issf",
    "halfvec_le(halfvec, halfvec) -> boolean issf",
    "halfvec_lt(halfvec, halfvec) -> boolean issf",
    "halfvec_mul(halfvec, halfvec) -> halfvec issf",
    "halfvec_ne(halfvec, halfvec) -> boolean issf",
    "halfvec_negative_inner_product(halfvec, halfvec) -> double precision issf",
    "halfvec_out(halfvec) -> cstring issf",
    "halfvec_recv(internal, oid, integer) -> halfvec issf",
    "halfvec_send(halfvec) -> bytea issf",
    "halfvec_spherical_distance(halfvec, halfvec) -> double precision issf",
    "halfvec_sub(halfvec, halfvec) -> halfvec issf",
    "halfvec_to_float4(halfvec, integer, boolean) -> real[] issf",
    "halfvec_to_sparsevec(halfvec, integer, boolean) -> sparsevec issf",
    "halfvec_to_vector(halfvec, integer, boolean) -> vector issf",
    "halfvec_typmod_in(cstring[]) -> integer issf",
    "hamming_distance(bit, bit) -> double precision issf",
    "inner_product(halfvec, halfvec) -> double precision issf",
    "inner_product(sparsevec, sparsevec) -> double precision issf",
    "inner_product(vector, vector) -> double precision issf",
    "jaccard_distance(bit, bit) -> double precision issf",
    "l1_distance(halfvec, halfvec) -> double precision issf",
    "l1_distance(sparsevec, sparsevec) -> double precision issf",
    "l1_distance(vector, vector) -> double precision issf",
    "l2_distance(halfvec, halfvec) -> double precision issf",
    "l2_distance(sparsevec, sparsevec) -> double precision issf",
    "l2_distance(vector, vector) -> double precision issf",
    "l2_norm(halfvec) -> double precision issf",
    "l2_norm(sparsevec) -> double precision issf",
    "l2_normalize(halfvec) -> halfvec issf",
    "l2_normalize(sparsevec) -> sparsevec issf",
    "l2_normalize(vector) -> vector issf",
    "sparsevec(sparsevec, integer, boolean) -> sparsevec issf",
    "sparsevec_cmp(sparsevec, sparsevec) -> integer issf",
    "sparsevec_eq(sparsevec, sparsevec) -> boolean issf",
    "sparsevec_ge(sparsevec, sparsevec) -> boolean issf",
    "sparsevec_gt(sparsevec, sparsevec) -> boolean issf",
    "sparsevec_in(cstring, oid, integer) -> sparsevec issf",
    "sparsevec_l2_squared_distance(sparsevec, sparsevec) -> double precision issf",
    "sparsevec_le(sparsevec, sparsevec) -> boolean issf",
    "sparsevec_lt(sparsevec, sparsevec) -> boolean issf",
    "sparsevec_ne(sparsevec, sparsevec) -> boolean issf",
    "sparsevec_negative_inner_product(sparsevec, sparsevec) -> double precision issf",
    "sparsevec_out(sparsevec) -> cstring issf",
    "sparsevec_recv(internal, oid, integer) -> sparsevec issf",
    "sparsevec_send(sparsevec) -> bytea issf",
    "sparsevec_to_halfvec(sparsevec, integer, boolean) -> halfvec issf",
    "sparsevec_to_vector(sparsevec, integer, boolean) -> vector issf",
    "sparsevec_typmod_in(cstring[]) -> integer issf",
    "subvector(halfvec, integer, integer) -> halfvec issf",
    "subvector(vector, integer, integer) -> vector issf",
    "sum(halfvec) -> halfvec isa",
    "sum(vector) -> vector isa",
    "vector(vector, integer, boolean) -> vector issf",
    "vector_accum(double precision[], vector) -> double precision[] issf",
    "vector_add(vector, vector) -> vector issf",
    "vector_avg(double precision[]) -> vector issf",
    "vector_cmp(vector, vector) -> integer issf",
    "vector_combine(double precision[], double precision[]) -> double precision[] issf",
    "vector_concat(vector, vector) -> vector issf",
    "vector_dims(halfvec) -> integer issf",
    "vector_dims(vector) -> integer issf",
    "vector_eq(vector, vector) -> boolean issf",
    "vector_ge(vector, vector) -> boolean issf",
    "vector_gt(vector, vector) -> boolean issf",
    "vector_in(cstring, oid, integer) -> vector issf",
    "vector_l2_squared_distance(vector, vector) -> double precision issf",
    "vector_le(vector, vector) -> boolean issf",
    "vector_lt(vector, vector) -> boolean issf",
    "vector_mul(vector, vector) -> vector issf",
    "vector_ne(vector, vector) -> boolean issf",
    "vector_negative_inner_product(vector, vector) -> double precision issf",
    "vector_norm(vector) -> double precision issf",
    "vector_out(vector) -> cstring issf",
    "vector_recv(internal, oid, integer) -> vector issf",
    "vector_send(vector) -> bytea issf",
    "vector_spherical_distance(vector, vector) -> double precision issf",
    "vector_sub(vector, vector) -> vector issf",
    "vector_to_float4(vector, integer, boolean) -> real[] issf",
    "vector_to_halfvec(vector, integer, boolean) -> halfvec issf",
    "vector_to_sparsevec(vector, integer, boolean) -> sparsevec issf",
    "vector_typmod_in(cstring[]) -> integer issf",
  ],
  operators: [
    "* (halfvec, halfvec) -> halfvec halfvec_mul com=* neg=- - -",
    "* (vector, vector) -> vector vector_mul com=* neg=- - -",
    "+ (halfvec, halfvec) -> halfvec halfvec_add com=+ neg=- - -",
    "+ (vector, vector) -> vector vector_add com=+ neg=- - -",
    "- (halfvec, halfvec) -> halfvec halfvec_sub com=- neg=- - -",
    "- (vector, vector) -> vector vector_sub com=- neg=- - -",
    "< (halfvec, halfvec) -> boolean halfvec_lt com=> neg=>= scalarltsel scalarltjoinsel",
    "< (sparsevec, sparsevec) -> boolean sparsevec_lt com=> neg=>= scalarltsel scalarltjoinsel",
    "< (vector, vector) -> boolean vector_lt com=> neg=>= scalarltsel scalarltjoinsel",
    "<#> (halfvec, halfvec) -> double precision halfvec_negative_inner_product com=<#> neg=- - -",
    "<#> (sparsevec, sparsevec) -> double precision sparsevec_negative_inner_product com=<#> neg=- - -",
    "<#> (vector, vector) -> double precision vector_negative_inner_product com=<#> neg=- - -",
    "<%> (bit, bit) -> double precision jaccard_distance com=<%> neg=- - -",
    "<+> (halfvec, halfvec) -> double precision public.l1_distance com=<+> neg=- - -",
    "<+> (sparsevec, sparsevec) -> double precision public.l1_distance com=<+> neg=- - -",
    "<+> (vector, vector) -> double precision public.l1_distance com=<+> neg=- - -",
    "<-> (halfvec, halfvec) -> double precision public.l2_distance com=<-> neg=- - -",
    "<-> (sparsevec, sparsevec) -> double precision public.l2_distance com=<-> neg=- - -",
    "<-> (vector, vector) -> double precision public.l2_distance com=<-> neg=- - -",
    "<= (halfvec, halfvec) -> boolean halfvec_le com=>= neg=> scalarlesel scalarlejoinsel",
    "<= (sparsevec, sparsevec) -> boolean sparsevec_le com=>= neg=> scalarlesel scalarlejoinsel",
    "<= (vector, vector) -> boolean vector_le com=>= neg=> scalarlesel scalarlejoinsel",
    "<=> (halfvec, halfvec) -> double precision public.cosine_distance com=<=> neg=- - -",
    "<=> (sparsevec, sparsevec) -> double precision public.cosine_distance com=<=> neg=- - -",
    "<=> (vector, vector) -> double precision public.cosine_distance com=<=> neg=- - -",
    "<> (halfvec, halfvec) -> boolean halfvec_ne com=<> neg== eqsel eqjoinsel",
    "<> (sparsevec, sparsevec) -> boolean sparsevec_ne com=<> neg== eqsel eqjoinsel",
    "<> (vector, vector) -> boolean vector_ne com=<> neg== eqsel eqjoinsel",
    "<~> (bit, bit) -> double precision hamming_distance com=<~> neg=- - -",
    "= (halfvec, halfvec) -> boolean halfvec_eq com== neg=<> eqsel eqjoinsel",
    "= (sparsevec, sparsevec) -> boolean sparsevec_eq com== neg=<> eqsel eqjoinsel",
    "= (vector, vector) -> boolean vector_eq com== neg=<> eqsel eqjoinsel",
    "> (halfvec, halfvec) -> boolean halfvec_gt com=< neg=<= scalargtsel scalargtjoinsel",
    "> (sparsevec, sparsevec) -> boolean sparsevec_gt com=< neg=<= scalargtsel scalargtjoinsel",
    "> (vector, vector) -> boolean vector_gt com=< neg=<= scalargtsel scalargtjoinsel",
    ">= (halfvec, halfvec) -> boolean halfvec_ge com=<= neg=< scalargesel scalargejoinsel",
    ">= (sparsevec, sparsevec) -> boolean sparsevec_ge com=<= neg=< scalargesel scalargejoinsel",
    ">= (vector, vector) -> boolean vector_ge com=<= neg=< scalargesel scalargejoinsel",
    "|| (halfvec, halfvec) -> halfvec halfvec_concat com=- neg=- - -",
    "|| (vector, vector) -> vector vector_concat com=- neg=- - -",
  ],
  casts: [
    "double precision[] -> halfvec array_to_halfvec(double precision[],integer,boolean) a",
    "double precision[] -> sparsevec array_to_sparsevec(double precision[],integer,boolean) a",
    "double precision[] -> vector array_to_vector(double precision[],integer,boolean) a",
    "halfvec -> halfvec halfvec(halfvec,integer,boolean) i",
    "halfvec -> real[] halfvec_to_float4(halfvec,integer,boolean) a",
    "halfvec -> sparsevec halfvec_to_sparsevec(halfvec,integer,boolean) i",
    "halfvec -> vector halfvec_to_vector(halfvec,integer,boolean) a",
    "integer[] -> halfvec array_to_halfvec(integer[],integer,boolean) a",
    "integer[] -> sparsevec array_to_sparsevec(integer[],integer,boolean) a",
    "integer[] -> vector array_to_vector(integer[],integer,boolean) a",
    "numeric[] -> halfvec array_to_halfvec(numeric[],integer,boolean) a",
    "numeric[] -> sparsevec array_to_sparsevec(numeric[],integer,boolean) a",
    "numeric[] -> vector array_to_vector(numeric[],integer,boolean) a",
    "real[] -> halfvec array_to_halfvec(real[],integer,boolean) a",
    "real[] -> sparsevec array_to_sparsevec(real[],integer,boolean) a",
    "real[] -> vector array_to_vector(real[],integer,boolean) a",
    "sparsevec -> halfvec sparsevec_to_halfvec(sparsevec,integer,boolean) a",
    "sparsevec -> sparsevec sparsevec(sparsevec,integer,boolean) i",
    "sparsevec -> vector sparsevec_to_vector(sparsevec,integer,boolean) a",
    "vector -> halfvec vector_to_halfvec(vector,integer,boolean) i",
    "vector -> real[] vector_to_float4(vector,integer,boolean) i",
    "vector -> sparsevec vector_to_sparsevec(vector,integer,boolean) i",
    "vector -> vector vector(vector,integer,boolean) i",
  ],
  aggregates: [
    "avg(halfvec) sfunc=halfvec_accum final=halfvec_avg combine=halfvec_combine stype=double precision[] init={0}",
    "avg(vector) sfunc=vector_accum final=vector_avg combine=vector_combine stype=double precision[] init={0}",
    "sum(halfvec) sfunc=halfvec_add final=- combine=halfvec_add stype=halfvec init=-",
    "sum(vector) sfunc=vector_add final=- combine=vector_add stype=vector init=-",
  ],
  types: [
    "halfvec len=-1 align=i storage=e in=halfvec_in out=halfvec_out recv=halfvec_recv send=halfvec_send modin=halfvec_typmod_in modout=- cat=U",
    "sparsevec len=-1 align=i storage=e in=sparsevec_in out=sparsevec_out recv=sparsevec_recv send=sparsevec_send modin=sparsevec_typmod_in modout=- cat=U",
    "vector len=-1 align=i storage=e in=vector_in out=vector_out recv=vector_recv send=vector_send modin=vector_typmod_in modout=- cat=U",
  ],
  opclasses: [
    "halfvec_ops btree halfvec default=true ops=1:<(halfvec,halfvec) 2:<=(halfvec,halfvec) 3:=(halfvec,halfvec) 4:>=(halfvec,halfvec) 5:>(halfvec,halfvec) procs=1:halfvec_cmp",
    "sparsevec_ops btree sparsevec default=true ops=1:<(sparsevec,sparsevec) 2:<=(sparsevec,sparsevec) 3:=(sparsevec,sparsevec) 4:>=(sparsevec,sparsevec) 5:>(sparsevec,sparsevec) procs=1:sparsevec_cmp",
    "vector_ops btree vector default=true ops=1:<(vector,vector) 2:<=(vector,vector) 3:=(vector,vector) 4:>=(vector,vector) 5:>(vector,vector) procs=1:vector_cmp",
  ],
  access_methods: [
    "hnsw type=i handler=hnswhandler(internal)",
    "ivfflat type=i handler=ivfflathandler(internal)",
  ],
  hnsw_functions: [
    "hnsw_bit_support(internal) -> internal vuf",
    "hnsw_halfvec_support(internal) -> internal vuf",
    "hnsw_sparsevec_support(internal) -> internal vuf",
    "hnswhandler(internal) -> index_am_handler vuf",
  ],
  hnsw_opclasses: [
    "bit_hamming_ops bit default=false family=bit_hamming_ops ops=1:<~>(bit,bit) o float_ops procs=1:hamming_distance(bit,bit) 3:hnsw_bit_support(internal)",
    "bit_jaccard_ops bit default=false family=bit_jaccard_ops ops=1:<%>(bit,bit) o float_ops procs=1:jaccard_distance(bit,bit) 3:hnsw_bit_support(internal)",
    "halfvec_cosine_ops halfvec default=false family=halfvec_cosine_ops ops=1:<=>(halfvec,halfvec) o float_ops procs=1:halfvec_negative_inner_product(halfvec,halfvec) 2:l2_norm(halfvec) 3:hnsw_halfvec_support(internal)",
    "halfvec_ip_ops halfvec default=false family=halfvec_ip_ops ops=1:<#>(halfvec,halfvec) o float_ops procs=1:halfvec_negative_inner_product(halfvec,halfvec) 3:hnsw_halfvec_support(internal)",
    "halfvec_l1_ops halfvec default=false family=halfvec_l1_ops ops=1:<+>(halfvec,halfvec) o float_ops procs=1:l1_distance(halfvec,halfvec) 3:hnsw_halfvec_support(internal)",
    "halfvec_l2_ops halfvec default=false family=halfvec_l2_ops ops=1:<->(halfvec,halfvec) o float_ops procs=1:halfvec_l2_squared_distance(halfvec,halfvec) 3:hnsw_halfvec_support(internal)",
    "sparsevec_cosine_ops sparsevec default=false family=sparsevec_cosine_ops ops=1:<=>(sparsevec,sparsevec) o float_ops procs=1:sparsevec_negative_inner_product(sparsevec,sparsevec) 2:l2_norm(sparsevec) 3:hnsw_sparsevec_support(internal)",
    "sparsevec_ip_ops sparsevec default=false family=sparsevec_ip_ops ops=1:<#>(sparsevec,sparsevec) o float_ops procs=1:sparsevec_negative_inner_product(sparsevec,sparsevec) 3:hnsw_sparsevec_support(internal)",
    "sparsevec_l1_ops sparsevec default=false family=sparsevec_l1_ops ops=1:<+>(sparsevec,sparsevec) o float_ops procs=1:l1_distance(sparsevec,sparsevec) 3:hnsw_sparsevec_support(internal)",
    "sparsevec_l2_ops sparsevec default=false family=sparsevec_l2_ops ops=1:<->(sparsevec,sparsevec) o float_ops procs=1:sparsevec_l2_squared_distance(sparsevec,sparsevec) 3:hnsw_sparsevec_support(internal)",
    "vector_cosine_ops vector default=false family=vector_cosine_ops ops=1:<=>(vector,vector) o float_ops procs=1:vector_negative_inner_product(vector,vector) 2:vector_norm(vector)",
    "vector_ip_ops vector default=false family=vector_ip_ops ops=1:<#>(vector,vector) o float_ops procs=1:vector_negative_inner_product(vector,vector)",
    "vector_l1_ops vector default=false family=vector_l1_ops ops=1:<+>(vector,vector) o float_ops procs=1:l1_distance(vector,vector)",
    "vector_l2_ops vector default=false family=vector_l2_ops ops=1:<->(vector,vector) o float_ops procs=1:vector_l2_squared_distance(vector,vector)",
  ],
  ivfflat_functions: [
    "ivfflat_bit_support(internal) -> internal vuf",
    "ivfflat_halfvec_support(internal) -> internal vuf",
    "ivfflathandler(internal) -> index_am_handler vuf",
  ],
  ivfflat_opclasses: [
    "bit_hamming_ops bit default=false family=bit_hamming_ops ops=1:<~>(bit,bit) o float_ops procs=1:hamming_distance(bit,bit) 3:hamming_distance(bit,bit) 5:ivfflat_bit_support(internal)",
    "halfvec_cosine_ops halfvec default=false family=halfvec_cosine_ops ops=1:<=>(halfvec,halfvec) o float_ops procs=1:halfvec_negative_inner_product(halfvec,halfvec) 2:l2_norm(halfvec) 3:halfvec_spherical_distance(halfvec,halfvec) 4:l2_norm(halfvec) 5:ivfflat_halfvec_support(internal)",
    "halfvec_ip_ops halfvec default=false family=halfvec_ip_ops ops=1:<#>(halfvec,halfvec) o float_ops procs=1:halfvec_negative_inner_product(halfvec,halfvec) 3:halfvec_spherical_distance(halfvec,halfvec) 4:l2_norm(halfvec) 5:ivfflat_halfvec_support(internal)",
    "halfvec_l2_ops halfvec default=false family=halfvec_l2_ops ops=1:<->(halfvec,halfvec) o float_ops procs=1:halfvec_l2_squared_distance(halfvec,halfvec) 3:l2_distance(halfvec,halfvec) 5:ivfflat_halfvec_support(internal)",
    "vector_cosine_ops vector default=false family=vector_cosine_ops ops=1:<=>(vector,vector) o float_ops procs=1:vector_negative_inner_product(vector,vector) 2:vector_norm(vector) 3:vector_spherical_distance(vector,vector) 4:vector_norm(vector)",
    "vector_ip_ops vector default=false family=vector_ip_ops ops=1:<#>(vector,vector) o float_ops procs=1:vector_negative_inner_product(vector,vector) 3:vector_spherical_distance(vector,vector) 4:vector_norm(vector)",
    "vector_l2_ops vector default=true family=vector_l2_ops ops=1:<->(vector,vector) o float_ops procs=1:vector_l2_squared_distance(vector,vector) 3:l2_distance(vector,vector)",
  ],
}

describeTargets('catalog entries match pgvector 0.8', (t) => {
  for (const kind of Object.keys(QUERIES)) {
    test(kind, async () => {
      const rows = await t.query<{ x: string }>(QUERIES[kind])
      expect(rows.map((r) => r.x)).toEqual(EXPECTED[kind])
    })
  }
})

describeTargets('ruvector\'s own functions and access method', (t) => {
  test('ruvector_index_check and ruvector_index_contents', async () => {
    const rows = await t.query(
      `SELECT p.oid::regprocedure::text AS f, pg_get_function_result(p.oid) AS result FROM pg_proc p
        WHERE p.proname ~ '^ruvector_index_' AND ${member('pg_proc', 'p.oid')} ORDER BY 1`)
    expect(rows).toEqual([
      { f: 'ruvector_index_check(regclass)', result: 'TABLE(problem text, block bigint, item integer, detail text)' },
      { f: 'ruvector_index_contents(regclass)', result: 'bytea' },
    ])
  })

  test('rabitq: handler and six operator classes with pgvector\'s names', async () => {
    const am = await t.query<{ x: string }>(`SELECT amname || ' type=' || amtype::text || ' handler=' || amhandler::regprocedure::text AS x
       FROM pg_am WHERE ${member('pg_am', 'oid')} AND amname = 'rabitq'`)
    expect(am.map((r) => r.x)).toEqual(['rabitq type=i handler=rabitqhandler(internal)'])
    const opclasses = await t.query<{ x: string }>(`SELECT c.opcname || ' ' || format_type(c.opcintype, NULL) || ' default=' || c.opcdefault::text
       || ' ops=' || (SELECT string_agg(amopstrategy || ':' || amopopr::regoperator::text, ' ' ORDER BY amopstrategy) FROM pg_amop WHERE amopfamily = c.opcfamily)
       || ' procs=' || (SELECT string_agg(amprocnum || ':' || amproc::regprocedure::text, ' ' ORDER BY amprocnum) FROM pg_amproc WHERE amprocfamily = c.opcfamily) AS x
       FROM pg_opclass c JOIN pg_am am ON am.oid = c.opcmethod WHERE am.amname = 'rabitq' ORDER BY 1`)
    expect(opclasses.map((r) => r.x)).toEqual([
      'halfvec_cosine_ops halfvec default=false ops=1:<=>(halfvec,halfvec) procs=1:halfvec_negative_inner_product(halfvec,halfvec) 2:l2_norm(halfvec)',
      'halfvec_ip_ops halfvec default=false ops=1:<#>(halfvec,halfvec) procs=1:halfvec_negative_inner_product(halfvec,halfvec)',
      'halfvec_l2_ops halfvec default=false ops=1:<->(halfvec,halfvec) procs=1:halfvec_l2_squared_distance(halfvec,halfvec)',
      'vector_cosine_ops vector default=false ops=1:<=>(vector,vector) procs=1:vector_negative_inner_product(vector,vector) 2:vector_norm(vector)',
      'vector_ip_ops vector default=false ops=1:<#>(vector,vector) procs=1:vector_negative_inner_product(vector,vector)',
      'vector_l2_ops vector default=true ops=1:<->(vector,vector) procs=1:vector_l2_squared_distance(vector,vector)',
    ])
  })
}, config.extension === 'ruvector' ? {} : { skip: `these are ruvector's own; extension is ${config.extension}` })

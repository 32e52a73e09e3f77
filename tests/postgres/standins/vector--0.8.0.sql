-- Preflight stand-in for pgvector 0.8.0, for tests on a stock PostgreSQL that
-- lacks the real extension. No C code: a `vector` value is stored the way
-- jsonb stores '[1, 2, 3]', reusing jsonb's built-in I/O functions, so the
-- type accepts pgvector's text format; `vector(n)` keeps n as its typmod (with
-- bit's built-in typmod functions) and a length-coercion cast checks it.
-- Arithmetic, distances and comparisons are PL/pgSQL over real[].
--
-- ivfflat and hnsw are index access methods that reuse BRIN's handler, and
-- their opclasses are BRIN min/max classes over the comparison operators: an
-- index builds and stays maintained, but never serves a nearest-neighbour
-- search, and BRIN rejects pgvector's reloptions (lists, m, ef_construction).

\echo Use "CREATE EXTENSION vector" to load this file. \quit

CREATE TYPE vector;

CREATE FUNCTION vector_in(cstring) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE internal AS 'jsonb_in';
CREATE FUNCTION vector_out(vector) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE internal AS 'jsonb_out';
CREATE FUNCTION vector_recv(internal) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE internal AS 'jsonb_recv';
CREATE FUNCTION vector_send(vector) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE internal AS 'jsonb_send';
CREATE FUNCTION vector_typmod_in(cstring[]) RETURNS integer
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE internal AS 'bittypmodin';
CREATE FUNCTION vector_typmod_out(integer) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE internal AS 'bittypmodout';

CREATE TYPE vector (
    INPUT = vector_in,
    OUTPUT = vector_out,
    RECEIVE = vector_recv,
    SEND = vector_send,
    TYPMOD_IN = vector_typmod_in,
    TYPMOD_OUT = vector_typmod_out,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);

-- Conversions. Text is the bridge to and from the jsonb-shaped value.

CREATE FUNCTION vector_to_float4(v vector, typmod integer, explicit boolean) RETURNS real[]
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE plpgsql AS $$
DECLARE
    j jsonb := v::text::jsonb;
BEGIN
    IF jsonb_typeof(j) <> 'array' THEN
        RAISE EXCEPTION 'invalid input syntax for type vector: "%"', v::text;
    END IF;
    RETURN ARRAY(SELECT e::real FROM jsonb_array_elements_text(j) WITH ORDINALITY AS t(e, i) ORDER BY i);
EXCEPTION WHEN invalid_text_representation THEN
    RAISE EXCEPTION 'invalid input syntax for type vector: "%"', v::text;
END $$;

CREATE FUNCTION array_to_vector(a real[], typmod integer, explicit boolean) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE plpgsql AS $$
BEGIN
    IF array_ndims(a) IS DISTINCT FROM 1 THEN
        RAISE EXCEPTION 'array must be 1-D';
    END IF;
    IF array_position(a, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'array must not contain nulls';
    END IF;
    IF typmod > 0 AND cardinality(a) <> typmod THEN
        RAISE EXCEPTION 'expected % dimensions, not %', typmod, cardinality(a);
    END IF;
    RETURN array_to_json(a)::text::@extschema@.vector;
END $$;

CREATE FUNCTION array_to_vector(a integer[], typmod integer, explicit boolean) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN @extschema@.array_to_vector(a::real[], typmod, explicit);
CREATE FUNCTION array_to_vector(a double precision[], typmod integer, explicit boolean) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN @extschema@.array_to_vector(a::real[], typmod, explicit);
CREATE FUNCTION array_to_vector(a numeric[], typmod integer, explicit boolean) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN @extschema@.array_to_vector(a::real[], typmod, explicit);

-- Length coercion for vector(n): checks the value and its dimensions.
CREATE FUNCTION vector(v vector, typmod integer, explicit boolean) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE plpgsql AS $$
DECLARE
    a real[] := @extschema@.vector_to_float4(v, -1, false);
BEGIN
    IF cardinality(a) < 1 THEN
        RAISE EXCEPTION 'vector must have at least 1 dimension';
    END IF;
    IF typmod > 0 AND cardinality(a) <> typmod THEN
        RAISE EXCEPTION 'expected % dimensions, not %', typmod, cardinality(a);
    END IF;
    RETURN v;
END $$;

CREATE CAST (vector AS vector) WITH FUNCTION vector(vector, integer, boolean) AS IMPLICIT;
CREATE CAST (vector AS real[]) WITH FUNCTION vector_to_float4(vector, integer, boolean) AS IMPLICIT;
CREATE CAST (real[] AS vector) WITH FUNCTION array_to_vector(real[], integer, boolean) AS ASSIGNMENT;
CREATE CAST (integer[] AS vector) WITH FUNCTION array_to_vector(integer[], integer, boolean) AS ASSIGNMENT;
CREATE CAST (double precision[] AS vector) WITH FUNCTION array_to_vector(double precision[], integer, boolean) AS ASSIGNMENT;
CREATE CAST (numeric[] AS vector) WITH FUNCTION array_to_vector(numeric[], integer, boolean) AS ASSIGNMENT;

-- Pairs of elements of two vectors of the same dimensions.
CREATE FUNCTION vector_pairs(a vector, b vector, OUT x double precision, OUT y double precision)
    RETURNS SETOF record
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE plpgsql AS $$
DECLARE
    xa real[] := a::real[];
    ya real[] := b::real[];
BEGIN
    IF cardinality(xa) <> cardinality(ya) THEN
        RAISE EXCEPTION 'different vector dimensions % and %', cardinality(xa), cardinality(ya);
    END IF;
    RETURN QUERY SELECT t.x::double precision, t.y::double precision FROM unnest(xa, ya) AS t(x, y);
END $$;

-- Functions.

CREATE FUNCTION vector_dims(vector) RETURNS integer
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN cardinality($1::real[]);

CREATE FUNCTION vector_norm(vector) RETURNS double precision
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN (SELECT sqrt(coalesce(sum(x::double precision * x), 0)) FROM unnest($1::real[]) AS t(x));

CREATE FUNCTION l2_distance(vector, vector) RETURNS double precision
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN (SELECT sqrt(coalesce(sum((x - y) * (x - y)), 0)) FROM @extschema@.vector_pairs($1, $2));

CREATE FUNCTION inner_product(vector, vector) RETURNS double precision
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN (SELECT coalesce(sum(x * y), 0) FROM @extschema@.vector_pairs($1, $2));

CREATE FUNCTION vector_negative_inner_product(vector, vector) RETURNS double precision
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN -@extschema@.inner_product($1, $2);

CREATE FUNCTION cosine_distance(vector, vector) RETURNS double precision
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN (
        SELECT CASE
            WHEN sum(x * x) = 0 OR sum(y * y) = 0 THEN 'NaN'::double precision
            ELSE 1 - greatest(-1, least(1, sum(x * y) / sqrt(sum(x * x) * sum(y * y))))
        END
        FROM @extschema@.vector_pairs($1, $2)
    );

CREATE FUNCTION l1_distance(vector, vector) RETURNS double precision
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN (SELECT coalesce(sum(abs(x - y)), 0) FROM @extschema@.vector_pairs($1, $2));

CREATE FUNCTION l2_normalize(vector) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN (
        SELECT @extschema@.array_to_vector(
            array_agg(CASE WHEN n = 0 THEN 0 ELSE x / n END ORDER BY i)::real[], -1, false)
        FROM unnest($1::real[]) WITH ORDINALITY AS t(x, i),
             LATERAL (SELECT @extschema@.vector_norm($1)) AS m(n)
    );

CREATE FUNCTION subvector(vector, integer, integer) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN @extschema@.array_to_vector(($1::real[])[$2:$2 + $3 - 1], -1, false);

CREATE FUNCTION vector_add(vector, vector) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN (SELECT @extschema@.array_to_vector(array_agg(x + y)::real[], -1, false) FROM @extschema@.vector_pairs($1, $2));

CREATE FUNCTION vector_sub(vector, vector) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN (SELECT @extschema@.array_to_vector(array_agg(x - y)::real[], -1, false) FROM @extschema@.vector_pairs($1, $2));

CREATE FUNCTION vector_mul(vector, vector) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN (SELECT @extschema@.array_to_vector(array_agg(x * y)::real[], -1, false) FROM @extschema@.vector_pairs($1, $2));

CREATE FUNCTION vector_concat(vector, vector) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN @extschema@.array_to_vector($1::real[] || $2::real[], -1, false);

-- Ordering: element by element, then by dimensions, as pgvector does.
CREATE FUNCTION vector_cmp(vector, vector) RETURNS integer
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN CASE WHEN $1::real[] < $2::real[] THEN -1 WHEN $1::real[] > $2::real[] THEN 1 ELSE 0 END;
CREATE FUNCTION vector_lt(vector, vector) RETURNS boolean
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql RETURN @extschema@.vector_cmp($1, $2) < 0;
CREATE FUNCTION vector_le(vector, vector) RETURNS boolean
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql RETURN @extschema@.vector_cmp($1, $2) <= 0;
CREATE FUNCTION vector_eq(vector, vector) RETURNS boolean
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql RETURN @extschema@.vector_cmp($1, $2) = 0;
CREATE FUNCTION vector_ne(vector, vector) RETURNS boolean
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql RETURN @extschema@.vector_cmp($1, $2) <> 0;
CREATE FUNCTION vector_ge(vector, vector) RETURNS boolean
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql RETURN @extschema@.vector_cmp($1, $2) >= 0;
CREATE FUNCTION vector_gt(vector, vector) RETURNS boolean
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql RETURN @extschema@.vector_cmp($1, $2) > 0;

-- Aggregates.

CREATE FUNCTION vector_accum(state double precision[], v vector) RETURNS double precision[]
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE plpgsql AS $$
DECLARE
    a real[] := v::real[];
BEGIN
    IF state[1] > 0 AND cardinality(state) - 1 <> cardinality(a) THEN
        RAISE EXCEPTION 'expected % dimensions, not %', cardinality(state) - 1, cardinality(a);
    END IF;
    IF state[1] = 0 THEN
        RETURN array_prepend(1::double precision, a::double precision[]);
    END IF;
    RETURN array_prepend(state[1] + 1,
        ARRAY(SELECT s + x FROM unnest(state[2:], a) WITH ORDINALITY AS t(s, x, i) ORDER BY i));
END $$;

CREATE FUNCTION vector_avg(state double precision[]) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN CASE WHEN state[1] = 0 THEN NULL ELSE
        @extschema@.array_to_vector(ARRAY(SELECT s / state[1] FROM unnest(state[2:]) WITH ORDINALITY AS t(s, i) ORDER BY i)::real[], -1, false)
    END;

CREATE FUNCTION vector_sum_final(state double precision[]) RETURNS vector
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN CASE WHEN state[1] = 0 THEN NULL ELSE
        @extschema@.array_to_vector(state[2:]::real[], -1, false)
    END;

CREATE AGGREGATE avg(vector) (
    SFUNC = vector_accum, STYPE = double precision[], FINALFUNC = vector_avg, INITCOND = '{0}'
);
CREATE AGGREGATE sum(vector) (
    SFUNC = vector_accum, STYPE = double precision[], FINALFUNC = vector_sum_final, INITCOND = '{0}'
);

-- Operators.

CREATE OPERATOR <-> (LEFTARG = vector, RIGHTARG = vector, FUNCTION = l2_distance, COMMUTATOR = '<->');
CREATE OPERATOR <#> (LEFTARG = vector, RIGHTARG = vector, FUNCTION = vector_negative_inner_product, COMMUTATOR = '<#>');
CREATE OPERATOR <=> (LEFTARG = vector, RIGHTARG = vector, FUNCTION = cosine_distance, COMMUTATOR = '<=>');
CREATE OPERATOR <+> (LEFTARG = vector, RIGHTARG = vector, FUNCTION = l1_distance, COMMUTATOR = '<+>');
CREATE OPERATOR + (LEFTARG = vector, RIGHTARG = vector, FUNCTION = vector_add, COMMUTATOR = +);
CREATE OPERATOR - (LEFTARG = vector, RIGHTARG = vector, FUNCTION = vector_sub);
CREATE OPERATOR * (LEFTARG = vector, RIGHTARG = vector, FUNCTION = vector_mul, COMMUTATOR = *);
CREATE OPERATOR || (LEFTARG = vector, RIGHTARG = vector, FUNCTION = vector_concat);

CREATE OPERATOR < (LEFTARG = vector, RIGHTARG = vector, FUNCTION = vector_lt,
    COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = vector, RIGHTARG = vector, FUNCTION = vector_le,
    COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR = (LEFTARG = vector, RIGHTARG = vector, FUNCTION = vector_eq,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE OPERATOR <> (LEFTARG = vector, RIGHTARG = vector, FUNCTION = vector_ne,
    COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR >= (LEFTARG = vector, RIGHTARG = vector, FUNCTION = vector_ge,
    COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR > (LEFTARG = vector, RIGHTARG = vector, FUNCTION = vector_gt,
    COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);

CREATE OPERATOR CLASS vector_ops DEFAULT FOR TYPE vector USING btree AS
    OPERATOR 1 <,
    OPERATOR 2 <=,
    OPERATOR 3 =,
    OPERATOR 4 >=,
    OPERATOR 5 >,
    FUNCTION 1 vector_cmp(vector, vector);

-- Index access methods: named like pgvector's, built on BRIN (see the top).

CREATE ACCESS METHOD ivfflat TYPE INDEX HANDLER brinhandler;
COMMENT ON ACCESS METHOD ivfflat IS 'stand-in: BRIN min/max, no nearest-neighbour search';
CREATE ACCESS METHOD hnsw TYPE INDEX HANDLER brinhandler;
COMMENT ON ACCESS METHOD hnsw IS 'stand-in: BRIN min/max, no nearest-neighbour search';

CREATE OPERATOR CLASS vector_l2_ops DEFAULT FOR TYPE vector USING ivfflat AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 brin_minmax_opcinfo(internal),
    FUNCTION 2 brin_minmax_add_value(internal, internal, internal, internal),
    FUNCTION 3 brin_minmax_consistent(internal, internal, internal),
    FUNCTION 4 brin_minmax_union(internal, internal, internal);
CREATE OPERATOR CLASS vector_ip_ops FOR TYPE vector USING ivfflat AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 brin_minmax_opcinfo(internal),
    FUNCTION 2 brin_minmax_add_value(internal, internal, internal, internal),
    FUNCTION 3 brin_minmax_consistent(internal, internal, internal),
    FUNCTION 4 brin_minmax_union(internal, internal, internal);
CREATE OPERATOR CLASS vector_cosine_ops FOR TYPE vector USING ivfflat AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 brin_minmax_opcinfo(internal),
    FUNCTION 2 brin_minmax_add_value(internal, internal, internal, internal),
    FUNCTION 3 brin_minmax_consistent(internal, internal, internal),
    FUNCTION 4 brin_minmax_union(internal, internal, internal);

CREATE OPERATOR CLASS vector_l2_ops DEFAULT FOR TYPE vector USING hnsw AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 brin_minmax_opcinfo(internal),
    FUNCTION 2 brin_minmax_add_value(internal, internal, internal, internal),
    FUNCTION 3 brin_minmax_consistent(internal, internal, internal),
    FUNCTION 4 brin_minmax_union(internal, internal, internal);
CREATE OPERATOR CLASS vector_ip_ops FOR TYPE vector USING hnsw AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 brin_minmax_opcinfo(internal),
    FUNCTION 2 brin_minmax_add_value(internal, internal, internal, internal),
    FUNCTION 3 brin_minmax_consistent(internal, internal, internal),
    FUNCTION 4 brin_minmax_union(internal, internal, internal);
CREATE OPERATOR CLASS vector_cosine_ops FOR TYPE vector USING hnsw AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 brin_minmax_opcinfo(internal),
    FUNCTION 2 brin_minmax_add_value(internal, internal, internal, internal),
    FUNCTION 3 brin_minmax_consistent(internal, internal, internal),
    FUNCTION 4 brin_minmax_union(internal, internal, internal);
CREATE OPERATOR CLASS vector_l1_ops FOR TYPE vector USING hnsw AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 brin_minmax_opcinfo(internal),
    FUNCTION 2 brin_minmax_add_value(internal, internal, internal, internal),
    FUNCTION 3 brin_minmax_consistent(internal, internal, internal),
    FUNCTION 4 brin_minmax_union(internal, internal, internal);

-- Preflight stand-in for HypoPG 1.4, for tests on a stock PostgreSQL that
-- lacks the real extension. Same functions and views. A hypothetical index
-- is checked (its table must exist) and recorded for the session that made
-- it, but the planner never sees it, so EXPLAIN plans do not change.

\echo Use "CREATE EXTENSION hypopg" to load this file. \quit

CREATE SEQUENCE hypopg_oid_seq START WITH 1000000000;

CREATE UNLOGGED TABLE hypopg_store (
    indexrelid oid PRIMARY KEY,
    indexname text NOT NULL,
    indrelid oid NOT NULL,
    amname text NOT NULL,
    indexdef text NOT NULL,
    is_unique boolean NOT NULL,
    hidden boolean NOT NULL DEFAULT false,
    backend_pid integer NOT NULL DEFAULT pg_backend_pid()
);
GRANT SELECT, INSERT, UPDATE, DELETE ON hypopg_store TO PUBLIC;
GRANT USAGE ON SEQUENCE hypopg_oid_seq TO PUBLIC;

-- Accepts CREATE [UNIQUE] INDEX [name] ON table [USING method] (columns) ...
CREATE FUNCTION hypopg_create_index(sql_order text, OUT indexrelid oid, OUT indexname text)
    RETURNS SETOF record
    LANGUAGE plpgsql VOLATILE STRICT
AS $$
DECLARE
    m text[];
    rel regclass;
    am text;
BEGIN
    m := regexp_match(sql_order,
        '^\s*create\s+(unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:\S+\s+)?on\s+(?:only\s+)?("[^"]+"|[^\s(]+(?:\.(?:"[^"]+"|[^\s(]+))?)\s*(?:using\s+(\w+)\s*)?\((.*)\)[^)]*;?\s*$',
        'is');
    IF m IS NULL THEN
        RAISE EXCEPTION 'hypopg: SQL order #1 is not a CREATE INDEX statement';
    END IF;
    rel := m[2]::regclass;
    am := lower(coalesce(m[3], 'btree'));
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_am WHERE amname = am AND amtype = 'i') THEN
        RAISE EXCEPTION 'access method "%" does not exist', am;
    END IF;
    indexrelid := nextval('@extschema@.hypopg_oid_seq')::oid;
    indexname := left(format('<%s>%s_%s_%s', indexrelid, am,
        (SELECT relname FROM pg_catalog.pg_class WHERE oid = rel),
        regexp_replace(lower(m[4]), '[^a-z0-9_]+', '_', 'g')), 63);
    INSERT INTO @extschema@.hypopg_store (indexrelid, indexname, indrelid, amname, indexdef, is_unique)
    VALUES (indexrelid, indexname, rel, am,
            format('CREATE %sINDEX ON %s USING %s (%s)',
                   CASE WHEN m[1] IS NOT NULL THEN 'UNIQUE ' ELSE '' END, rel, am, m[4]),
            m[1] IS NOT NULL);
    RETURN NEXT;
END
$$;

CREATE FUNCTION hypopg_drop_index(indexid oid) RETURNS boolean
    LANGUAGE sql VOLATILE STRICT
AS $$
    WITH gone AS (
        DELETE FROM @extschema@.hypopg_store
        WHERE indexrelid = indexid AND backend_pid = pg_backend_pid()
        RETURNING 1
    )
    SELECT EXISTS (SELECT FROM gone)
$$;

CREATE FUNCTION hypopg_reset() RETURNS void
    LANGUAGE sql VOLATILE
AS $$ DELETE FROM @extschema@.hypopg_store WHERE backend_pid = pg_backend_pid() $$;

CREATE FUNCTION hypopg_reset_index() RETURNS void
    LANGUAGE sql VOLATILE
AS $$ DELETE FROM @extschema@.hypopg_store WHERE backend_pid = pg_backend_pid() $$;

CREATE FUNCTION hypopg(
    OUT indexname text, OUT indexrelid oid, OUT indrelid oid, OUT innatts integer,
    OUT indisunique boolean, OUT indkey int2vector, OUT indcollation oidvector,
    OUT indclass oidvector, OUT indoption oidvector, OUT indexprs pg_node_tree,
    OUT indpred pg_node_tree, OUT amid oid
) RETURNS SETOF record
    LANGUAGE sql STABLE
AS $$
    SELECT s.indexname, s.indexrelid, s.indrelid, 0, s.is_unique,
           ''::int2vector, ''::oidvector, ''::oidvector, ''::oidvector,
           NULL::pg_node_tree, NULL::pg_node_tree, a.oid
    FROM @extschema@.hypopg_store s
    JOIN pg_catalog.pg_am a ON a.amname = s.amname
    WHERE s.backend_pid = pg_backend_pid()
    ORDER BY s.indexrelid
$$;

CREATE VIEW hypopg_list_indexes AS
    SELECT s.indexrelid, s.indexname AS index_name, n.nspname AS schema_name,
           coalesce(c.relname, '<dropped>') AS table_name, s.amname AS am_name
    FROM hypopg_store s
    LEFT JOIN pg_catalog.pg_class c ON c.oid = s.indrelid
    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE s.backend_pid = pg_backend_pid();
GRANT SELECT ON hypopg_list_indexes TO PUBLIC;

-- A plausible size: the table's row estimate times a small index tuple.
CREATE FUNCTION hypopg_relation_size(indexid oid) RETURNS bigint
    LANGUAGE sql STABLE STRICT
AS $$
    SELECT greatest(8192, (greatest(c.reltuples, 0) * 32)::bigint)
    FROM @extschema@.hypopg_store s JOIN pg_catalog.pg_class c ON c.oid = s.indrelid
    WHERE s.indexrelid = indexid
$$;

CREATE FUNCTION hypopg_get_indexdef(indexid oid) RETURNS text
    LANGUAGE sql STABLE STRICT
AS $$ SELECT indexdef FROM @extschema@.hypopg_store WHERE indexrelid = indexid $$;

CREATE FUNCTION hypopg_hide_index(indexid oid) RETURNS boolean
    LANGUAGE sql VOLATILE STRICT
AS $$
    SELECT EXISTS (SELECT FROM pg_catalog.pg_index WHERE indexrelid = indexid)
        OR EXISTS (SELECT FROM @extschema@.hypopg_store WHERE indexrelid = indexid)
$$;

CREATE FUNCTION hypopg_unhide_index(indexid oid) RETURNS boolean
    LANGUAGE sql VOLATILE STRICT
AS $$
    SELECT EXISTS (SELECT FROM pg_catalog.pg_index WHERE indexrelid = indexid)
        OR EXISTS (SELECT FROM @extschema@.hypopg_store WHERE indexrelid = indexid)
$$;

CREATE FUNCTION hypopg_unhide_all_indexes() RETURNS void
    LANGUAGE sql VOLATILE
AS $$ SELECT $$;

CREATE FUNCTION hypopg_hidden_indexes() RETURNS TABLE (indexid oid)
    LANGUAGE sql STABLE
AS $$ SELECT NULL::oid WHERE false $$;

CREATE VIEW hypopg_hidden_indexes AS
    SELECT NULL::oid AS indexrelid, NULL::name AS index_name, NULL::name AS schema_name,
           NULL::name AS table_name, NULL::name AS am_name, NULL::boolean AS is_hypo
    WHERE false;
GRANT SELECT ON hypopg_hidden_indexes TO PUBLIC;

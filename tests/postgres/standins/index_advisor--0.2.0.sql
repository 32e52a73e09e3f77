-- Preflight stand-in for Supabase's index_advisor 0.2, for tests on a stock
-- PostgreSQL. Same signature. The real one tries hypothetical indexes with
-- HypoPG; HypoPG's stand-in does not reach the planner, so this one reports
-- the query's plan costs before and after as equal, recommends nothing, and
-- returns the planner's error, if any, in `errors`.

\echo Use "CREATE EXTENSION index_advisor" to load this file. \quit

CREATE FUNCTION index_advisor(query text)
    RETURNS TABLE (
        startup_cost_before jsonb,
        startup_cost_after jsonb,
        total_cost_before jsonb,
        total_cost_after jsonb,
        index_statements text[],
        errors text[]
    )
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    n_args integer;
    plan jsonb;
    old_mode text := current_setting('plan_cache_mode');
BEGIN
    -- Parameters ($1, $2, ...) are planned as generic, unknown-typed values.
    n_args := coalesce((SELECT max(m[1]::integer) FROM regexp_matches(query, '\$(\d+)', 'g') AS m), 0);
    BEGIN
        EXECUTE format('PREPARE preflight_index_advisor_stmt AS %s', rtrim(btrim(query), ';'));
        PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);
        EXECUTE format('EXPLAIN (FORMAT JSON) EXECUTE preflight_index_advisor_stmt%s',
            CASE WHEN n_args = 0 THEN ''
                 ELSE '(' || array_to_string(array_fill('NULL'::text, ARRAY[n_args]), ', ') || ')' END)
            INTO plan;
        DEALLOCATE preflight_index_advisor_stmt;
        PERFORM set_config('plan_cache_mode', old_mode, true);
    EXCEPTION WHEN OTHERS THEN
        IF EXISTS (SELECT FROM pg_catalog.pg_prepared_statements WHERE name = 'preflight_index_advisor_stmt') THEN
            DEALLOCATE preflight_index_advisor_stmt;
        END IF;
        RETURN QUERY SELECT NULL::jsonb, NULL::jsonb, NULL::jsonb, NULL::jsonb, '{}'::text[], ARRAY[SQLERRM];
        RETURN;
    END;
    RETURN QUERY SELECT
        plan -> 0 -> 'Plan' -> 'Startup Cost',
        plan -> 0 -> 'Plan' -> 'Startup Cost',
        plan -> 0 -> 'Plan' -> 'Total Cost',
        plan -> 0 -> 'Plan' -> 'Total Cost',
        '{}'::text[],
        '{}'::text[];
END
$$;

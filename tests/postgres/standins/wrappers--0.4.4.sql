-- Preflight stand-in for Supabase Wrappers 0.4, for tests on a stock
-- PostgreSQL that lacks the real extension. For each wrapper it keeps the
-- <name>_fdw_handler, <name>_fdw_validator and <name>_fdw_meta functions, so
-- CREATE FOREIGN DATA WRAPPER ... HANDLER ... VALIDATOR ..., CREATE SERVER and
-- CREATE FOREIGN TABLE work. The validator accepts any options. A handler
-- must be a C function: this one borrows file_fdw's (shipped with PostgreSQL),
-- so reading a foreign table fails with file_fdw's error about a missing
-- filename instead of reaching the remote service.

\echo Use "CREATE EXTENSION wrappers" to load this file. \quit

CREATE TABLE wrappers_fdw_stats (
    fdw_name text NOT NULL PRIMARY KEY,
    create_times bigint,
    rows_in bigint,
    rows_out bigint,
    bytes_in bigint,
    bytes_out bigint,
    metadata jsonb,
    created_at timestamptz NOT NULL DEFAULT timezone('utc', now()),
    updated_at timestamptz NOT NULL DEFAULT timezone('utc', now())
);
COMMENT ON TABLE wrappers_fdw_stats IS 'Wrappers Foreign Data Wrapper statistics';

CREATE FUNCTION airtable_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION airtable_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION airtable_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'AirtableFdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION auth0_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION auth0_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION auth0_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'Auth0Fdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION big_query_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION big_query_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION big_query_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'BigQueryFdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION click_house_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION click_house_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION click_house_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'ClickHouseFdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION cognito_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION cognito_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION cognito_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'CognitoFdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION firebase_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION firebase_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION firebase_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'FirebaseFdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION helloworld_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION helloworld_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION helloworld_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'HelloWorldFdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION logflare_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION logflare_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION logflare_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'LogflareFdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION mssql_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION mssql_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION mssql_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'MssqlFdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION redis_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION redis_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION redis_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'RedisFdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION s3_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION s3_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION s3_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'S3Fdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION stripe_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION stripe_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION stripe_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'StripeFdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

CREATE FUNCTION wasm_fdw_handler() RETURNS fdw_handler
    LANGUAGE c STRICT AS '$libdir/file_fdw', 'file_fdw_handler';
CREATE FUNCTION wasm_fdw_validator(options text[], catalog oid) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION wasm_fdw_meta() RETURNS TABLE (name text, version text, author text, website text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'WasmFdw'::text, '0.4.4'::text, 'Supabase'::text, 'https://github.com/supabase/wrappers'::text $$;

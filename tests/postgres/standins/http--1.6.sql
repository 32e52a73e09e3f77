-- Preflight stand-in for pgsql-http 1.6, for tests on a stock PostgreSQL
-- that lacks the real extension. Same types and function signatures; no
-- request is sent: every call answers 200 with an empty JSON array, echoing
-- nothing, so code that calls out can be created and run offline.

\echo Use "CREATE EXTENSION http" to load this file. \quit

CREATE DOMAIN http_method AS text;
CREATE DOMAIN content_type AS text CHECK (VALUE ~ '^\S+\/\S+');

CREATE TYPE http_header AS (
    field varchar,
    value varchar
);

CREATE TYPE http_response AS (
    status integer,
    content_type varchar,
    headers http_header[],
    content varchar
);

CREATE TYPE http_request AS (
    method http_method,
    uri varchar,
    headers http_header[],
    content_type varchar,
    content varchar
);

-- Session options that real pgsql-http hands to libcurl; kept, not used.
CREATE TABLE http_curlopt_settings (
    curlopt text PRIMARY KEY,
    value text
);

CREATE FUNCTION http_set_curlopt(curlopt varchar, value varchar) RETURNS boolean
    LANGUAGE sql VOLATILE
AS $$
    INSERT INTO @extschema@.http_curlopt_settings (curlopt, value) VALUES (upper(curlopt), value)
    ON CONFLICT (curlopt) DO UPDATE SET value = excluded.value
    RETURNING true
$$;

CREATE FUNCTION http_reset_curlopt() RETURNS boolean
    LANGUAGE sql VOLATILE
AS $$
    DELETE FROM @extschema@.http_curlopt_settings;
    SELECT true
$$;

CREATE FUNCTION http_list_curlopt() RETURNS TABLE (curlopt text, value text)
    LANGUAGE sql STABLE
AS $$
    SELECT curlopt, value FROM @extschema@.http_curlopt_settings ORDER BY curlopt
$$;

CREATE FUNCTION http_header(field varchar, value varchar) RETURNS http_header
    LANGUAGE sql IMMUTABLE
AS $$ SELECT $1, $2 $$;

-- The one place a request would be sent.
CREATE FUNCTION http(request http_request) RETURNS http_response
    LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    IF request.uri IS NULL THEN
        RAISE EXCEPTION 'http request URI is null';
    END IF;
    RETURN ROW(
        200,
        'application/json',
        ARRAY[ROW('Content-Type', 'application/json')::@extschema@.http_header],
        '[]'
    )::@extschema@.http_response;
END
$$;

CREATE FUNCTION http_get(uri varchar) RETURNS http_response
    LANGUAGE sql VOLATILE
AS $$ SELECT @extschema@.http(('GET', $1, NULL, NULL, NULL)::@extschema@.http_request) $$;

CREATE FUNCTION http_get(uri varchar, data jsonb) RETURNS http_response
    LANGUAGE sql VOLATILE
AS $$
    SELECT @extschema@.http(('GET', $1 || '?' || @extschema@.urlencode($2), NULL, NULL, NULL)::@extschema@.http_request)
$$;

CREATE FUNCTION http_post(uri varchar, content varchar, content_type varchar) RETURNS http_response
    LANGUAGE sql VOLATILE
AS $$ SELECT @extschema@.http(('POST', $1, NULL, $3, $2)::@extschema@.http_request) $$;

CREATE FUNCTION http_post(uri varchar, data jsonb) RETURNS http_response
    LANGUAGE sql VOLATILE
AS $$
    SELECT @extschema@.http(('POST', $1, NULL, 'application/x-www-form-urlencoded',
        @extschema@.urlencode($2))::@extschema@.http_request)
$$;

CREATE FUNCTION http_put(uri varchar, content varchar, content_type varchar) RETURNS http_response
    LANGUAGE sql VOLATILE
AS $$ SELECT @extschema@.http(('PUT', $1, NULL, $3, $2)::@extschema@.http_request) $$;

CREATE FUNCTION http_patch(uri varchar, content varchar, content_type varchar) RETURNS http_response
    LANGUAGE sql VOLATILE
AS $$ SELECT @extschema@.http(('PATCH', $1, NULL, $3, $2)::@extschema@.http_request) $$;

CREATE FUNCTION http_delete(uri varchar) RETURNS http_response
    LANGUAGE sql VOLATILE
AS $$ SELECT @extschema@.http(('DELETE', $1, NULL, NULL, NULL)::@extschema@.http_request) $$;

CREATE FUNCTION http_delete(uri varchar, content varchar, content_type varchar) RETURNS http_response
    LANGUAGE sql VOLATILE
AS $$ SELECT @extschema@.http(('DELETE', $1, NULL, $3, $2)::@extschema@.http_request) $$;

CREATE FUNCTION http_head(uri varchar) RETURNS http_response
    LANGUAGE sql VOLATILE
AS $$ SELECT @extschema@.http(('HEAD', $1, NULL, NULL, NULL)::@extschema@.http_request) $$;

-- Percent-encoding, as real pgsql-http does it (RFC 3986 unreserved kept).
CREATE FUNCTION urlencode(string varchar) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
AS $$
    SELECT coalesce(string_agg(
        CASE WHEN ch ~ '^[A-Za-z0-9._~-]$' THEN ch
             ELSE upper(regexp_replace(encode(convert_to(ch, 'UTF8'), 'hex'), '(..)', '%\1', 'g'))
        END, '' ORDER BY i), '')
    FROM regexp_split_to_table($1, '') WITH ORDINALITY AS t(ch, i)
$$;

CREATE FUNCTION urlencode(data jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
AS $$
    SELECT coalesce(string_agg(@extschema@.urlencode(key) || '=' || @extschema@.urlencode(value), '&' ORDER BY key), '')
    FROM jsonb_each_text($1)
$$;

CREATE FUNCTION text_to_bytea(data text) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT convert_to($1, 'UTF8') $$;

CREATE FUNCTION bytea_to_text(data bytea) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT convert_from($1, 'UTF8') $$;

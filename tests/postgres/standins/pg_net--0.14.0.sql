-- Preflight stand-in for pg_net 0.14, for tests on a stock PostgreSQL that
-- lacks the real extension. Same schema `net`, tables, types and function
-- signatures. Requests are queued and get an id, as with pg_net, but no
-- background worker sends them, so no response ever arrives.

\echo Use "CREATE EXTENSION pg_net" to load this file. \quit

CREATE SCHEMA IF NOT EXISTS net;

CREATE TYPE net.request_status AS ENUM ('PENDING', 'SUCCESS', 'ERROR');

CREATE TYPE net.http_response AS (
    status_code integer,
    headers jsonb,
    body text
);

CREATE TYPE net.http_response_result AS (
    status net.request_status,
    message text,
    response net.http_response
);

CREATE UNLOGGED TABLE net.http_request_queue (
    id bigserial NOT NULL,
    method text NOT NULL,
    url text NOT NULL,
    headers jsonb NOT NULL,
    body bytea,
    timeout_milliseconds integer NOT NULL
);

CREATE UNLOGGED TABLE net._http_response (
    id bigint,
    status_code integer,
    content_type text,
    headers jsonb,
    content text,
    timed_out boolean,
    error_msg text,
    created timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON net._http_response (created);

-- url ? params, with params percent-encoded.
CREATE FUNCTION net._encode_url_with_params_array(url text, params_array text[]) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
AS $$
    SELECT CASE WHEN cardinality(params_array) = 0 THEN url
        ELSE url || CASE WHEN strpos(url, '?') > 0 THEN '&' ELSE '?' END || array_to_string(params_array, '&')
    END
$$;

-- Percent-encoding (RFC 3986 unreserved characters are kept).
CREATE FUNCTION net._urlencode(string text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
AS $$
    SELECT coalesce(string_agg(
        CASE WHEN ch ~ '^[A-Za-z0-9._~-]$' THEN ch
             ELSE upper(regexp_replace(encode(convert_to(ch, 'UTF8'), 'hex'), '(..)', '%\1', 'g'))
        END, '' ORDER BY i), '')
    FROM regexp_split_to_table(string, '') WITH ORDINALITY AS t(ch, i)
$$;

CREATE FUNCTION net._params_to_array(params jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT
AS $$
    SELECT coalesce(array_agg(net._urlencode(key) || '=' || net._urlencode(value) ORDER BY key), '{}')
    FROM jsonb_each_text(params)
$$;

CREATE FUNCTION net.http_get(
    url text,
    params jsonb DEFAULT '{}'::jsonb,
    headers jsonb DEFAULT '{}'::jsonb,
    timeout_milliseconds integer DEFAULT 5000
) RETURNS bigint
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$
    INSERT INTO net.http_request_queue (method, url, headers, timeout_milliseconds)
    VALUES ('GET', net._encode_url_with_params_array(url, net._params_to_array(params)),
            headers, timeout_milliseconds)
    RETURNING id
$$;

CREATE FUNCTION net.http_post(
    url text,
    body jsonb DEFAULT '{}'::jsonb,
    params jsonb DEFAULT '{}'::jsonb,
    headers jsonb DEFAULT '{"Content-Type": "application/json"}'::jsonb,
    timeout_milliseconds integer DEFAULT 5000
) RETURNS bigint
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$
    INSERT INTO net.http_request_queue (method, url, headers, body, timeout_milliseconds)
    VALUES ('POST', net._encode_url_with_params_array(url, net._params_to_array(params)),
            headers, convert_to(body::text, 'UTF8'), timeout_milliseconds)
    RETURNING id
$$;

CREATE FUNCTION net.http_delete(
    url text,
    params jsonb DEFAULT '{}'::jsonb,
    headers jsonb DEFAULT '{}'::jsonb,
    timeout_milliseconds integer DEFAULT 5000
) RETURNS bigint
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$
    INSERT INTO net.http_request_queue (method, url, headers, timeout_milliseconds)
    VALUES ('DELETE', net._encode_url_with_params_array(url, net._params_to_array(params)),
            headers, timeout_milliseconds)
    RETURNING id
$$;

-- No worker runs, so a queued request stays PENDING.
CREATE FUNCTION net._http_collect_response(request_id bigint, async boolean DEFAULT true)
    RETURNS net.http_response_result
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    r net._http_response;
BEGIN
    SELECT * INTO r FROM net._http_response WHERE id = request_id;
    IF NOT FOUND THEN
        RETURN ROW('PENDING', 'request is pending processing', NULL)::net.http_response_result;
    END IF;
    IF r.error_msg IS NOT NULL THEN
        RETURN ROW('ERROR', r.error_msg, NULL)::net.http_response_result;
    END IF;
    RETURN ROW('SUCCESS', 'ok', ROW(r.status_code, r.headers, r.content)::net.http_response)::net.http_response_result;
END
$$;

CREATE FUNCTION net.http_collect_response(request_id bigint, async boolean DEFAULT true)
    RETURNS net.http_response_result
    LANGUAGE sql VOLATILE
AS $$ SELECT net._http_collect_response(request_id, async) $$;

CREATE FUNCTION net.worker_restart() RETURNS boolean
    LANGUAGE sql VOLATILE
AS $$ SELECT true $$;

REVOKE ALL ON SCHEMA net FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA net FROM PUBLIC;

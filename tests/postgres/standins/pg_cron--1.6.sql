-- Preflight stand-in for pg_cron 1.6, for tests on a stock PostgreSQL that
-- lacks the real extension (which needs shared_preload_libraries). Same
-- schema `cron`, tables and functions; jobs are recorded, never run.

\echo Use "CREATE EXTENSION pg_cron" to load this file. \quit

CREATE SCHEMA cron;

CREATE SEQUENCE cron.jobid_seq;
CREATE SEQUENCE cron.runid_seq;

CREATE TABLE cron.job (
    jobid bigint PRIMARY KEY DEFAULT nextval('cron.jobid_seq'),
    schedule text NOT NULL,
    command text NOT NULL,
    nodename text NOT NULL DEFAULT 'localhost',
    nodeport integer NOT NULL DEFAULT coalesce(inet_server_port(), 5432),
    database text NOT NULL DEFAULT current_database(),
    username text NOT NULL DEFAULT current_user,
    active boolean NOT NULL DEFAULT true,
    jobname text
);
CREATE UNIQUE INDEX jobname_username_uniq ON cron.job (jobname, username);
ALTER SEQUENCE cron.jobid_seq OWNED BY cron.job.jobid;

CREATE TABLE cron.job_run_details (
    jobid bigint,
    runid bigint PRIMARY KEY DEFAULT nextval('cron.runid_seq'),
    job_pid integer,
    database text,
    username text,
    command text,
    status text,
    return_message text,
    start_time timestamptz,
    end_time timestamptz
);
ALTER SEQUENCE cron.runid_seq OWNED BY cron.job_run_details.runid;

ALTER TABLE cron.job ENABLE ROW LEVEL SECURITY;
ALTER TABLE cron.job_run_details ENABLE ROW LEVEL SECURITY;
CREATE POLICY cron_job_policy ON cron.job USING (username = CURRENT_USER);
CREATE POLICY cron_job_run_details_policy ON cron.job_run_details USING (username = CURRENT_USER);

-- The functions run with the caller's rights; the policies keep each role to
-- its own jobs. Real pg_cron grants no USAGE on schema cron either: a role
-- needs `GRANT USAGE ON SCHEMA cron` before it can schedule.
GRANT SELECT, INSERT, UPDATE, DELETE ON cron.job TO PUBLIC;
GRANT SELECT, DELETE ON cron.job_run_details TO PUBLIC;
GRANT USAGE ON SEQUENCE cron.jobid_seq TO PUBLIC;

-- Checks a cron expression's shape (five fields, or "N seconds", or @keyword).
CREATE FUNCTION cron._check_schedule(schedule text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF schedule ~* '^\s*@(yearly|annually|monthly|weekly|daily|hourly|reboot)\s*$'
        OR schedule ~* '^\s*[0-9]+ seconds?\s*$'
        OR array_length(regexp_split_to_array(btrim(schedule), '\s+'), 1) = 5 THEN
        RETURN;
    END IF;
    RAISE EXCEPTION 'invalid schedule: %', schedule;
END
$$;

CREATE FUNCTION cron.schedule(schedule text, command text) RETURNS bigint
    LANGUAGE plpgsql STRICT
AS $$
DECLARE
    id bigint;
BEGIN
    PERFORM cron._check_schedule(schedule);
    INSERT INTO cron.job (schedule, command) VALUES (schedule, command) RETURNING jobid INTO id;
    RETURN id;
END
$$;

-- Scheduling a job under an existing name replaces it, as pg_cron does.
CREATE FUNCTION cron.schedule(job_name text, schedule text, command text) RETURNS bigint
    LANGUAGE plpgsql STRICT
AS $$
DECLARE
    id bigint;
BEGIN
    PERFORM cron._check_schedule(schedule);
    INSERT INTO cron.job (jobname, schedule, command) VALUES (job_name, schedule, command)
    ON CONFLICT (jobname, username) DO UPDATE SET schedule = excluded.schedule, command = excluded.command
    RETURNING jobid INTO id;
    RETURN id;
END
$$;

CREATE FUNCTION cron.schedule_in_database(
    job_name text, schedule text, command text, database text,
    username text DEFAULT NULL, active boolean DEFAULT true
) RETURNS bigint
    LANGUAGE plpgsql
AS $$
DECLARE
    id bigint;
BEGIN
    PERFORM cron._check_schedule(schedule);
    INSERT INTO cron.job (jobname, schedule, command, database, username, active)
    VALUES (job_name, schedule, command, database, coalesce(username, current_user), active)
    ON CONFLICT (jobname, username) DO UPDATE
        SET schedule = excluded.schedule, command = excluded.command,
            database = excluded.database, active = excluded.active
    RETURNING jobid INTO id;
    RETURN id;
END
$$;

CREATE FUNCTION cron.unschedule(job_id bigint) RETURNS boolean
    LANGUAGE plpgsql STRICT
AS $$
BEGIN
    DELETE FROM cron.job WHERE jobid = job_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'could not find valid entry for job %', job_id;
    END IF;
    RETURN true;
END
$$;

CREATE FUNCTION cron.unschedule(job_name text) RETURNS boolean
    LANGUAGE plpgsql STRICT
AS $$
BEGIN
    DELETE FROM cron.job WHERE jobname = job_name AND username = current_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'could not find valid entry for job ''%''', job_name;
    END IF;
    RETURN true;
END
$$;

CREATE FUNCTION cron.alter_job(
    job_id bigint, schedule text DEFAULT NULL, command text DEFAULT NULL,
    database text DEFAULT NULL, username text DEFAULT NULL, active boolean DEFAULT NULL
) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    IF schedule IS NOT NULL THEN
        PERFORM cron._check_schedule(schedule);
    END IF;
    UPDATE cron.job j SET
        schedule = coalesce(alter_job.schedule, j.schedule),
        command = coalesce(alter_job.command, j.command),
        database = coalesce(alter_job.database, j.database),
        username = coalesce(alter_job.username, j.username),
        active = coalesce(alter_job.active, j.active)
    WHERE j.jobid = job_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'could not find valid entry for job %', job_id;
    END IF;
END
$$;

REVOKE ALL ON FUNCTION cron.schedule_in_database(text, text, text, text, text, boolean) FROM PUBLIC;

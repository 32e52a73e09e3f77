-- Preflight stand-in for pg_tle 1.4, for tests on a stock PostgreSQL that
-- lacks the real extension (which needs shared_preload_libraries). The pgtle
-- functions keep their signatures and record what is installed in tables, so
-- pgtle.available_extensions() and friends answer as pg_tle would; but only
-- the real pg_tle can make CREATE EXTENSION load such an extension.

\echo Use "CREATE EXTENSION pg_tle" to load this file. \quit

-- pg_tle's administrative role is cluster-wide; create it once.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'pgtle_admin') THEN
        CREATE ROLE pgtle_admin NOLOGIN;
    END IF;
END
$$;

CREATE TYPE pgtle.pg_tle_features AS ENUM ('passcheck', 'clientauth');

CREATE TABLE pgtle.feature_info (
    feature pgtle.pg_tle_features,
    schema_name text,
    proname text,
    obj_identity text NOT NULL,
    PRIMARY KEY (feature, proname)
);

-- Installed versions: one row per extension and version.
CREATE TABLE pgtle.extension_versions (
    name text NOT NULL,
    version text NOT NULL,
    description text,
    sql text NOT NULL,
    requires text[],
    is_default boolean NOT NULL DEFAULT false,
    PRIMARY KEY (name, version)
);

CREATE TABLE pgtle.extension_update_sql (
    name text NOT NULL,
    from_version text NOT NULL,
    to_version text NOT NULL,
    sql text NOT NULL,
    PRIMARY KEY (name, from_version, to_version)
);

CREATE FUNCTION pgtle.install_extension(
    name text, version text, description text, ext text, requires text[] DEFAULT NULL
) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
BEGIN
    IF EXISTS (SELECT FROM pgtle.extension_versions v WHERE v.name = install_extension.name) THEN
        RAISE EXCEPTION 'extension "%" already installed', name USING ERRCODE = 'duplicate_object';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_available_extensions a WHERE a.name = install_extension.name) THEN
        RAISE EXCEPTION 'control file already exists for the % extension', name USING ERRCODE = 'duplicate_object';
    END IF;
    INSERT INTO pgtle.extension_versions (name, version, description, sql, requires, is_default)
    VALUES (name, version, description, ext, requires, true);
    RETURN true;
END
$$;

CREATE FUNCTION pgtle.install_extension_version_sql(name text, version text, ext text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
DECLARE
    base pgtle.extension_versions;
BEGIN
    SELECT * INTO base FROM pgtle.extension_versions v
    WHERE v.name = install_extension_version_sql.name ORDER BY v.is_default DESC LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'extension "%" does not exist', name USING ERRCODE = 'undefined_object';
    END IF;
    IF EXISTS (SELECT FROM pgtle.extension_versions v
               WHERE v.name = install_extension_version_sql.name AND v.version = install_extension_version_sql.version) THEN
        RAISE EXCEPTION 'version "%" of extension "%" already installed', version, name USING ERRCODE = 'duplicate_object';
    END IF;
    INSERT INTO pgtle.extension_versions (name, version, description, sql, requires, is_default)
    VALUES (name, version, base.description, ext, base.requires, false);
    RETURN true;
END
$$;

CREATE FUNCTION pgtle.install_update_path(name text, fromvers text, tovers text, ext text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pgtle.extension_versions v WHERE v.name = install_update_path.name) THEN
        RAISE EXCEPTION 'extension "%" does not exist', name USING ERRCODE = 'undefined_object';
    END IF;
    INSERT INTO pgtle.extension_update_sql (name, from_version, to_version, sql)
    VALUES (name, fromvers, tovers, ext);
    RETURN true;
EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'update path "%" to "%" of extension "%" already installed', fromvers, tovers, name
        USING ERRCODE = 'duplicate_object';
END
$$;

CREATE FUNCTION pgtle.set_default_version(name text, version text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pgtle.extension_versions v
                   WHERE v.name = set_default_version.name AND v.version = set_default_version.version) THEN
        RAISE EXCEPTION 'extension "%" and version "%" do not exist', name, version USING ERRCODE = 'undefined_object';
    END IF;
    UPDATE pgtle.extension_versions v SET is_default = (v.version = set_default_version.version)
    WHERE v.name = set_default_version.name;
    RETURN true;
END
$$;

CREATE FUNCTION pgtle.uninstall_extension(extname text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
BEGIN
    DELETE FROM pgtle.extension_versions WHERE name = extname;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'extension "%" does not exist', extname USING ERRCODE = 'undefined_object';
    END IF;
    DELETE FROM pgtle.extension_update_sql WHERE name = extname;
    RETURN true;
END
$$;

CREATE FUNCTION pgtle.uninstall_extension(extname text, version text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
BEGIN
    DELETE FROM pgtle.extension_versions v WHERE v.name = extname AND v.version = uninstall_extension.version;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'extension "%" version "%" does not exist', extname, version USING ERRCODE = 'undefined_object';
    END IF;
    RETURN true;
END
$$;

CREATE FUNCTION pgtle.uninstall_extension_if_exists(extname text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pgtle.extension_versions WHERE name = extname) THEN
        RETURN false;
    END IF;
    RETURN pgtle.uninstall_extension(extname);
END
$$;

CREATE FUNCTION pgtle.uninstall_update_path(extname text, fromvers text, tovers text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
BEGIN
    DELETE FROM pgtle.extension_update_sql
    WHERE name = extname AND from_version = fromvers AND to_version = tovers;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'update path "%" to "%" of extension "%" does not exist', fromvers, tovers, extname
            USING ERRCODE = 'undefined_object';
    END IF;
    RETURN true;
END
$$;

CREATE FUNCTION pgtle.uninstall_update_path_if_exists(extname text, fromvers text, tovers text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
    WITH gone AS (
        DELETE FROM pgtle.extension_update_sql
        WHERE name = extname AND from_version = fromvers AND to_version = tovers
        RETURNING 1
    )
    SELECT EXISTS (SELECT FROM gone)
$$;

CREATE FUNCTION pgtle.available_extensions(OUT name name, OUT default_version text, OUT comment text)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
    SELECT v.name::name, v.version, v.description
    FROM pgtle.extension_versions v WHERE v.is_default ORDER BY v.name
$$;

CREATE FUNCTION pgtle.available_extension_versions(
    OUT name name, OUT version text, OUT superuser boolean, OUT trusted boolean,
    OUT relocatable boolean, OUT schema name, OUT requires name[], OUT comment text
) RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
    SELECT v.name::name, v.version, false, false, false, NULL::name,
           coalesce(v.requires, '{}')::name[], v.description
    FROM pgtle.extension_versions v ORDER BY v.name, v.version
$$;

CREATE FUNCTION pgtle.extension_update_paths(name name, OUT source text, OUT target text, OUT path text)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
    SELECT a.version, b.version,
           CASE WHEN u.name IS NOT NULL THEN a.version || '--' || b.version END
    FROM pgtle.extension_versions a
    JOIN pgtle.extension_versions b ON b.name = a.name AND b.version <> a.version
    LEFT JOIN pgtle.extension_update_sql u
        ON u.name = a.name AND u.from_version = a.version AND u.to_version = b.version
    WHERE a.name = extension_update_paths.name
    ORDER BY 1, 2
$$;

CREATE FUNCTION pgtle.register_feature(proc regproc, feature pgtle.pg_tle_features) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
    INSERT INTO pgtle.feature_info (feature, schema_name, proname, obj_identity)
    SELECT feature, n.nspname, p.proname, proc::regprocedure::text
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE p.oid = proc
$$;

CREATE FUNCTION pgtle.register_feature_if_not_exists(proc regproc, feature pgtle.pg_tle_features) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
    WITH added AS (
        INSERT INTO pgtle.feature_info (feature, schema_name, proname, obj_identity)
        SELECT feature, n.nspname, p.proname, proc::regprocedure::text
        FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE p.oid = proc
        ON CONFLICT DO NOTHING
        RETURNING 1
    )
    SELECT EXISTS (SELECT FROM added)
$$;

CREATE FUNCTION pgtle.unregister_feature(proc regproc, feature pgtle.pg_tle_features) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
BEGIN
    DELETE FROM pgtle.feature_info f WHERE f.feature = unregister_feature.feature AND f.obj_identity = proc::regprocedure::text;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'protocol feature % is not registered for %', feature, proc USING ERRCODE = 'undefined_object';
    END IF;
END
$$;

CREATE FUNCTION pgtle.unregister_feature_if_exists(proc regproc, feature pgtle.pg_tle_features) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER SET search_path = pgtle, pg_catalog
AS $$
    WITH gone AS (
        DELETE FROM pgtle.feature_info f
        WHERE f.feature = unregister_feature_if_exists.feature AND f.obj_identity = proc::regprocedure::text
        RETURNING 1
    )
    SELECT EXISTS (SELECT FROM gone)
$$;

-- As with pg_tle: anyone may look, only pgtle_admin may install.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgtle FROM PUBLIC;
GRANT USAGE ON SCHEMA pgtle TO PUBLIC;
GRANT EXECUTE ON FUNCTION pgtle.available_extensions(), pgtle.available_extension_versions(),
    pgtle.extension_update_paths(name) TO PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgtle TO pgtle_admin;
GRANT SELECT ON ALL TABLES IN SCHEMA pgtle TO pgtle_admin;

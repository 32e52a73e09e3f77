-- Cluster-level roles that every Supabase project has, modelled on the
-- initial schema of supabase/postgres. Roles belong to the cluster, not to a
-- database, so this file runs once per cluster, before environment.sql.
-- `postgres` already exists (it is the bootstrap superuser of a plain cluster).
--
-- Plain statements only: Preflight's parser reads this file to learn which
-- roles exist, so there are no DO blocks and no psql meta-commands.

-- The superuser that owns Supabase's own schemas.
CREATE ROLE supabase_admin WITH LOGIN SUPERUSER CREATEDB CREATEROLE REPLICATION BYPASSRLS;

-- The API roles PostgREST switches to, picked by the JWT's `role` claim.
CREATE ROLE anon NOLOGIN NOINHERIT;
CREATE ROLE authenticated NOLOGIN NOINHERIT;
CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;

-- PostgREST logs in as authenticator and then switches to an API role.
CREATE ROLE authenticator WITH LOGIN NOINHERIT;

-- Owners of the auth (GoTrue), storage and edge-function schemas.
CREATE ROLE supabase_auth_admin WITH LOGIN NOINHERIT CREATEROLE NOREPLICATION;
CREATE ROLE supabase_storage_admin WITH LOGIN NOINHERIT CREATEROLE NOREPLICATION;
CREATE ROLE supabase_functions_admin WITH LOGIN NOINHERIT CREATEROLE NOREPLICATION;

-- Realtime's owner role, replication and read-only helpers.
CREATE ROLE supabase_realtime_admin WITH NOLOGIN NOINHERIT NOREPLICATION;
CREATE ROLE supabase_replication_admin WITH LOGIN REPLICATION;
CREATE ROLE supabase_read_only_user WITH LOGIN BYPASSRLS;

-- The dashboard's role and the connection pooler's auth-query user.
CREATE ROLE dashboard_user WITH NOLOGIN CREATEDB CREATEROLE REPLICATION;
CREATE ROLE pgbouncer WITH LOGIN;

-- Memberships.
GRANT anon, authenticated, service_role TO authenticator;
GRANT supabase_admin TO authenticator;
GRANT anon, authenticated, service_role TO postgres;
GRANT authenticator TO supabase_storage_admin;
GRANT pg_read_all_data TO supabase_read_only_user;
GRANT pg_monitor TO postgres;
GRANT pg_read_all_data, pg_signal_backend TO postgres;

-- Where unqualified names resolve: extensions live in their own schema, so
-- `uuid_generate_v4()` or the `vector` type work without a prefix.
ALTER ROLE postgres SET search_path TO "$user", public, extensions;
ALTER ROLE supabase_admin SET search_path TO "$user", public, extensions;
ALTER ROLE supabase_auth_admin SET search_path TO auth;
ALTER ROLE supabase_storage_admin SET search_path TO storage;

//! What every Supabase project already has before its first migration, kept
//! as SQL (`supabase/*.sql`) and read by the same pipeline as the user's
//! files; the tests load the same files into a real PostgreSQL. Also what
//! common extensions provide, which their SQL files do not show.
use crate::facts::ObjectKind;
use crate::names::DEFAULT_SCHEMA;
use crate::source::Source;

/// Cluster-wide roles, then the database-level objects.
pub fn supabase_sources() -> Vec<Source> {
    vec![
        Source::new("supabase/roles.sql", include_str!("../supabase/roles.sql")),
        Source::new(
            "supabase/environment.sql",
            include_str!("../supabase/environment.sql"),
        ),
    ]
}

/// Where unqualified names are looked up in a Supabase database (the
/// `postgres` role's setting): new objects go to the first schema.
pub fn default_search_path() -> Vec<String> {
    vec![DEFAULT_SCHEMA.into(), "extensions".into()]
}

/// Roles that exist in every PostgreSQL cluster.
pub fn is_builtin_role(name: &str) -> bool {
    name == "postgres" || name == "public" || name.starts_with("pg_")
}

/// Schemas whose contents PostgreSQL itself provides.
pub fn is_builtin_schema(name: &str) -> bool {
    matches!(
        name,
        "pg_catalog" | "information_schema" | "public" | "pg_toast"
    )
}

/// What `CREATE EXTENSION name` adds: a schema of its own (if it makes
/// one) and the objects a migration typically uses.
pub struct ExtensionContents {
    pub own_schema: Option<&'static str>,
    pub objects: &'static [(ObjectKind, &'static str)],
}

pub fn extension_contents(name: &str) -> ExtensionContents {
    use ObjectKind::{Function as F, Relation as R, Type as T};
    let (own_schema, objects): (Option<&'static str>, &'static [(ObjectKind, &'static str)]) =
        match name {
            "pgcrypto" => (
                None,
                &[
                    (F, "gen_random_bytes"),
                    (F, "gen_random_uuid"),
                    (F, "crypt"),
                    (F, "gen_salt"),
                    (F, "digest"),
                    (F, "hmac"),
                    (F, "encrypt"),
                    (F, "decrypt"),
                    (F, "pgp_sym_encrypt"),
                    (F, "pgp_sym_decrypt"),
                    (F, "armor"),
                    (F, "dearmor"),
                ],
            ),
            "uuid-ossp" => (
                None,
                &[
                    (F, "uuid_generate_v1"),
                    (F, "uuid_generate_v1mc"),
                    (F, "uuid_generate_v3"),
                    (F, "uuid_generate_v4"),
                    (F, "uuid_generate_v5"),
                    (F, "uuid_nil"),
                    (F, "uuid_ns_url"),
                    (F, "uuid_ns_dns"),
                ],
            ),
            "pg_stat_statements" => (
                None,
                &[(R, "pg_stat_statements"), (F, "pg_stat_statements_reset")],
            ),
            "vector" => (
                None,
                &[
                    (T, "vector"),
                    (T, "halfvec"),
                    (T, "sparsevec"),
                    (F, "cosine_distance"),
                    (F, "l2_distance"),
                    (F, "inner_product"),
                    (F, "vector_dims"),
                    (F, "vector_norm"),
                    (ObjectKind::OperatorClass, "vector_cosine_ops"),
                    (ObjectKind::OperatorClass, "vector_l2_ops"),
                    (ObjectKind::OperatorClass, "vector_ip_ops"),
                ],
            ),
            "citext" => (None, &[(T, "citext")]),
            "pg_trgm" => (
                None,
                &[
                    (F, "similarity"),
                    (F, "word_similarity"),
                    (F, "show_trgm"),
                    (ObjectKind::OperatorClass, "gin_trgm_ops"),
                    (ObjectKind::OperatorClass, "gist_trgm_ops"),
                ],
            ),
            "moddatetime" => (None, &[(F, "moddatetime")]),
            "http" => (
                None,
                &[
                    (F, "http"),
                    (F, "http_get"),
                    (F, "http_post"),
                    (F, "http_put"),
                    (F, "http_delete"),
                    (T, "http_request"),
                    (T, "http_response"),
                    (T, "http_header"),
                ],
            ),
            "pg_net" => (
                Some("net"),
                &[(F, "http_get"), (F, "http_post"), (F, "http_delete")],
            ),
            "pg_cron" => (
                Some("cron"),
                &[
                    (F, "schedule"),
                    (F, "unschedule"),
                    (R, "job"),
                    (R, "job_run_details"),
                ],
            ),
            "pg_tle" => (
                Some("pgtle"),
                &[
                    (F, "install_extension"),
                    (F, "uninstall_extension"),
                    (F, "available_extensions"),
                ],
            ),
            "hypopg" => (None, &[(F, "hypopg_create_index"), (F, "hypopg_reset")]),
            "pgjwt" => (None, &[(F, "sign"), (F, "verify")]),
            _ => (None, &[]),
        };
    ExtensionContents {
        own_schema,
        objects,
    }
}

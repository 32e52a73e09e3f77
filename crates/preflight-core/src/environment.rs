//! The database the migrations run on before the first of them: what every
//! Supabase project already has, kept as SQL (`supabase/*.sql`) and read by
//! the same pipeline as the user's files (the tests load the same files into
//! a real PostgreSQL), or a plain PostgreSQL database. Also what common
//! extensions provide, which their SQL files do not show.
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::analysis::facts::ObjectKind;
use crate::analysis::names::DEFAULT_SCHEMA;
use crate::analysis::source::Source;

/// The database the plan starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    /// A Supabase project: its roles (`anon`, `authenticated`...), the
    /// `auth`, `storage` and `extensions` schemas, the `supabase_realtime`
    /// publication.
    #[default]
    Supabase,
    /// A new PostgreSQL database: `public` and what PostgreSQL itself has.
    Postgres,
}

impl Environment {
    pub const ALL: [Environment; 2] = [Environment::Supabase, Environment::Postgres];

    /// What the database holds already, as SQL: cluster-wide roles first.
    pub fn sources(self) -> Vec<Source> {
        match self {
            Self::Supabase => vec![
                Source::new("supabase/roles.sql", include_str!("../supabase/roles.sql")),
                Source::new(
                    "supabase/environment.sql",
                    include_str!("../supabase/environment.sql"),
                ),
            ],
            Self::Postgres => Vec::new(),
        }
    }

    /// Where unqualified names are looked up (the `postgres` role's
    /// setting): new objects go to the first schema.
    pub fn search_path(self) -> Vec<String> {
        match self {
            Self::Supabase => vec![DEFAULT_SCHEMA.into(), "extensions".into()],
            Self::Postgres => vec![DEFAULT_SCHEMA.into()],
        }
    }

    /// What the statements find before they run, as messages say it: what
    /// "no file creates and ... does not provide" and "already exists
    /// from ..." name.
    pub fn provider(self) -> &'static str {
        match self {
            Self::Supabase => "Supabase",
            Self::Postgres => "a new PostgreSQL database",
        }
    }

    /// How to get a database's schema into a file, to use as a baseline.
    pub fn dump_command(self) -> &'static str {
        match self {
            Self::Supabase => "supabase db dump",
            Self::Postgres => "pg_dump --schema-only",
        }
    }

    /// Its name, as the CLI's `--env` and the page's setting say it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Supabase => "supabase",
            Self::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Supabase => "Supabase",
            Self::Postgres => "PostgreSQL",
        })
    }
}

impl FromStr for Environment {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|environment| environment.name() == name)
            .ok_or_else(|| format!("unknown environment {name:?}: supabase or postgres"))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{plan_with, Options};

    #[test]
    fn supabase_objects_exist_only_in_the_supabase_environment() {
        let sources = [Source::new(
            "1_notes.sql",
            "create extension if not exists pgcrypto;\n\
             create table notes (id uuid primary key default gen_random_uuid(), owner uuid references auth.users (id));\n\
             alter table notes enable row level security;\n\
             create policy own on notes for select to authenticated using ((select auth.uid()) = owner);\n",
        )];
        let errors = |environment: Environment| {
            let options = Options {
                environment,
                ..Options::default()
            };
            let plan = plan_with(&sources, &[], options);
            assert_eq!(plan.environment, environment);
            let mut errors: Vec<String> = plan
                .diagnostics
                .iter()
                .filter(|d| d.code == "PF100")
                .map(|d| format!("{}: {}", d.line, d.message))
                .collect();
            errors.sort();
            errors
        };
        assert_eq!(errors(Environment::Supabase), Vec::<String>::new());
        let on_postgres = errors(Environment::Postgres);
        for missing in ["auth.users", "role authenticated", "auth.uid"] {
            assert!(
                on_postgres.iter().any(|error| error.contains(missing)),
                "{missing} in {on_postgres:#?}"
            );
        }
        // What PostgreSQL and the extension provide is found on both.
        assert!(!on_postgres.iter().any(|e| e.contains("gen_random_uuid")));
    }

    #[test]
    fn environments_are_named_for_the_cli_and_the_page() {
        for environment in Environment::ALL {
            assert_eq!(environment.name().parse(), Ok(environment));
        }
        assert!("mysql"
            .parse::<Environment>()
            .unwrap_err()
            .contains("supabase or postgres"));
    }
}

//! Every rule, one file each, by group.
mod idempotency {
    pub mod not_rerunnable;
}
mod locks {
    pub mod require_concurrent_index;
}
mod security {
    pub mod auth_rls_initplan;
    pub mod function_search_path_mutable;
    pub mod identity_mismatch;
    pub mod policy_always_true;
    pub mod policy_exists_rls_disabled;
    pub mod policy_without_role;
    pub mod rls_disabled_in_public;
    pub mod rls_enabled_no_policy;
    pub mod rls_references_user_metadata;
}

use super::Rule;

/// In code order.
pub static RULES: &[&Rule] = &[
    &security::policy_always_true::RULE,
    &security::policy_without_role::RULE,
    &security::auth_rls_initplan::RULE,
    &security::rls_references_user_metadata::RULE,
    &security::identity_mismatch::RULE,
    &security::function_search_path_mutable::RULE,
    &security::rls_disabled_in_public::RULE,
    &security::policy_exists_rls_disabled::RULE,
    &security::rls_enabled_no_policy::RULE,
    &locks::require_concurrent_index::RULE,
    &idempotency::not_rerunnable::RULE,
];

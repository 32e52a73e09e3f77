//! Every rule, one file each, by group.
mod destructive {
    pub mod data_dependent_change;
    pub mod drop_column;
    pub mod drop_table;
    pub mod rename_column;
    pub mod rename_table;
    pub mod truncate_cascade;
}
mod hygiene {
    pub mod duplicate_index;
    pub mod identifier_too_long;
    pub mod no_primary_key;
    pub mod prefer_identity;
    pub mod prefer_text;
    pub mod prefer_timestamptz;
    pub mod unindexed_foreign_key;
}
mod idempotency {
    pub mod not_rerunnable;
}
mod locks {
    pub mod changing_column_type;
    pub mod constraint_missing_not_valid;
    pub mod require_concurrent_index;
    pub mod require_lock_timeout;
    pub mod set_not_null_on_existing_table;
    pub mod unique_constraint_without_index;
    pub mod volatile_default_rewrite;
}
mod security {
    pub mod auth_rls_initplan;
    pub mod auth_users_exposed;
    pub mod extension_in_public;
    pub mod function_search_path_mutable;
    pub mod identity_mismatch;
    pub mod multiple_permissive_policies;
    pub mod policy_always_true;
    pub mod policy_exists_rls_disabled;
    pub mod policy_without_role;
    pub mod rls_disabled_in_public;
    pub mod rls_enabled_no_policy;
    pub mod rls_references_user_metadata;
    pub mod security_definer_executable;
    pub mod security_definer_view;
    pub mod update_policy_without_with_check;
}
mod transactions {
    pub mod concurrently_in_transaction;
    pub mod enum_value_used_in_transaction;
    pub mod transaction_nesting;
    pub mod uncommitted_transaction;
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
    &security::multiple_permissive_policies::RULE,
    &security::extension_in_public::RULE,
    &security::security_definer_view::RULE,
    &security::auth_users_exposed::RULE,
    &security::security_definer_executable::RULE,
    &security::update_policy_without_with_check::RULE,
    &locks::require_concurrent_index::RULE,
    &locks::constraint_missing_not_valid::RULE,
    &locks::set_not_null_on_existing_table::RULE,
    &locks::unique_constraint_without_index::RULE,
    &locks::changing_column_type::RULE,
    &locks::require_lock_timeout::RULE,
    &locks::volatile_default_rewrite::RULE,
    &transactions::concurrently_in_transaction::RULE,
    &transactions::enum_value_used_in_transaction::RULE,
    &transactions::transaction_nesting::RULE,
    &transactions::uncommitted_transaction::RULE,
    &idempotency::not_rerunnable::RULE,
    &destructive::drop_table::RULE,
    &destructive::drop_column::RULE,
    &destructive::rename_table::RULE,
    &destructive::rename_column::RULE,
    &destructive::truncate_cascade::RULE,
    &destructive::data_dependent_change::RULE,
    &hygiene::prefer_timestamptz::RULE,
    &hygiene::prefer_identity::RULE,
    &hygiene::identifier_too_long::RULE,
    &hygiene::no_primary_key::RULE,
    &hygiene::unindexed_foreign_key::RULE,
    &hygiene::duplicate_index::RULE,
    &hygiene::prefer_text::RULE,
];

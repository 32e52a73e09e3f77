//! From SQL text to what each statement does: the source and its parse,
//! positions, names, and the facts of every statement (what it creates,
//! changes, drops, renames and reads), split by statement family.

pub mod block_role;
pub(crate) mod bodies;
pub mod census;
pub(crate) mod compact;
pub mod facts;
pub mod implicit_names;
pub mod kind;
pub mod markdown;
pub mod names;
pub mod parse;
mod parser_error;
pub(crate) mod reads;
pub(crate) mod rows;
pub mod source;
pub mod span;
pub mod statements;
pub(crate) mod visit;

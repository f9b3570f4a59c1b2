//! Brand intelligence: what a monitor looks for ([`query`]), where mentions come from
//! ([`sources`]), the mention record every source is normalised into ([`mention`]), and how
//! mentions are stored, deduplicated and summarised ([`mentions`]), and the HTTP routes
//! ([`routes`]).

pub mod mention;
pub mod mentions;
pub mod query;
pub mod routes;
pub mod sources;

pub use mention::Mention;

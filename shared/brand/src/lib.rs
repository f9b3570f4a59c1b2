//! Brand intelligence: what a monitor looks for ([`query`]), where mentions come from
//! ([`sources`]), the mention record every source is normalised into ([`mention`]), and how
//! mentions are stored, deduplicated and summarised ([`mentions`]), how they are scored
//! ([`sentiment`]), and the HTTP routes ([`routes`]).

pub mod alerts;
pub mod mention;
pub mod mentions;
pub mod monitors;
pub mod query;
pub mod reports;
pub mod routes;
pub mod scan;
pub mod sentiment;
pub mod sources;

pub use mention::Mention;

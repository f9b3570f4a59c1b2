//! Content planning for campaigns: goals and a per-channel cadence become a dated plan of
//! posts across channels in the campaign's time zone ([`plan`]), and the content calendar is
//! exported as ICS for calendar apps ([`to_ics`]). Pure logic: no storage, no clock, no I/O.

mod cadence;
mod channel;
mod error;
mod ics;
mod plan;
mod rotation;
mod zone;

pub use cadence::{Cadence, MAX_PER_WEEK};
pub use channel::{CHANNELS, ChannelDefaults, channel_defaults};
pub use error::PlanError;
pub use ics::{CalendarEntry, PRODID, UID_DOMAIN, ics_status, to_ics};
pub use plan::{MAX_RANGE_DAYS, MAX_SLOTS, PlanRequest, PlannedSlot, plan};
pub use rotation::DERIVED_TOPICS;

#[cfg(test)]
mod tests;

//! Source connectors against local fixture servers that speak each API's documented shape.
//! Every fixture records the requests it receives so the tests check what was sent (path,
//! query, credentials, User-Agent) as well as how the answer was normalised.

#[path = "sources/apis.rs"]
mod apis;
#[path = "sources/cursors.rs"]
mod cursors;
#[path = "sources/feeds.rs"]
mod feeds;
#[path = "sources/fixture.rs"]
mod fixture;
#[path = "sources/inbound.rs"]
mod inbound;
#[path = "sources/resilience.rs"]
mod resilience;

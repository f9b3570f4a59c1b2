//! Shared test helpers (moto server, temp data dirs).

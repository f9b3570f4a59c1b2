//! Boolean monitor queries (work in progress).

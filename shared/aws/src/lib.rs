//! AWS adapters (work in progress).

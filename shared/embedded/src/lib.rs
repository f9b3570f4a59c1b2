//! Embedded adapters (work in progress).

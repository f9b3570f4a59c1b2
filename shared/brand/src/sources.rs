//! Source connectors (work in progress).

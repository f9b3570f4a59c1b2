//! Port conformance suites (work in progress).

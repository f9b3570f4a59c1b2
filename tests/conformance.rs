//! Conformance suites against both adapters.

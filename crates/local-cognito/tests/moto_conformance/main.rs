//! Conformance against moto (written next).

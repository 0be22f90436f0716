//! Placeholder: the Python package is being written.

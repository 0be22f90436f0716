//! Placeholder: the WebAssembly package is being written.

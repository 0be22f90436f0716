//! Gives the shared library its ELF SONAME when the `soname` feature is on
//! (scripts/dist turns it on for the C archive).
//!
//! The SONAME names the ABI a program was linked against, so a later
//! incompatible release can be installed beside it: `libofdkit.so.0.1` for
//! 0.1.x (before 1.0 every minor release may break the ABI, as in Cargo's
//! semver rules), `libofdkit.so.1` from 1.0 on. It is off by default because
//! cargo's own `target/` holds only `libofdkit.so`: a test program linked
//! there would ask the loader for `libofdkit.so.0.1` and not find it.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let wanted = env::var_os("CARGO_FEATURE_SONAME").is_some();
    let elf = matches!(
        env::var("CARGO_CFG_TARGET_OS").as_deref(),
        Ok("linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "illumos" | "solaris")
    );
    if !(wanted && elf) {
        return;
    }
    let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets CARGO_PKG_VERSION_MAJOR");
    let minor = env::var("CARGO_PKG_VERSION_MINOR").expect("cargo sets CARGO_PKG_VERSION_MINOR");
    let abi = if major == "0" { format!("0.{minor}") } else { major };
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libofdkit.so.{abi}");
}

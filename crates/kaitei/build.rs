//! Link flags of the `kaitei` binary.

fn main() {
    // Relative relocations packed (DT_RELR): the binary's 29,000 pointers
    // that the dynamic loader fixes at every start shrink from 690 KB of
    // table to 8 KB. A `kaitei diff` of two full-size files took 3–10 %
    // less CPU (most of a command that short is starting up). Needs GNU ld
    // 2.38 or lld 15 and glibc 2.36 (Debian 12) or later.
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    println!("cargo:rerun-if-changed=build.rs");
}

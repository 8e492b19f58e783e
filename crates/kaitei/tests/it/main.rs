//! End-to-end tests of the `kaitei` binary: one integration-test binary,
//! a module per area.

#![allow(missing_docs, clippy::unwrap_used)]

mod audit;
mod backup;
mod bad_input;
mod bodies;
mod check;
mod cluster;
mod consult;
mod disposal;
#[cfg(target_os = "linux")]
mod memory;
mod migrate;
mod oscal;
mod policy;
mod regulations;
mod store;
mod web;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project's `fixtures/` folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `kaitei` with `args` in `dir`, with no KAITEI_DB from outside.
pub fn kaitei_in(dir: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_kaitei"))
        .args(args)
        .current_dir(dir)
        .env_remove("KAITEI_DB")
        .output()
        .expect("kaitei runs");
    let run = Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "kaitei panicked: {}",
        run.stderr
    );
    run
}

/// Runs `kaitei` in a fresh temporary folder.
pub fn kaitei(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    kaitei_in(dir.path(), args)
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

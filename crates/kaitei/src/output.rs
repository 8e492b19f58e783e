//! Writing results.

use std::io::{ErrorKind, Write};

use anyhow::{Context, Result};

/// Writes to standard output; a closed pipe (`kaitei … | head`) is not an
/// error.
pub fn write_stdout(out: &mut impl Write, bytes: &[u8]) -> Result<()> {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

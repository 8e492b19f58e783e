//! Writing results.

use std::io::{ErrorKind, Write};
use std::os::fd::AsFd;

use anyhow::{Context, Result};

/// Writes to standard output; a closed pipe (`kaitei … | head`) is not an
/// error.
pub fn write_stdout(out: &mut impl Write, bytes: &[u8]) -> Result<()> {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

/// Streams to standard output through a buffer with `write` (for output of
/// megabytes); a closed pipe is not an error.
pub fn stream_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let stdout = std::io::stdout().lock();
    // Straight to (a duplicate of) the file descriptor: `Stdout` is line
    // buffered, and looked for the last line break in every 64 KiB written.
    let direct: Box<dyn Write> = match stdout.as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(std::fs::File::from(fd)),
        Err(_) => Box::new(stdout),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, direct);
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

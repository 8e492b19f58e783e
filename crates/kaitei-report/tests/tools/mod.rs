//! The outside tools the "opens" tests drive (LibreOffice, pdftotext,
//! python): whether they are here — under CI they must be — and running
//! one with a time limit.

#![allow(dead_code, reason = "each test file uses part of it")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Whether `program args…` runs and succeeds.
pub fn available(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What the DOCX checks use: LibreOffice to print, pdftotext to read the
/// print, python-docx to open the file.
pub const DOCX_TOOLS: &[(&str, &str, &[&str])] = &[
    ("soffice", "soffice", &["--version"]),
    ("pdftotext", "pdftotext", &["-v"]),
    ("python-docx", "python3", &["-c", "import docx"]),
];

/// Whether the tools named are there. `false`: skip (outside CI only;
/// under CI it fails).
pub fn tools_present(what: &str, tools: &[(&str, &str, &[&str])]) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .filter(|(_, program, args)| !available(program, args))
        .map(|(name, _, _)| *name)
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "missing {} (scripts/test.sh installs them)",
        missing.join(", ")
    );
    assert!(std::env::var_os("CI").is_none(), "{message}");
    eprintln!("note: skipping {what}: {message}");
    false
}

/// How long pdftotext or a python script may take.
pub const TOOL_TIMEOUT: Duration = Duration::from_secs(60);

/// LibreOffice's first start (creating its profile) is slow on a busy machine.
pub const SOFFICE_TIMEOUT: Duration = Duration::from_secs(240);

/// Converts `file` to `to` (`pdf`, `xlsx`) into `outdir`, with a
/// LibreOffice profile of its own in `dir`, so tests running at the same
/// time (or a LibreOffice the user has open) do not share, and block on,
/// one profile; `None` when LibreOffice wrote nothing (as it does, without
/// failing, when the Writer or Calc part is not installed).
pub fn soffice_convert(dir: &Path, file: &Path, to: &str, outdir: &Path) -> Option<PathBuf> {
    std::fs::create_dir_all(outdir).expect("a directory");
    let profile = format!("file://{}", dir.join("lo-profile").display());
    run(
        Command::new("soffice")
            .env("HOME", dir)
            .arg(format!("-env:UserInstallation={profile}"))
            .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
            .arg(outdir)
            .arg(file),
        dir,
        SOFFICE_TIMEOUT,
    );
    let name = file.with_extension(to);
    let out = outdir.join(name.file_name().expect("a file name"));
    out.is_file().then_some(out)
}

/// Runs a command to completion, or kills it after `timeout`, and returns
/// its standard output. Output goes to files, not pipes, so that a full
/// pipe cannot stall the child.
#[allow(
    clippy::disallowed_methods,
    reason = "a test bounds how long a child process may run"
)]
pub fn run(command: &mut Command, dir: &Path, timeout: Duration) -> String {
    let (out_path, err_path) = (dir.join("command.out"), dir.join("command.err"));
    let file = |p: &Path| std::fs::File::create(p).expect("an output file");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(file(&out_path))
        .stderr(file(&err_path))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    assert!(
        status.success(),
        "{command:?} failed: {}\n{}",
        read(&out_path),
        read(&err_path)
    );
    read(&out_path)
}

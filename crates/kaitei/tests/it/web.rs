//! `kaitei demo`, `kaitei serve` and `kaitei user` end to end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::kaitei_in;

/// Starts `kaitei ARGS` (a server) in `dir`; returns it, its output and
/// the first line it printed (its URL).
fn start(args: &[&str], dir: &std::path::Path) -> (Child, BufReader<ChildStdout>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaitei"))
        .args(args)
        .current_dir(dir)
        .env_remove("KAITEI_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kaitei starts");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    out.read_line(&mut first).expect("a line");
    (child, out, first)
}

/// Starts `kaitei ARGS` (a server), waits for its URL, fetches `path`.
fn fetch_from(args: &[&str], dir: &std::path::Path, path: &str) -> String {
    let (mut child, mut out, first) = start(args, dir);
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .to_string();
    let mut rest = String::new();
    if args[0] == "demo" {
        for _ in 0..7 {
            out.read_line(&mut rest).expect("the logins");
        }
    }
    let mut stream = TcpStream::connect(&addr).expect("connects");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    child.kill().ok();
    child.wait().ok();
    format!("{first}{rest}{response}")
}

#[test]
fn the_demo_serves_and_prints_its_logins() {
    let dir = tempfile::tempdir().unwrap();
    let out = fetch_from(&["demo", "--addr", "127.0.0.1:0"], dir.path(), "/login");
    assert!(out.contains("kaitei demo: http://127.0.0.1:"), "{out}");
    assert!(
        out.contains("admin") && out.contains("shiwa") && out.contains("033219 紫波町"),
        "{out}"
    );
    assert!(out.contains("HTTP/1.1 200 OK"), "{out}");
    assert!(out.contains("サインイン"), "{out}");
    assert!(
        !dir.path().join("kaitei.db").exists(),
        "the demo uses a database of its own"
    );
}

#[test]
fn accounts_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = |args: &[&str], password: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_kaitei"))
            .args(args)
            .current_dir(d)
            .env_remove("KAITEI_DB")
            .env("KAITEI_PASSWORD", password)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = add(
        &[
            "user", "add", "chiyoda", "--role", "body", "--body", "131016",
        ],
        "a long enough password",
    );
    assert_eq!(code, 0, "{err}");
    let (code, err) = add(
        &["user", "add", "ward", "--role", "body", "--body", "011011"],
        "a long enough password",
    );
    assert_eq!(code, 2);
    assert!(err.contains("not a local government"), "{err}");
    let (code, err) = add(&["user", "add", "x", "--role", "admin"], "short");
    assert_eq!(code, 2);
    assert!(err.contains("at least 12"), "{err}");
    assert_eq!(kaitei_in(d, &["user", "disable", "chiyoda"]).code, 0);
    assert_eq!(kaitei_in(d, &["user", "disable", "nobody"]).code, 2);
    let out = fetch_from(&["serve", "--addr", "127.0.0.1:0"], d, "/api/v1/editions");
    assert!(
        out.contains("HTTP/1.1 401"),
        "the API asks for a sign-in: {out}"
    );
}

/// A service manager stops a server with SIGTERM: it finishes and exits 0
/// (a graceful stop), not killed by the signal.
#[cfg(unix)]
#[test]
fn serve_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("k.db").display());
    let (mut child, _out, first) =
        start(&["--db", &db, "serve", "--addr", "127.0.0.1:0"], dir.path());
    assert!(first.contains("http://127.0.0.1:"), "{first}");
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{status:?}");
}

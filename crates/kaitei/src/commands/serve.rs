//! `kaitei serve` and `kaitei demo`

use anyhow::{Context, Result};
use kaitei_app::App;
use kaitei_server::{AppState, demo};
use kaitei_store::redact_url;

use crate::Outcome;
use crate::cli::{DemoArgs, ServeArgs};

/// The server's log: one line per request (and what went wrong) on
/// standard error; `RUST_LOG` chooses what (default `info`).
fn start_log() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second call (tests start several servers) keeps the first.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

fn server_runtime() -> Result<tokio::runtime::Runtime> {
    start_log();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub fn serve(args: &ServeArgs, db: &str) -> Result<Outcome> {
    let rt = server_runtime()?;
    rt.block_on(async {
        let shown = redact_url(db);
        let app = App::open(db)
            .await
            .with_context(|| format!("cannot open the database {shown}"))?;
        let state = AppState::with_app(app, args.secure_cookies);
        kaitei_server::serve(args.addr, state, |addr| {
            println!("kaitei: serving {shown} on http://{addr}/ (Ctrl-C stops)");
        })
        .await
        .with_context(|| format!("cannot serve on {}", args.addr))
    })?;
    Ok(Outcome::Ok)
}

pub fn demo(demo_args: &DemoArgs) -> Result<Outcome> {
    let args = &demo_args.serve;
    // Always a fresh database of its own (CONTRACTS.md), removed on exit.
    let dir = tempfile::tempdir().context("cannot make a temporary folder")?;
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let rt = server_runtime()?;
    rt.block_on(async {
        let app = App::open(&db)
            .await
            .context("cannot open the demo database")?;
        demo::seed(&app)
            .await
            .context("cannot load the demo data")?;
        kaitei_server::demo_cycle::seed_cycle(&app, kaitei_app::now(), 300)
            .await
            .context("cannot load the demo's revision cycle")?;
        let nation = if demo_args.national {
            Some(seed_nation(&app).await?)
        } else {
            None
        };
        let state = AppState::with_app(app, args.secure_cookies);
        kaitei_server::serve(args.addr, state, |addr| {
            println!("kaitei demo: http://{addr}/");
            println!(
                "sign in with any of these (password {}):",
                demo::DEMO_PASSWORD
            );
            for (login, role, body) in demo::ACCOUNTS {
                let body = body
                    .and_then(|b| kaitei_model::registry().lookup(b).ok())
                    .map(|b| format!(" — {} {}", b.code, b.name))
                    .unwrap_or_default();
                println!("  {login:<10} {}{body}", role.as_str());
            }
            println!("  shiwa-staff body — prepares 紫波町's answer, may not submit it");
            println!(
                "this year's cycle: consultation {} is open (/consultations/{})",
                kaitei_server::demo_cycle::CONSULTATION,
                kaitei_server::demo_cycle::CONSULTATION
            );
            if let Some(n) = nation {
                println!(
                    "the nation: {} generated policies ({} following the latest edition, {} public), {} bodies without one",
                    n.policies, n.newer, n.public, n.unregistered
                );
            }
            println!("(Ctrl-C stops; the demo database is thrown away)");
        })
        .await
        .with_context(|| format!("cannot serve on {}", args.addr))
    })?;
    drop(dir);
    Ok(Outcome::Ok)
}

/// `demo --national`: every other body's policy, with a progress bar.
async fn seed_nation(app: &App) -> Result<kaitei_server::demo_nation::Nation> {
    let started = std::time::Instant::now();
    let bar = crate::progress::bar(0, "generating the nation");
    // The demo accounts' bodies stay as the demo has them (千代田区
    // without a policy, for its officer's first visit).
    let bodies: Vec<kaitei_model::Body> = kaitei_model::registry()
        .all()
        .iter()
        .filter(|b| {
            !demo::ACCOUNTS
                .iter()
                .any(|(_, _, code)| *code == Some(b.code.to_string().as_str()))
        })
        .cloned()
        .collect();
    let nation = kaitei_server::demo_nation::seed_nation(
        app,
        (demo::OLDER_EDITION, demo::LATEST_EDITION),
        &bodies,
        |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        },
    )
    .await
    .context("cannot generate the nation")?;
    bar.finish_and_clear();
    eprintln!(
        "kaitei demo: {} policies generated and stored in {:.1} s",
        nation.policies,
        started.elapsed().as_secs_f64()
    );
    Ok(nation)
}

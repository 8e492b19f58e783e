//! The load client of the burst benchmark (`bench/burst.sh`): every local
//! government submits its answer to one consultation, all within one
//! window.
//!
//! `burst codes [COUNT]` prints the bodies' codes, one a line (for the
//! script that makes their accounts). `burst run ADDR CONSULTATION
//! CLAUSES.json OUT_DIR [COUNT] [WINDOW_SECONDS]`:
//!
//! 1. signs every body's officer (`burst-CODE`) in, before the window and
//!    not timed with it (`GET /login`, `POST /login`, `GET /api/v1/session`
//!    for the CSRF token), four at a time;
//! 2. gives every body an arrival time drawn uniformly at random in the
//!    window (the arrivals of a Poisson process, given their number), and
//!    at that time saves its answer of 20 comments
//!    (`POST /api/v1/consultations/ID/answer`) and, once that is
//!    acknowledged (204), submits it (`…/answer/submit`). Each body is a
//!    task of its own on its own connections, so a slow answer holds up no
//!    other body's arrival, and a request's latency runs from the moment it
//!    was due, connection included;
//! 3. reads every answer back through the API and compares it with what was
//!    acknowledged;
//! 4. prints the figures and writes `OUT_DIR/acknowledged.tsv` (every
//!    acknowledged comment: code, position, clause, quote, kind, text,
//!    proposal) and `OUT_DIR/submitted.txt` (the codes whose submission was
//!    acknowledged), for the script to check against the database after
//!    it has killed the server.
//!
//! The comments quote words of real clauses (`CLAUSES.json` is the
//! consulted edition as `kaitei export --format json` writes it), so the
//! server checks and stores them as it would a body's. A small HTTP/1.1
//! client over tokio's TCP (`load/`, shared with the crash test's client)
//! keeps the benchmark free of new dependencies and features.

mod load;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use kaitei_model::registry;
use load::{Comment, Officer, Rng, answer_of, request, sign_in};
use serde_json::{Value, json};

const PASSWORD: &str = "burst-password-2026";
const COMMENTS: usize = 20;
/// A request that takes longer has failed (and is counted so).
const TIMEOUT: Duration = Duration::from_secs(30);

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: burst codes [COUNT] | burst run ADDR CONSULTATION CLAUSES.json OUT_DIR [COUNT] [WINDOW_SECONDS]";
    match args.first().map(String::as_str) {
        Some("codes") => {
            let count = args.get(1).map_or(Ok(usize::MAX), |s| s.parse())?;
            for b in registry().all().iter().take(count) {
                println!("{}", b.code);
            }
            Ok(())
        }
        Some("run") if args.len() >= 5 => {
            let config = Config {
                addr: args[1].parse().context("ADDR")?,
                consultation: args[2].clone(),
                clauses: load::clauses(&std::fs::read_to_string(&args[3])?, COMMENTS)?,
                out: args[4].clone().into(),
                count: args.get(5).map_or(Ok(usize::MAX), |s| s.parse())?,
                window: Duration::from_secs_f64(args.get(6).map_or(Ok(60.0), |s| s.parse())?),
            };
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?
                .block_on(run(Arc::new(config)))
        }
        _ => bail!(usage),
    }
}

struct Config {
    addr: SocketAddr,
    consultation: String,
    /// (key, text) of every clause with words to quote.
    clauses: Vec<(String, String)>,
    out: std::path::PathBuf,
    count: usize,
    window: Duration,
}

/// What happened to one body in the window.
#[derive(Default)]
struct Outcome {
    /// How late its task woke, after its arrival time.
    lag: Duration,
    save: Option<Done>,
    submit: Option<Done>,
}

/// One request: its status (0: no answer, connection error or timeout)
/// and latency.
#[derive(Clone, Copy)]
struct Done {
    status: u16,
    latency: Duration,
}

async fn run(config: Arc<Config>) -> Result<()> {
    std::fs::create_dir_all(&config.out)?;
    let bodies: Vec<_> = registry().all().iter().take(config.count).collect();
    let mut rng = Rng(0x6b61_6974_6569_2026);

    // 1. Sign-ins, before the window.
    let started = Instant::now();
    let gate = Arc::new(tokio::sync::Semaphore::new(4));
    let mut signing = Vec::new();
    for b in &bodies {
        let (config, gate, code) = (config.clone(), gate.clone(), b.code.to_string());
        signing.push(tokio::spawn(async move {
            let _permit = gate.acquire().await?;
            sign_in(config.addr, &format!("burst-{code}"), PASSWORD).await
        }));
    }
    let mut officers = Vec::with_capacity(bodies.len());
    for s in signing {
        officers.push(s.await??);
    }
    let sign_in_time = started.elapsed();

    // 2. The window.
    let answers: Vec<Vec<Comment>> = bodies
        .iter()
        .enumerate()
        .map(|(n, b)| answer_of(n, &b.name, "", COMMENTS, &config.clauses, &mut rng))
        .collect();
    let arrivals: Vec<Duration> = bodies
        .iter()
        .map(|_| config.window.mul_f64(rng.unit()))
        .collect();
    let answers = Arc::new(answers);
    let officers = Arc::new(officers);
    let zero = Instant::now() + Duration::from_millis(200);
    let mut tasks = Vec::new();
    for (n, at) in arrivals.iter().enumerate() {
        let (config, answers, officers, due) = (
            config.clone(),
            answers.clone(),
            officers.clone(),
            zero + *at,
        );
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(due.into()).await;
            let mut outcome = Outcome {
                lag: due.elapsed(),
                ..Outcome::default()
            };
            let officer = &officers[n];
            let body = json!({
                "base": 0,
                "no_comment": false,
                "comments": answers[n].iter().map(Comment::to_json).collect::<Vec<_>>(),
            })
            .to_string();
            let path = format!("/api/v1/consultations/{}/answer", config.consultation);
            let save = timed(&config, officer, &path, Some(&body), due).await;
            outcome.save = Some(save);
            if save.status == 204 {
                let now = Instant::now();
                outcome.submit =
                    Some(timed(&config, officer, &format!("{path}/submit"), Some(""), now).await);
            }
            outcome
        }));
    }
    let mut outcomes = Vec::with_capacity(tasks.len());
    for t in tasks {
        outcomes.push(t.await?);
    }
    let last = outcomes
        .iter()
        .zip(&arrivals)
        .map(|(o, at)| {
            *at + o.lag
                + o.save.map_or(Duration::ZERO, |d| d.latency)
                + o.submit.map_or(Duration::ZERO, |d| d.latency)
        })
        .max()
        .unwrap_or_default();

    // 3. Everything read back through the API.
    let mut acknowledged = String::new();
    let mut submitted = String::new();
    let (mut lost, mut unsent, mut stored) = (0usize, 0usize, 0usize);
    for (n, o) in outcomes.iter().enumerate() {
        let (officer, code) = (&officers[n], &bodies[n].code);
        let path = format!("/api/v1/consultations/{}/answer", config.consultation);
        let back = request(config.addr, "GET", &path, &officer.cookie, "", None).await?;
        let back: Value = serde_json::from_slice(&back.body)
            .with_context(|| format!("the answer of {code} read back"))?;
        let got: Vec<Comment> = back["comments"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(Comment::from_json)
            .collect();
        stored += got.len();
        if o.save.is_some_and(|d| d.status == 204) {
            for (i, c) in answers[n].iter().enumerate() {
                if got.get(i) != Some(c) {
                    lost += 1;
                }
                acknowledged.push_str(&format!(
                    "{}\t{i}\t{}\t{}\t{}\t{}\t{}\n",
                    code, c.clause, c.quote, c.kind, c.text, c.proposal
                ));
            }
        }
        if o.submit.is_some_and(|d| d.status == 204) {
            submitted.push_str(&format!("{code}\n"));
            if back["status"] != "submitted" {
                unsent += 1;
            }
        }
    }
    std::fs::write(config.out.join("acknowledged.tsv"), acknowledged)?;
    std::fs::write(config.out.join("submitted.txt"), submitted)?;

    // 4. The figures.
    let saves: Vec<Done> = outcomes.iter().filter_map(|o| o.save).collect();
    let submits: Vec<Done> = outcomes.iter().filter_map(|o| o.submit).collect();
    let all: Vec<Done> = saves.iter().chain(&submits).copied().collect();
    let count = |ds: &[Done], f: &dyn Fn(u16) -> bool| ds.iter().filter(|d| f(d.status)).count();
    let acked_saves = count(&saves, &|s| s == 204);
    let acked_submits = count(&submits, &|s| s == 204);
    let max_lag = outcomes.iter().map(|o| o.lag).max().unwrap_or_default();
    println!(
        "bodies: {}; signed in before the window in {:.1} s",
        bodies.len(),
        sign_in_time.as_secs_f64()
    );
    println!(
        "window: {:.0} s; last answer acknowledged at {:.1} s; client lag max {:.0} ms",
        config.window.as_secs_f64(),
        last.as_secs_f64(),
        max_lag.as_secs_f64() * 1000.0
    );
    println!("{}", line("save (20 comments)", &saves));
    println!("{}", line("submit", &submits));
    println!("{}", line("both", &all));
    println!(
        "acknowledged: {acked_saves} answers ({} comments), {acked_submits} submissions",
        acked_saves * COMMENTS
    );
    println!(
        "5xx: {}; other failures: {} (4xx {}, no answer {})",
        count(&all, &|s| s >= 500),
        count(&all, &|s| s != 204 && s < 500),
        count(&all, &|s| (400..500).contains(&s)),
        count(&all, &|s| s == 0)
    );
    println!(
        "read back through the API: {stored} comments stored; acknowledged but missing or different: {lost}; submissions acknowledged but not submitted: {unsent}"
    );
    let mut statuses: Vec<u16> = all.iter().map(|d| d.status).collect();
    statuses.sort_unstable();
    statuses.dedup();
    println!(
        "statuses: {}",
        statuses
            .iter()
            .map(|s| format!("{s}×{}", count(&all, &|t| t == *s)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let p99 = percentile(&mut latencies(&all), 0.99);
    println!(
        "target p99 ≤ 1 s: {} ({:.0} ms)",
        if p99 <= Duration::from_secs(1) {
            "met"
        } else {
            "missed"
        },
        p99.as_secs_f64() * 1000.0
    );
    Ok(())
}

fn latencies(ds: &[Done]) -> Vec<Duration> {
    let mut v: Vec<Duration> = ds.iter().map(|d| d.latency).collect();
    v.sort_unstable();
    v
}

/// Nearest rank of sorted `v`.
fn percentile(v: &mut [Duration], p: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

fn line(name: &str, ds: &[Done]) -> String {
    let mut v = latencies(ds);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "{name:<20} {:>5} requests   p50 {:>6.0} ms   p90 {:>6.0} ms   p99 {:>6.0} ms   max {:>6.0} ms",
        v.len(),
        ms(percentile(&mut v, 0.50)),
        ms(percentile(&mut v, 0.90)),
        ms(percentile(&mut v, 0.99)),
        ms(v.last().copied().unwrap_or_default()),
    )
}

/// A POST of `body` (JSON) by `officer`, timed from `due`.
async fn timed(
    config: &Config,
    officer: &Officer,
    path: &str,
    body: Option<&str>,
    due: Instant,
) -> Done {
    let sent = tokio::time::timeout(
        TIMEOUT,
        request(
            config.addr,
            "POST",
            path,
            &officer.cookie,
            &officer.csrf,
            body,
        ),
    )
    .await;
    Done {
        status: match sent {
            Ok(Ok(reply)) => reply.status,
            _ => 0,
        },
        latency: due.elapsed(),
    }
}

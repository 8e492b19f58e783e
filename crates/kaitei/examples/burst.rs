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
//! client over tokio's TCP keeps the benchmark free of new dependencies
//! and features.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use kaitei_model::registry;
use serde_json::{Value, json};
use tokio::net::TcpStream;

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
                clauses: clauses(&std::fs::read_to_string(&args[3])?)?,
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

/// The clauses of an exported document that have a first line long enough
/// to quote from.
fn clauses(export: &str) -> Result<Vec<(String, String)>> {
    fn walk(nodes: &[Value], out: &mut Vec<(String, String)>) {
        for n in nodes {
            let text = n["text"].as_str().unwrap_or_default();
            let first = text.lines().next().unwrap_or_default();
            if first.chars().count() >= 24 {
                out.push((
                    n["key"].as_str().unwrap_or_default().to_string(),
                    text.to_string(),
                ));
            }
            walk(n["children"].as_array().map_or(&[], Vec::as_slice), out);
        }
    }
    let doc: Value = serde_json::from_str(export).context("CLAUSES.json")?;
    let mut out = Vec::new();
    walk(doc["nodes"].as_array().map_or(&[], Vec::as_slice), &mut out);
    if out.len() < COMMENTS {
        bail!(
            "CLAUSES.json has {} clauses to quote; {COMMENTS} needed",
            out.len()
        );
    }
    Ok(out)
}

/// xorshift64*: the same arrivals and comments on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One comment as the API takes it.
#[derive(Clone, PartialEq, Debug)]
struct Comment {
    clause: String,
    quote: String,
    kind: &'static str,
    text: String,
    proposal: String,
}

const CONCERNS: [&str; 8] = [
    "小規模な団体では担当職員が一人しかおらず、このとおり運用することは困難である",
    "対象となる情報システムの範囲が不明確であり、クラウドサービスを含むか示していただきたい",
    "求められる頻度の目安が示されておらず、監査の際に判断が分かれるおそれがある",
    "外部委託先に同じ対策を求める場合の契約上の扱いについて、具体例を示していただきたい",
    "既存の規程との関係が分かりにくく、改定作業に相当の期間を要する",
    "用語の定義が他の章と異なっているように見受けられるため、統一していただきたい",
    "技術的な対策の水準が高く、予算措置に時間を要するため、経過措置を設けていただきたい",
    "研修の実施方法の例を示していただければ、職員への周知が進めやすくなる",
];

/// Body `n`'s 20 comments: each on a clause of its own, quoting words of
/// the clause's first line, in wording of varied length.
fn answer_of(n: usize, name: &str, clauses: &[(String, String)], rng: &mut Rng) -> Vec<Comment> {
    let start = rng.below(clauses.len());
    let step = 1 + rng.below(clauses.len() / COMMENTS);
    (0..COMMENTS)
        .map(|i| {
            let (key, text) = &clauses[(start + i * step) % clauses.len()];
            let line: Vec<char> = text.lines().next().unwrap_or_default().chars().collect();
            let len = 6 + rng.below(10).min(line.len() - 6);
            let at = rng.below(line.len() - len + 1);
            let quote = line[at..at + len]
                .iter()
                .collect::<String>()
                .trim()
                .to_string();
            let concern = CONCERNS[(n + i + rng.below(3)) % CONCERNS.len()];
            let mut text = format!("{name}としては、「{quote}」について、{concern}。");
            for _ in 0..rng.below(4) {
                text.push_str(
                    "なお、他の団体の取組事例があれば併せて御提供いただけると幸いである。",
                );
            }
            text.push_str(&format!("（{name} 意見{}）", i + 1));
            let proposal = if rng.below(2) == 0 {
                format!("「{quote}」の後に「（団体の規模に応じて）」を加える。")
            } else {
                String::new()
            };
            Comment {
                clause: key.clone(),
                quote,
                kind: match rng.below(10) {
                    0..=6 => "opinion",
                    7 | 8 => "question",
                    _ => "error",
                },
                text,
                proposal,
            }
        })
        .collect()
}

/// A signed-in body: its cookie and CSRF token.
struct Officer {
    code: String,
    cookie: String,
    csrf: String,
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
            sign_in(config.addr, &code).await
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
        .map(|(n, b)| answer_of(n, &b.name, &config.clauses, &mut rng))
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
                "comments": answers[n].iter().map(|c| json!({
                    "clause": c.clause, "quote": c.quote, "kind": c.kind,
                    "text": c.text, "proposal": c.proposal,
                })).collect::<Vec<_>>(),
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
        let officer = &officers[n];
        let path = format!("/api/v1/consultations/{}/answer", config.consultation);
        let back = request(config.addr, "GET", &path, &officer.cookie, "", None).await?;
        let back: Value = serde_json::from_slice(&back.body)
            .with_context(|| format!("the answer of {} read back", officer.code))?;
        let got: Vec<Comment> = back["comments"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|c| Comment {
                clause: c["clause"].as_str().unwrap_or_default().to_string(),
                quote: c["quote"].as_str().unwrap_or_default().to_string(),
                kind: match c["kind"].as_str() {
                    Some("opinion") => "opinion",
                    Some("question") => "question",
                    Some("error") => "error",
                    _ => "?",
                },
                text: c["text"].as_str().unwrap_or_default().to_string(),
                proposal: c["proposal"].as_str().unwrap_or_default().to_string(),
            })
            .collect();
        stored += got.len();
        if o.save.is_some_and(|d| d.status == 204) {
            for (i, c) in answers[n].iter().enumerate() {
                if got.get(i) != Some(c) {
                    lost += 1;
                }
                acknowledged.push_str(&format!(
                    "{}\t{i}\t{}\t{}\t{}\t{}\t{}\n",
                    officer.code, c.clause, c.quote, c.kind, c.text, c.proposal
                ));
            }
        }
        if o.submit.is_some_and(|d| d.status == 204) {
            submitted.push_str(&format!("{}\n", officer.code));
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

async fn sign_in(addr: SocketAddr, code: &str) -> Result<Officer> {
    let page = request(addr, "GET", "/login", "", "", None).await?;
    let login_csrf = page
        .cookie("kaitei_login_csrf")
        .ok_or_else(|| anyhow!("the sign-in page set no CSRF cookie"))?;
    let form = format!("login=burst-{code}&password={PASSWORD}&csrf={login_csrf}");
    let signed = request_with(
        addr,
        "POST",
        "/login",
        &format!("kaitei_login_csrf={login_csrf}"),
        "",
        Some((&form, "application/x-www-form-urlencoded")),
    )
    .await?;
    let token = signed
        .cookie("kaitei_session")
        .ok_or_else(|| anyhow!("burst-{code} could not sign in ({})", signed.status))?;
    let cookie = format!("kaitei_session={token}");
    let session = request(addr, "GET", "/api/v1/session", &cookie, "", None).await?;
    let session: Value = serde_json::from_slice(&session.body)?;
    let csrf = session["csrf"]
        .as_str()
        .ok_or_else(|| anyhow!("no CSRF token for burst-{code}"))?
        .to_string();
    Ok(Officer {
        code: code.to_string(),
        cookie,
        csrf,
    })
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn cookie(&self, name: &str) -> Option<String> {
        self.head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.trim().split(';').next()?.split_once('='))
            .find(|(k, v)| *k == name && !v.is_empty())
            .map(|(_, v)| v.to_string())
    }
}

async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookie: &str,
    csrf: &str,
    json: Option<&str>,
) -> Result<Reply> {
    request_with(
        addr,
        method,
        path,
        cookie,
        csrf,
        json.map(|b| (b, "application/json")),
    )
    .await
}

/// One HTTP/1.1 request on a connection of its own (`Connection: close`),
/// read to its end.
async fn request_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookie: &str,
    csrf: &str,
    body: Option<(&str, &str)>,
) -> Result<Reply> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if !cookie.is_empty() {
        head.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if !csrf.is_empty() {
        head.push_str(&format!("X-CSRF-Token: {csrf}\r\n"));
    }
    if let Some((b, kind)) = body {
        head.push_str(&format!(
            "Content-Type: {kind}\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    head.push_str("\r\n");
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut out = head.into_bytes();
    out.extend_from_slice(body.map_or("", |(b, _)| b).as_bytes());
    // tokio's readiness calls, not its io-util traits: the example builds
    // with the binary's features, so nothing is compiled twice.
    let mut sent = 0;
    while sent < out.len() {
        stream.writable().await?;
        match stream.try_write(&out[sent..]) {
            Ok(n) => sent += n,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut reply = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        stream.readable().await?;
        match stream.try_read(&mut buf) {
            Ok(0) => break,
            Ok(n) => reply.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e.into()),
        }
    }
    let split = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| anyhow!("a reply without its head"))?;
    let head = String::from_utf8_lossy(&reply[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow!("a reply without a status"))?;
    let mut body = reply[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body)?;
    }
    Ok(Reply { status, head, body })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| anyhow!("a bad chunk"))?;
        let size = usize::from_str_radix(
            std::str::from_utf8(&data[..end])?
                .split(';')
                .next()
                .unwrap_or_default()
                .trim(),
            16,
        )?;
        if size == 0 {
            return Ok(out);
        }
        let chunk = data
            .get(end + 2..end + 2 + size)
            .ok_or_else(|| anyhow!("a short chunk"))?;
        out.extend_from_slice(chunk);
        data = data.get(end + 4 + size..).unwrap_or_default();
    }
}

//! The load client of the crash test (`scripts/crash.sh`, issue #16 item
//! 1): several officers write through the JSON API at once, the server is
//! killed (SIGKILL) in the middle, and after a restart every write that was
//! acknowledged must be there, intact, and no write of many rows may be
//! there in part.
//!
//! `crash burst --addr A[,B] --rep N --consultation ID --clauses FILE
//! --editors CODES --answerers CODES --adopters CODES --seconds S --out DIR
//! [--sessions FILE]`
//!
//! 1. signs in the officer (`crash-CODE`) of every body named, or resumes
//!    its session kept in FILE, and reads where everything it will write
//!    stands (before the burst);
//! 2. writes `DIR/started` and, for S seconds (the burst, which the script
//!    kills the server within) and half as long again (so that a kill made
//!    late by a busy machine still finds them writing), writes from one
//!    task per body, each on its own connections, one request after
//!    another:
//!    - an editor edits three clauses of its body's policy in turn
//!      (`POST /api/v1/bodies/CODE/policy/clauses/KEY`, `base_version` the
//!      clause's history so far), each text unique (repetition, key,
//!      version): one row changed, one row of history added;
//!    - an answerer replaces its body's answer to the consultation
//!      (`POST /api/v1/consultations/ID/answer`, `base` its version) with
//!      40 comments quoting real clauses, each comment unique to the save:
//!      40 rows replaced at once;
//!    - an adopter records an edit decision with a unique text on two
//!      clauses of its body's merge review (`…/policy/review/clauses/KEY`)
//!      and adopts the review (`…/policy/review/adopt`): its policy's every
//!      node rewritten at once, some 550 rows. The first adopter does so
//!      just before the burst (its adoption must survive the kill), the
//!      others at a random moment in the burst's first half (theirs are
//!      often cut off by it). Each adopter's policy is adopted once; the
//!      script names fresh bodies for every repetition;
//!
//!    a task stops at its first request without a reply (the server is
//!    gone), so at most one write of each is in doubt;
//! 3. writes `DIR/record.json`: per body its session, what stood before and
//!    every write with the status it got (0: no reply).
//!
//! `crash verify --addr A --out DIR [--sqlite FILE]`, against the server
//! started again, checks a SQLite file with `PRAGMA integrity_check`, reads
//! everything back through the API and checks, per body:
//! - clause edits: each clause's text is its last acknowledged edit (or the
//!   one in doubt), and its history holds every earlier text in order, so
//!   no acknowledged edit is missing or changed;
//! - the answer: its version is the last acknowledged save's (or the one
//!   in doubt's) and its comments are exactly that save's, all 40 in
//!   order — a mix of two saves, or a save in part, is a failure;
//! - the adoption: the policy either follows the latest edition with every
//!   node as the review proposed (the decisions' texts on their clauses,
//!   clauses added and removed) or still follows its old edition with
//!   every node as it was and every acknowledged decision recorded; an
//!   acknowledged adoption must be the former.
//!
//! Any other reply than success or none during the burst is a failure too.
//! It prints one line of figures and every problem found, writes the
//! figures to `DIR/figures` (for the script's totals) and exits 1 on any
//! problem.

mod load;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use kaitei_model::registry;
use load::{Comment, Officer, Rng, answer_of, request, sign_in};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

const PASSWORD: &str = "crash-password-2026";
/// Comments in each answer saved.
const COMMENTS: usize = 40;
/// Clauses each editor edits in turn.
const CLAUSES_EACH: usize = 3;
/// Clauses of its review each adopter decides on before adopting.
const DECISIONS: usize = 2;
/// Adopters but the first start at a random moment in this first part of
/// the burst: an adoption takes a few hundred milliseconds (more on
/// PostgreSQL), so that some are acknowledged before the kill and more are
/// cut off by it.
const ADOPT_WITHIN: f64 = 0.5;
/// A request without a reply in this time counts as none (it would be a
/// failure of its own while the server is up: a write takes milliseconds).
const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Parser)]
#[command(about = "The crash test's load client (scripts/crash.sh)")]
enum Cli {
    /// Writes from every body named for SECONDS; records what was
    /// acknowledged.
    Burst(BurstArgs),
    /// Checks what a burst recorded against the server started again.
    Verify {
        #[arg(long)]
        addr: SocketAddr,
        #[arg(long)]
        out: PathBuf,
        /// The SQLite file, whose integrity is checked first.
        #[arg(long)]
        sqlite: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct BurstArgs {
    /// The servers; the bodies' tasks take them in turn.
    #[arg(long, value_delimiter = ',', required = true)]
    addr: Vec<SocketAddr>,
    /// The repetition, in every text written (so each text is unique).
    #[arg(long)]
    rep: u32,
    #[arg(long)]
    consultation: String,
    /// The consulted edition as `kaitei export --format json` writes it.
    #[arg(long)]
    clauses: PathBuf,
    #[arg(long, value_delimiter = ',')]
    editors: Vec<String>,
    #[arg(long, value_delimiter = ',')]
    answerers: Vec<String>,
    #[arg(long, value_delimiter = ',')]
    adopters: Vec<String>,
    /// The burst's length: the server is to be killed within it.
    #[arg(long, default_value_t = 1.0)]
    seconds: f64,
    #[arg(long)]
    out: PathBuf,
    /// Sessions kept from one burst to the next (login → cookie): signing
    /// in takes a quarter of a second of the server's time (argon2, on
    /// purpose), and sessions outlive a restart.
    #[arg(long)]
    sessions: Option<PathBuf>,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cli {
        Cli::Burst(args) => rt.block_on(burst(args)),
        Cli::Verify { addr, out, sqlite } => {
            let record: Record = serde_json::from_slice(
                &std::fs::read(out.join("record.json")).context("record.json")?,
            )?;
            let mut figures = rt.block_on(verify(addr, &record))?;
            if let Some(file) = sqlite {
                let problems = rt.block_on(kaitei_store::integrity_problems(&file))?;
                figures.problems.extend(
                    problems
                        .into_iter()
                        .map(|p| format!("integrity_check: {p}")),
                );
            }
            let line = figures.line(record.rep);
            println!("{line}");
            std::fs::write(out.join("figures"), figures.tsv())?;
            for p in &figures.problems {
                eprintln!("crash: rep {}: {p}", record.rep);
            }
            if !figures.problems.is_empty() {
                std::process::exit(1);
            }
            Ok(())
        }
    }
}

/// What a burst did, for `verify`.
#[derive(Serialize, Deserialize)]
struct Record {
    rep: u32,
    consultation: String,
    bodies: Vec<Body>,
}

/// One body's task: whose, its session, and its work.
#[derive(Serialize, Deserialize)]
struct Body {
    code: String,
    cookie: String,
    work: Work,
}

/// A write and the status it got (0: no reply).
#[derive(Serialize, Deserialize, Clone)]
struct Sent<T> {
    what: T,
    status: u16,
    /// The reply's body when the status was neither success nor none.
    #[serde(default)]
    message: String,
}

/// A body's part of a burst: where it stood before, and every write sent.
#[derive(Serialize, Deserialize)]
enum Work {
    Edits {
        /// Per clause key: its text and its history (version, text) when
        /// the burst began.
        before: BTreeMap<String, (String, Vec<(i64, String)>)>,
        /// (key, text) in the order sent.
        writes: Vec<Sent<(String, String)>>,
    },
    Answer {
        /// Version and comments (as the API gives them) before the burst.
        version: i64,
        comments: Vec<Value>,
        /// Each save's comments, in the order sent.
        writes: Vec<Sent<Vec<Value>>>,
    },
    Adoption {
        derived_from: String,
        latest: String,
        /// Every node before: key → title (if any) then paragraphs.
        before: BTreeMap<String, Vec<String>>,
        /// The review's items as the API gave them.
        items: Vec<Value>,
        /// (key, text) of each edit decision, in the order sent; then the
        /// adoption (what is empty).
        decisions: Vec<Sent<(String, String)>>,
        adopt: Option<Sent<()>>,
    },
}

/// What a body's task will write, prepared before the burst.
enum Plan {
    Edits {
        keys: Vec<String>,
        /// Versions (history lengths) to base the next edit of each on.
        base: BTreeMap<String, i64>,
    },
    Answer {
        base: i64,
    },
    Adoption {
        /// Clauses to decide on.
        keys: Vec<String>,
        /// When to start, after the burst began; `None`: before it.
        after: Option<Duration>,
    },
}

async fn burst(args: BurstArgs) -> Result<()> {
    let clauses = load::clauses(&std::fs::read_to_string(&args.clauses)?, COMMENTS)?;
    let roles = [
        (&args.editors, "editor"),
        (&args.answerers, "answerer"),
        (&args.adopters, "adopter"),
    ];
    let mut rng = Rng(0x6372_6173_6800 ^ u64::from(args.rep).wrapping_mul(0x9E37_79B9));
    let mut sessions: BTreeMap<String, String> = match &args.sessions {
        Some(file) if file.exists() => serde_json::from_slice(&std::fs::read(file)?)?,
        _ => BTreeMap::new(),
    };
    // 1. Every body signed in (or its session resumed) and its starting
    //    point read, all at once.
    let mut setting = Vec::new();
    for (codes, role) in roles {
        for code in codes {
            let addr = args.addr[setting.len() % args.addr.len()];
            let first = role == "adopter" && code == &args.adopters[0];
            let after =
                (!first).then(|| Duration::from_secs_f64(args.seconds * ADOPT_WITHIN * rng.unit()));
            let (code, consultation) = (code.clone(), args.consultation.clone());
            let kept = sessions.get(&format!("crash-{code}")).cloned();
            setting.push(tokio::spawn(async move {
                let login = format!("crash-{code}");
                let officer = match kept {
                    Some(cookie) => resume(addr, &login, cookie).await?,
                    None => None,
                };
                let officer = match officer {
                    Some(o) => o,
                    None => sign_in(addr, &login, PASSWORD).await?,
                };
                let (plan, work) = prepare(addr, &officer, &code, role, &consultation, after)
                    .await
                    .with_context(|| format!("preparing {code}"))?;
                anyhow::Ok((addr, code, officer, plan, work))
            }));
        }
    }
    let mut tasks = Vec::new();
    for s in setting {
        tasks.push(s.await??);
    }
    if let Some(file) = &args.sessions {
        for (_, _, officer, _, _) in &tasks {
            sessions.insert(officer.login.clone(), officer.cookie.clone());
        }
        std::fs::write(file, serde_json::to_vec_pretty(&sessions)?)?;
    }

    // The first adopter decides and adopts just before the burst: an
    // adoption takes long enough (the longer the busier the machine, over
    // a second on PostgreSQL under load) that one begun in the burst is
    // often cut off by the kill, and then no acknowledged adoption would be
    // checked at all. Its adoption must survive the kill like any other
    // acknowledged write; the other adopters' are at the kill's mercy.
    // (Deciding and adopting do not look at the burst's end.)
    let end = Instant::now();
    for (addr, code, officer, plan, work) in &mut tasks {
        if let (
            Plan::Adoption { keys, after },
            Work::Adoption {
                decisions, adopt, ..
            },
        ) = (plan, work)
            && after.is_none()
        {
            let writer = Writer::new(*addr, officer, code, args.rep, end);
            writer.decide(keys, decisions).await;
            if decisions.iter().all(|d| d.status == 200) {
                writer.adopt(adopt).await;
            }
        }
    }

    // 2. The burst.
    std::fs::write(args.out.join("started"), "")?;
    let zero = Instant::now();
    let end = zero + Duration::from_secs_f64(args.seconds * 1.5);
    let clauses = Arc::new(clauses);
    let mut running = Vec::new();
    for (n, (addr, code, officer, plan, work)) in tasks.into_iter().enumerate() {
        let (clauses, consultation) = (clauses.clone(), args.consultation.clone());
        let seed = rng.next() ^ n as u64;
        let rep = args.rep;
        running.push(tokio::spawn(async move {
            let writer = Writer::new(addr, &officer, &code, rep, end);
            let work = writer
                .run(plan, work, &consultation, &clauses, Rng(seed), zero)
                .await;
            Body {
                code,
                cookie: officer.cookie.clone(),
                work,
            }
        }));
    }
    let mut bodies = Vec::new();
    for r in running {
        bodies.push(r.await?);
    }
    let record = Record {
        rep: args.rep,
        consultation: args.consultation,
        bodies,
    };
    std::fs::write(
        args.out.join("record.json"),
        serde_json::to_vec_pretty(&record)?,
    )?;
    Ok(())
}

/// The officer of session `cookie`, if it is still signed in.
async fn resume(addr: SocketAddr, login: &str, cookie: String) -> Result<Option<Officer>> {
    let reply = request(addr, "GET", "/api/v1/session", &cookie, "", None).await?;
    if reply.status != 200 {
        return Ok(None);
    }
    let session = reply.json()?;
    Ok(match session["csrf"].as_str() {
        Some(csrf) if session["login"] == login => Some(Officer {
            login: login.to_string(),
            cookie,
            csrf: csrf.to_string(),
        }),
        _ => None,
    })
}

/// A node of an exported document: title (if any) then paragraphs.
fn content(node: &Value) -> Vec<String> {
    let mut out: Vec<String> = node["title"]
        .as_str()
        .map(str::to_string)
        .into_iter()
        .collect();
    let text = node["text"].as_str().unwrap_or_default();
    if !text.is_empty() {
        out.extend(text.split('\n').map(str::to_string));
    }
    out
}

/// Every node of an exported document by key, in document order.
fn nodes(doc: &Value) -> Vec<(String, Value)> {
    fn walk(nodes: &[Value], out: &mut Vec<(String, Value)>) {
        for n in nodes {
            out.push((n["key"].as_str().unwrap_or_default().to_string(), n.clone()));
            walk(n["children"].as_array().map_or(&[], Vec::as_slice), out);
        }
    }
    let mut out = Vec::new();
    walk(doc["nodes"].as_array().map_or(&[], Vec::as_slice), &mut out);
    out
}

/// A GET that must answer 200 with JSON.
async fn get(addr: SocketAddr, officer_cookie: &str, path: &str) -> Result<Value> {
    let reply = request(addr, "GET", path, officer_cookie, "", None).await?;
    if reply.status != 200 {
        bail!(
            "GET {path}: {} {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        );
    }
    reply.json()
}

/// A clause's text and history (newest first in the API; oldest first
/// here).
async fn clause(
    addr: SocketAddr,
    cookie: &str,
    code: &str,
    key: &str,
) -> Result<(String, Vec<(i64, String)>)> {
    let c = get(
        addr,
        cookie,
        &format!("/api/v1/bodies/{code}/policy/clauses/{key}"),
    )
    .await?;
    let text = c["paragraphs"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join("\n");
    let mut history: Vec<(i64, String)> = c["history"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|v| {
            (
                v["version"].as_i64().unwrap_or(-1),
                v["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    history.sort_by_key(|(v, _)| *v);
    Ok((text, history))
}

async fn prepare(
    addr: SocketAddr,
    officer: &Officer,
    code: &str,
    role: &str,
    consultation: &str,
    after: Option<Duration>,
) -> Result<(Plan, Work)> {
    let cookie = officer.cookie.as_str();
    Ok(match role {
        "editor" => {
            let policy = get(addr, cookie, &format!("/api/v1/bodies/{code}/policy")).await?;
            // Clauses with text, spread over the policy; the same ones in
            // every repetition, so that their histories grow long.
            let texts: Vec<String> = nodes(&policy)
                .into_iter()
                .filter(|(_, n)| {
                    n["text"].as_str().is_some_and(|t| t.chars().count() > 20)
                        && n["children"].as_array().is_none_or(Vec::is_empty)
                })
                .map(|(k, _)| k)
                .collect();
            if texts.len() <= (CLAUSES_EACH - 1) * 97 + 13 {
                bail!("the policy of {code} has too few clauses");
            }
            let keys: Vec<String> = (0..CLAUSES_EACH)
                .map(|i| texts[(i * 97 + 13) % texts.len()].clone())
                .collect();
            let mut before = BTreeMap::new();
            let mut base = BTreeMap::new();
            for k in &keys {
                let (text, history) = clause(addr, cookie, code, k).await?;
                base.insert(k.clone(), history.len() as i64);
                before.insert(k.clone(), (text, history));
            }
            (
                Plan::Edits { keys, base },
                Work::Edits {
                    before,
                    writes: Vec::new(),
                },
            )
        }
        "answerer" => {
            let a = get(
                addr,
                cookie,
                &format!("/api/v1/consultations/{consultation}/answer"),
            )
            .await?;
            let version = a["version"].as_i64().unwrap_or(-1);
            (
                Plan::Answer { base: version },
                Work::Answer {
                    version,
                    comments: a["comments"].as_array().cloned().unwrap_or_default(),
                    writes: Vec::new(),
                },
            )
        }
        _ => {
            let policy = get(addr, cookie, &format!("/api/v1/bodies/{code}/policy")).await?;
            let before: BTreeMap<String, Vec<String>> = nodes(&policy)
                .into_iter()
                .map(|(k, n)| (k, content(&n)))
                .collect();
            // Reading the review makes the server compute the proposal
            // (and keep it): the burst then times writes, not the merge.
            let review = get(
                addr,
                cookie,
                &format!("/api/v1/bodies/{code}/policy/review"),
            )
            .await?;
            let items = review["items"].as_array().cloned().unwrap_or_default();
            if items.is_empty() || review["latest"].is_null() {
                bail!(
                    "the policy of {code} has nothing to review (adopted in an earlier repetition?)"
                );
            }
            if review["undecided_conflicts"].as_u64() != Some(0) {
                bail!("the policy of {code} has conflicts to decide; a derived policy has none");
            }
            // Clauses the review changes that have no title: their edited
            // text is all there is to compare.
            let keys: Vec<String> = items
                .iter()
                .filter(|i| i["kind"] == "changed")
                .filter_map(|i| i["key"].as_str())
                .filter(|k| before.get(*k).is_some_and(|c| c.len() == 1))
                .take(DECISIONS)
                .map(str::to_string)
                .collect();
            if keys.len() < DECISIONS {
                bail!("the review of {code} has too few changed clauses");
            }
            (
                Plan::Adoption { keys, after },
                Work::Adoption {
                    derived_from: review["derived_from"].as_str().unwrap_or_default().into(),
                    latest: review["latest"].as_str().unwrap_or_default().into(),
                    before,
                    items,
                    decisions: Vec::new(),
                    adopt: None,
                },
            )
        }
    })
}

/// One body's task in the burst.
struct Writer<'a> {
    addr: SocketAddr,
    officer: &'a Officer,
    code: &'a str,
    /// The body's name, in the texts written.
    name: String,
    rep: u32,
    end: Instant,
}

/// Success for a write: `ok`; else the status (0: no reply) and the
/// reply's message.
fn outcome(reply: Result<Result<load::Reply>, tokio::time::error::Elapsed>) -> (u16, String) {
    match reply {
        Ok(Ok(r)) => (r.status, String::from_utf8_lossy(&r.body).into_owned()),
        _ => (0, String::new()),
    }
}

impl<'a> Writer<'a> {
    fn new(addr: SocketAddr, officer: &'a Officer, code: &'a str, rep: u32, end: Instant) -> Self {
        Writer {
            addr,
            officer,
            code,
            name: registry()
                .lookup(code)
                .map_or_else(|_| code.to_string(), |b| b.name.clone()),
            rep,
            end,
        }
    }

    /// Records an edit decision with a unique text on each of `keys`, one
    /// after another, until one is not acknowledged.
    async fn decide(&self, keys: &[String], decisions: &mut Vec<Sent<(String, String)>>) {
        let code = self.code;
        for key in keys {
            let text = format!(
                "{}の実情に合わせ、本項は独自に定める。（第{}回 {key} の判断）",
                self.name, self.rep
            );
            let body = json!({"decision": "edit", "text": text});
            let path = format!("/api/v1/bodies/{code}/policy/review/clauses/{key}");
            let (status, message) = self.post(&path, &body.to_string(), 200).await;
            decisions.push(Sent {
                what: (key.clone(), text),
                status,
                message,
            });
            if status != 200 {
                return;
            }
        }
    }

    /// Adopts the body's merge review as decided.
    async fn adopt(&self, adopt: &mut Option<Sent<()>>) {
        let path = format!("/api/v1/bodies/{}/policy/review/adopt", self.code);
        // Adopting makes a named, dated revision: a date after any the
        // generated policies carry.
        let body = r#"{"version": "令和9年4月1日施行", "published": "2027-04-01"}"#;
        let (status, message) = self.post(&path, body, 204).await;
        *adopt = Some(Sent {
            what: (),
            status,
            message,
        });
    }

    /// POSTs `body` (JSON) to `path`: the status (0: no reply) and, unless
    /// it is `ok`, the reply's body.
    async fn post(&self, path: &str, body: &str, ok: u16) -> (u16, String) {
        let sent = tokio::time::timeout(
            TIMEOUT,
            request(
                self.addr,
                "POST",
                path,
                &self.officer.cookie,
                &self.officer.csrf,
                Some(body),
            ),
        )
        .await;
        let (status, message) = outcome(sent);
        (status, if status == ok { String::new() } else { message })
    }

    async fn run(
        &self,
        plan: Plan,
        mut work: Work,
        consultation: &str,
        clauses: &[(String, String)],
        mut rng: Rng,
        zero: Instant,
    ) -> Work {
        let code = self.code;
        match (plan, &mut work) {
            (Plan::Edits { keys, mut base }, Work::Edits { writes, .. }) => {
                for turn in 0.. {
                    if Instant::now() >= self.end {
                        break;
                    }
                    let key = &keys[turn % keys.len()];
                    let version = base[key] + 1;
                    let text = format!(
                        "{}の職員は、所管する情報資産を適切に管理しなければならない。（第{}回 {key} 第{version}版）",
                        self.name, self.rep
                    );
                    let body = json!({"paragraphs": [text], "base_version": base[key]});
                    let path = format!("/api/v1/bodies/{code}/policy/clauses/{key}");
                    let (status, message) = self.post(&path, &body.to_string(), 200).await;
                    writes.push(Sent {
                        what: (key.clone(), text),
                        status,
                        message,
                    });
                    if status != 200 {
                        break;
                    }
                    base.insert(key.clone(), version);
                }
            }
            (Plan::Answer { mut base }, Work::Answer { writes, .. }) => {
                for save in 1.. {
                    if Instant::now() >= self.end {
                        break;
                    }
                    let tag = format!("第{}回保存{save}", self.rep);
                    let comments: Vec<Value> =
                        answer_of(save, &self.name, &tag, COMMENTS, clauses, &mut rng)
                            .iter()
                            .map(Comment::to_json)
                            .collect();
                    let body = json!({"base": base, "no_comment": false, "comments": comments});
                    let path = format!("/api/v1/consultations/{consultation}/answer");
                    let (status, message) = self.post(&path, &body.to_string(), 204).await;
                    writes.push(Sent {
                        what: comments,
                        status,
                        message,
                    });
                    if status != 204 {
                        break;
                    }
                    base += 1;
                }
            }
            (
                Plan::Adoption { keys, after },
                Work::Adoption {
                    decisions, adopt, ..
                },
            ) => {
                // Done before the burst, or to do in it.
                let Some(after) = after else {
                    return work;
                };
                tokio::time::sleep_until((zero + after).into()).await;
                self.decide(&keys, decisions).await;
                if decisions.iter().all(|d| d.status == 200) {
                    self.adopt(adopt).await;
                }
            }
            _ => unreachable!("a plan goes with its work"),
        }
        work
    }
}

/// The kinds of write, as the figures count them.
#[derive(Clone, Copy)]
enum Kind {
    Edit = 0,
    Save = 1,
    Decision = 2,
    Adoption = 3,
}

/// What `verify` found.
#[derive(Default)]
struct Figures {
    /// Acknowledged writes checked, by [`Kind`].
    acked: [usize; 4],
    /// Writes sent without a reply (in flight at the kill), and how many
    /// of them turned out done, by [`Kind`].
    in_doubt: [usize; 4],
    done: [usize; 4],
    /// Rows the acknowledged answers and adoptions wrote: comments, nodes.
    comments: usize,
    nodes: usize,
    problems: Vec<String>,
}

impl Figures {
    fn line(&self, rep: u32) -> String {
        let [edits, saves, decisions, adoptions] = self.acked;
        let doubt: usize = self.in_doubt.iter().sum();
        let done: usize = self.done.iter().sum();
        format!(
            "crash: rep {rep}: {} acknowledged writes checked ({edits} clause edits, {saves} answers of {COMMENTS} comments, {decisions} review decisions, {adoptions} adoptions of {} nodes in all); {doubt} in flight at the kill ({} of them adoptions), {done} of those done; {} lost or wrong",
            self.acked.iter().sum::<usize>(),
            self.nodes,
            self.in_doubt[Kind::Adoption as usize],
            self.problems.len()
        )
    }

    /// One line of tab-separated counts: acknowledged writes by kind
    /// (edits, answers, decisions, adoptions), comments, nodes, in flight
    /// by kind, done of those by kind, problems.
    fn tsv(&self) -> String {
        let mut cols: Vec<usize> = self.acked.to_vec();
        cols.extend([self.comments, self.nodes]);
        cols.extend(self.in_doubt);
        cols.extend(self.done);
        cols.push(self.problems.len());
        let cols: Vec<String> = cols.iter().map(usize::to_string).collect();
        format!("{}\n", cols.join("\t"))
    }

    /// Splits `writes` into the acknowledged ones (counted) and the one in
    /// doubt, and reports any other reply as a problem.
    fn settle<'w, T>(
        &mut self,
        kind: Kind,
        what: &str,
        writes: &'w [Sent<T>],
        ok: u16,
    ) -> (&'w [Sent<T>], Option<&'w Sent<T>>) {
        let acked = writes.iter().take_while(|w| w.status == ok).count();
        self.acked[kind as usize] += acked;
        match writes.get(acked) {
            None => (writes, None),
            Some(w) if w.status == 0 => {
                self.in_doubt[kind as usize] += 1;
                (&writes[..acked], Some(w))
            }
            Some(w) => {
                self.problems.push(format!(
                    "{what}: write {} was answered {} ({}) while the server was up",
                    acked + 1,
                    w.status,
                    w.message.trim()
                ));
                (&writes[..acked], None)
            }
        }
    }
}

fn short(s: &str) -> String {
    let c: String = s.chars().take(60).collect();
    if c.len() < s.len() {
        format!("{c}…")
    } else {
        c
    }
}

async fn verify(addr: SocketAddr, record: &Record) -> Result<Figures> {
    let mut f = Figures::default();
    for b in &record.bodies {
        let code = &b.code;
        let cookie = &b.cookie;
        match &b.work {
            Work::Edits { before, writes } => {
                let (acked, doubt) =
                    f.settle(Kind::Edit, &format!("clause edits of {code}"), writes, 200);
                for (key, (text0, history0)) in before {
                    let mine: Vec<&str> = acked
                        .iter()
                        .filter(|w| &w.what.0 == key)
                        .map(|w| w.what.1.as_str())
                        .collect();
                    let pending = doubt
                        .filter(|w| &w.what.0 == key)
                        .map(|w| w.what.1.as_str());
                    let (now, history) = clause(addr, cookie, code, key).await?;
                    // The texts the clause went through, oldest first: as
                    // it was, then every acknowledged edit, then perhaps
                    // the one in doubt.
                    let mut texts: Vec<&str> = vec![text0.as_str()];
                    texts.extend(&mine);
                    if pending.is_some_and(|p| p == now) {
                        f.done[Kind::Edit as usize] += 1;
                        texts.extend(pending);
                    }
                    let expected_now = *texts.last().unwrap_or(&"");
                    let here = format!("clause {key} of {code}");
                    if now != expected_now {
                        f.problems.push(format!(
                            "LOST: {here}: the last acknowledged edit ({}) is not its text: found {}",
                            short(expected_now),
                            short(&now)
                        ));
                    }
                    let want: Vec<(i64, String)> =
                        history0
                            .iter()
                            .cloned()
                            .chain(texts[..texts.len() - 1].iter().enumerate().map(|(i, t)| {
                                (history0.len() as i64 + i as i64 + 1, (*t).to_string())
                            }))
                            .collect();
                    if history != want {
                        let at = history
                            .iter()
                            .zip(&want)
                            .position(|(a, b)| a != b)
                            .unwrap_or(history.len().min(want.len()));
                        f.problems.push(format!(
                            "LOST: {here}: its history has {} versions, {} expected; first difference at version {}: found {:?}, expected {:?}",
                            history.len(),
                            want.len(),
                            at + 1,
                            history.get(at).map(|(_, t)| short(t)),
                            want.get(at).map(|(_, t)| short(t)),
                        ));
                    }
                }
            }
            Work::Answer {
                version,
                comments,
                writes,
            } => {
                let (acked, doubt) =
                    f.settle(Kind::Save, &format!("answers of {code}"), writes, 204);
                f.comments += acked.len() * COMMENTS;
                let a = get(
                    addr,
                    cookie,
                    &format!("/api/v1/consultations/{}/answer", record.consultation),
                )
                .await?;
                let got: Vec<Comment> = a["comments"]
                    .as_array()
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .map(Comment::from_json)
                    .collect();
                let of = |cs: &[Value]| cs.iter().map(Comment::from_json).collect::<Vec<_>>();
                let got_version = a["version"].as_i64().unwrap_or(-1);
                let last = acked.last().map_or(of(comments), |w| of(&w.what));
                let last_version = version + acked.len() as i64;
                let here = format!("the answer of {code}");
                match doubt {
                    Some(w) if got_version == last_version + 1 && got == of(&w.what) => {
                        f.done[Kind::Save as usize] += 1;
                    }
                    _ if got_version == last_version && got == last => {}
                    _ => {
                        let same = got.iter().zip(&last).filter(|(a, b)| a == b).count();
                        f.problems.push(format!(
                            "LOST: {here}: save {} (version {last_version}, {} comments) acknowledged; found version {got_version} with {} comments, {same} of them that save's",
                            acked.len(),
                            last.len(),
                            got.len()
                        ));
                    }
                }
            }
            Work::Adoption {
                derived_from,
                latest,
                before,
                items,
                decisions,
                adopt,
            } => {
                let here = format!("the policy of {code}");
                let (acked, doubt) = f.settle(
                    Kind::Decision,
                    &format!("review decisions of {code}"),
                    decisions,
                    200,
                );
                let adopt: Vec<Sent<()>> = adopt.iter().cloned().collect();
                let (adopted, adopt_doubt) =
                    f.settle(Kind::Adoption, &format!("adoption of {code}"), &adopt, 204);
                let policy = get(addr, cookie, &format!("/api/v1/bodies/{code}/policy")).await?;
                let now: BTreeMap<String, Vec<String>> = nodes(&policy)
                    .into_iter()
                    .map(|(k, n)| (k, content(&n)))
                    .collect();
                let follows = policy["meta"]["derived_from"].as_str().unwrap_or_default();
                if follows == latest {
                    // Adopted: every node as the review proposed, with
                    // the decisions' texts.
                    if adopted.is_empty() {
                        if adopt_doubt.is_some() {
                            f.done[Kind::Adoption as usize] += 1;
                        } else {
                            f.problems
                                .push(format!("{here}: adopted, but its adoption was never sent"));
                        }
                    } else {
                        f.nodes += now.len();
                    }
                    let edits: BTreeMap<&str, &str> = decisions
                        .iter()
                        .map(|d| (d.what.0.as_str(), d.what.1.as_str()))
                        .collect();
                    let mut want = before.clone();
                    for i in items {
                        let key = i["key"].as_str().unwrap_or_default().to_string();
                        let proposed: Vec<String> = i["proposed"]
                            .as_array()
                            .map_or(&[][..], Vec::as_slice)
                            .iter()
                            .filter_map(|p| p.as_str().map(str::to_string))
                            .collect();
                        match i["kind"].as_str() {
                            Some("removed") => {
                                want.remove(&key);
                            }
                            _ => {
                                want.insert(key, proposed);
                            }
                        }
                    }
                    for (key, text) in &edits {
                        // Our decided clauses have no title (chosen so);
                        // the edit is their text.
                        want.insert((*key).to_string(), vec![(*text).to_string()]);
                    }
                    let wrong: BTreeSet<&String> = want
                        .keys()
                        .chain(now.keys())
                        .filter(|k| want.get(*k) != now.get(*k))
                        .collect();
                    if !wrong.is_empty() {
                        f.problems.push(format!(
                            "HALF: {here} follows {latest}, but {} of its {} nodes are not as adopted (first: {})",
                            wrong.len(),
                            want.len(),
                            wrong.iter().next().map_or("", |k| k.as_str())
                        ));
                    }
                } else if follows == derived_from {
                    // Not adopted: every node as it was, every
                    // acknowledged decision recorded.
                    if !adopted.is_empty() {
                        f.problems.push(format!(
                            "LOST: {here}: its adoption was acknowledged, but it still follows {derived_from}"
                        ));
                    }
                    if &now != before {
                        let changed = before
                            .keys()
                            .chain(now.keys())
                            .filter(|k| before.get(*k) != now.get(*k))
                            .collect::<BTreeSet<_>>()
                            .len();
                        f.problems.push(format!(
                            "HALF: {here} still follows {derived_from}, but {changed} of its nodes changed"
                        ));
                    }
                    if decisions.is_empty() {
                        // Killed before it began: nothing to look for
                        // (and the review costs a merge).
                        continue;
                    }
                    let review = get(
                        addr,
                        cookie,
                        &format!("/api/v1/bodies/{code}/policy/review"),
                    )
                    .await?;
                    let decided: BTreeMap<&str, (&str, &str)> = review["items"]
                        .as_array()
                        .map_or(&[][..], Vec::as_slice)
                        .iter()
                        .filter_map(|i| {
                            Some((
                                i["key"].as_str()?,
                                (i["decision"].as_str()?, i["text"].as_str()?),
                            ))
                        })
                        .collect();
                    for d in acked {
                        let (key, text) = (&d.what.0, &d.what.1);
                        if decided.get(key.as_str()) != Some(&("edit", text.as_str())) {
                            f.problems.push(format!(
                                "LOST: {here}: the acknowledged decision on {key} is not recorded (found {:?})",
                                decided.get(key.as_str())
                            ));
                        }
                    }
                    if let Some(d) = doubt {
                        match decided.get(d.what.0.as_str()) {
                            Some(&("edit", t)) if t == d.what.1 => {
                                f.done[Kind::Decision as usize] += 1;
                            }
                            None => {}
                            other => f.problems.push(format!(
                                "{here}: the decision in doubt on {} is recorded wrong: {other:?}",
                                d.what.0
                            )),
                        }
                    }
                } else {
                    f.problems.push(format!(
                        "{here} follows {follows:?}: neither {derived_from} nor {latest}"
                    ));
                }
            }
        }
    }
    Ok(f)
}

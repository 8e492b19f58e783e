//! What the load clients (`burst`, `crash`) share: a small HTTP/1.1 client
//! over tokio's TCP, signing an officer in, a seeded random number
//! generator, and consultation comments that quote real clauses.
//!
//! A directory module, not `load.rs`: Cargo takes every `examples/*.rs` for
//! an example of its own.

// Each client uses its part of what is here.
#![allow(dead_code)]

use std::net::SocketAddr;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use tokio::net::TcpStream;

/// The clauses of an exported document (`kaitei export --format json`)
/// that have a first line long enough to quote from: (key, text). At least
/// `needed` of them, or an error.
pub fn clauses(export: &str, needed: usize) -> Result<Vec<(String, String)>> {
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
    if out.len() < needed {
        bail!(
            "CLAUSES.json has {} clauses to quote; {needed} needed",
            out.len()
        );
    }
    Ok(out)
}

/// xorshift64*: the same sequence from the same seed on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One comment as the API takes and gives it.
#[derive(Clone, PartialEq, Debug)]
pub struct Comment {
    pub clause: String,
    pub quote: String,
    pub kind: &'static str,
    pub text: String,
    pub proposal: String,
}

impl Comment {
    pub fn to_json(&self) -> Value {
        json!({
            "clause": self.clause, "quote": self.quote, "kind": self.kind,
            "text": self.text, "proposal": self.proposal,
        })
    }

    /// A comment as the API gives it back; an unknown kind reads as `?`,
    /// so that it compares unequal to anything sent.
    pub fn from_json(c: &Value) -> Comment {
        Comment {
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
        }
    }
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

/// Body `n`'s answer of `count` comments: each on a clause of its own,
/// quoting words of the clause's first line, in wording of varied length.
/// `tag` goes into every comment's closing words (`（{name} {tag}意見3）`),
/// so that answers saved one after another differ in every comment.
pub fn answer_of(
    n: usize,
    name: &str,
    tag: &str,
    count: usize,
    clauses: &[(String, String)],
    rng: &mut Rng,
) -> Vec<Comment> {
    let start = rng.below(clauses.len());
    let step = 1 + rng.below(clauses.len() / count);
    (0..count)
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
            text.push_str(&format!("（{name} {tag}意見{}）", i + 1));
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

/// A signed-in officer: the session cookie and CSRF token.
pub struct Officer {
    pub login: String,
    pub cookie: String,
    pub csrf: String,
}

/// Signs `login` in as a browser does (`GET /login` for the sign-in
/// form's CSRF cookie, `POST /login`) and fetches the session's CSRF token
/// (`GET /api/v1/session`).
pub async fn sign_in(addr: SocketAddr, login: &str, password: &str) -> Result<Officer> {
    let page = request(addr, "GET", "/login", "", "", None).await?;
    let login_csrf = page
        .cookie("kaitei_login_csrf")
        .ok_or_else(|| anyhow!("the sign-in page set no CSRF cookie"))?;
    let form = format!("login={login}&password={password}&csrf={login_csrf}");
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
        .ok_or_else(|| anyhow!("{login} could not sign in ({})", signed.status))?;
    let cookie = format!("kaitei_session={token}");
    let session = request(addr, "GET", "/api/v1/session", &cookie, "", None).await?;
    let session: Value = serde_json::from_slice(&session.body)?;
    let csrf = session["csrf"]
        .as_str()
        .ok_or_else(|| anyhow!("no CSRF token for {login}"))?
        .to_string();
    Ok(Officer {
        login: login.to_string(),
        cookie,
        csrf,
    })
}

pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.trim().split(';').next()?.split_once('='))
            .find(|(k, v)| *k == name && !v.is_empty())
            .map(|(_, v)| v.to_string())
    }

    /// The body as JSON.
    pub fn json(&self) -> Result<Value> {
        serde_json::from_slice(&self.body).with_context(|| {
            format!(
                "a reply {} that is not JSON: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// One request with a JSON body, or none.
pub async fn request(
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
pub async fn request_with(
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
    // tokio's readiness calls, not its io-util traits: the examples build
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

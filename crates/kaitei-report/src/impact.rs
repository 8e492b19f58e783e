//! Writers for the impact of a new edition on policies: text, JSON, XLSX.

use kaitei_compare::policy::{Candidate, ImpactItem, Inference, InferredValue};
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;

/// One policy's impact, as written.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyImpact<'a> {
    /// The body's code.
    pub body: String,
    /// The body's name.
    pub name: String,
    /// The policy's edition.
    pub edition: String,
    /// What is affected.
    #[serde(serialize_with = "items")]
    pub items: &'a [ImpactItem],
    /// Placeholders without a value and what the policy's text shows for
    /// them (empty when none lacks a value).
    #[serde(serialize_with = "values", skip_serializing_if = "no_values")]
    pub values: &'a [InferredValue],
}

fn no_values(v: &&[InferredValue]) -> bool {
    v.is_empty()
}

#[derive(Serialize)]
struct ValueOut<'a> {
    name: &'a str,
    /// `inferred`, `conflicting` or `not_found`.
    status: &'static str,
    /// The value inferred (only when `inferred`).
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
    first_used_at: &'a str,
    candidates: Vec<CandidateOut<'a>>,
}

#[derive(Serialize)]
struct CandidateOut<'a> {
    value: &'a str,
    evidence: Vec<EvidenceOut<'a>>,
}

#[derive(Serialize)]
struct EvidenceOut<'a> {
    policy_path: &'a str,
    guideline_key: &'a str,
    guideline_path: &'a str,
}

fn candidate(c: &Candidate) -> CandidateOut<'_> {
    CandidateOut {
        value: &c.value,
        evidence: c
            .evidence
            .iter()
            .map(|e| EvidenceOut {
                policy_path: &e.policy_path,
                guideline_key: e.guideline_key.as_str(),
                guideline_path: &e.guideline_path,
            })
            .collect(),
    }
}

fn values<S: serde::Serializer>(values: &&[InferredValue], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(values.iter().map(|v| {
        let (status, candidates) = match &v.inference {
            Inference::Inferred(c) => ("inferred", vec![candidate(c)]),
            Inference::Conflicting(cs) => ("conflicting", cs.iter().map(candidate).collect()),
            Inference::NotFound => ("not_found", Vec::new()),
        };
        ValueOut {
            name: &v.name,
            status,
            value: v.value(),
            first_used_at: &v.first_used_at,
            candidates,
        }
    }))
}

#[derive(Serialize)]
struct ItemOut<'a> {
    cause: &'static str,
    severity: &'static str,
    policy_key: Option<&'a str>,
    policy_path: &'a str,
    old_key: Option<&'a str>,
    old_path: &'a str,
    new_key: Option<&'a str>,
    new_path: &'a str,
    explanation: &'a str,
}

fn item(i: &ImpactItem) -> ItemOut<'_> {
    ItemOut {
        cause: i.cause.as_str(),
        severity: i.severity().as_str(),
        policy_key: i.policy_key.as_ref().map(|k| k.as_str()),
        policy_path: &i.policy_path,
        old_key: i.old_key.as_ref().map(|k| k.as_str()),
        old_path: &i.old_path,
        new_key: i.new_key.as_ref().map(|k| k.as_str()),
        new_path: &i.new_path,
        explanation: &i.explanation,
    }
}

fn items<S: serde::Serializer>(items: &&[ImpactItem], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.iter().map(item))
}

#[derive(Serialize)]
struct JsonOut<'a> {
    policies: &'a [PolicyImpact<'a>],
}

/// JSON: `{"policies": [{"body", "name", "edition", "items": [...]}]}`.
pub fn to_json(policies: &[PolicyImpact]) -> String {
    serde_json::to_string(&JsonOut { policies }).unwrap_or_default()
}

/// Policies per turn of [`write_json`]: a few hundred kilobytes of JSON.
const TURN: usize = 16;

/// [`to_json`] and a line break, streamed to `w` (compact: a national run
/// is tens of megabytes). The policies are serialised a few at a time on
/// every core, each core taking its turn — this thread writing its own
/// turns straight to `w`, the others theirs into a buffer this thread
/// writes when their turn comes — so the same bytes come out as
/// serialising them whole, and no more than a few turns' worth is ever held
/// (buffers for half the report each, grown as they filled, made the
/// kernel zero and the allocator copy tens of megabytes).
pub fn write_json(policies: &[PolicyImpact], mut w: impl std::io::Write) -> std::io::Result<()> {
    fn turn(
        policies: &[PolicyImpact],
        first: bool,
        w: &mut impl std::io::Write,
    ) -> std::io::Result<()> {
        for (i, p) in policies.iter().enumerate() {
            if i > 0 || !first {
                w.write_all(b",")?;
            }
            serde_json::to_writer(&mut *w, p).map_err(std::io::Error::from)?;
        }
        Ok(())
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let turns: Vec<&[PolicyImpact]> = policies.chunks(TURN).collect();
    w.write_all(b"{\"policies\":[")?;
    std::thread::scope(|s| {
        // Per helper: its serialised turns, in its order, and the emptied
        // buffers back for reuse. Two turns ahead at most.
        let helpers: Vec<_> = (1..cores.min(turns.len().max(1)))
            .map(|h| {
                let (full_tx, full_rx) =
                    std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(2);
                let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<u8>>();
                let turns = &turns;
                s.spawn(move || {
                    for t in (h..turns.len()).step_by(cores) {
                        let mut buf = empty_rx.try_recv().unwrap_or_default();
                        buf.clear();
                        let made = turn(turns[t], t == 0, &mut buf).map(|()| buf);
                        if full_tx.send(made).is_err() {
                            return;
                        }
                    }
                });
                (full_rx, empty_tx)
            })
            .collect();
        for (t, policies) in turns.iter().enumerate() {
            match t % cores {
                0 => turn(policies, t == 0, &mut w)?,
                h => {
                    let (full, empty) = &helpers[h - 1];
                    let buf = full.recv().map_err(|_| {
                        std::io::Error::other("serialising a part of the report failed")
                    })??;
                    w.write_all(&buf)?;
                    let _ = empty.send(buf);
                }
            }
        }
        Ok::<_, std::io::Error>(())
    })?;
    w.write_all(b"]}\n")?;
    w.flush()
}

fn severity_word(i: &ImpactItem) -> &'static str {
    match i.severity() {
        kaitei_compare::policy::Severity::High => "要判断",
        kaitei_compare::policy::Severity::Medium => "要確認",
        kaitei_compare::policy::Severity::Low => "参考",
    }
}

/// Text, one line per item, highest severity first.
pub fn to_text(p: &PolicyImpact) -> String {
    let mut out = format!(
        "{} {}（{}）: {} 件\n",
        p.body,
        p.name,
        p.edition,
        p.items.len()
    );
    for i in p.items {
        let place = if i.policy_path.is_empty() {
            "—"
        } else {
            &i.policy_path
        };
        out.push_str(&format!(
            "  [{}] {}: {}\n",
            severity_word(i),
            place,
            i.explanation
        ));
    }
    out
}

/// An Excel workbook with one row per item.
pub fn to_xlsx(policies: &[PolicyImpact]) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("影響一覧").map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    let headers = [
        "団体コード",
        "団体名",
        "版",
        "重要度",
        "原因",
        "本団体の条項",
        "旧版の条項",
        "新版の条項",
        "説明",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(|e| e.to_string())?;
    }
    let mut row = 1u32;
    for p in policies {
        for i in p.items {
            let cells = [
                p.body.as_str(),
                p.name.as_str(),
                p.edition.as_str(),
                severity_word(i),
                i.cause.as_str(),
                i.policy_path.as_str(),
                &i.old_path,
                &i.new_path,
                &i.explanation,
            ];
            for (c, v) in cells.iter().enumerate() {
                sheet
                    .write_string(row, c as u16, *v)
                    .map_err(|e| e.to_string())?;
            }
            row += 1;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    sheet
        .autofilter(0, 0, row.saturating_sub(1).max(1), headers.len() as u16 - 1)
        .map_err(|e| e.to_string())?;
    for (c, w) in [10.0, 12.0, 14.0, 8.0, 16.0, 30.0, 30.0, 30.0, 60.0]
        .iter()
        .enumerate()
    {
        sheet
            .set_column_width(c as u16, *w)
            .map_err(|e| e.to_string())?;
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use kaitei_compare::policy::{Cause, Evidence};
    use kaitei_model::Key;

    use super::*;

    fn item(n: usize) -> ImpactItem {
        ImpactItem {
            cause: Cause::ChangedModified,
            policy_key: Key::new(&format!("p-s{n}")),
            policy_path: format!("第{n}章 / \"記号\" \\ 「引用」"),
            old_key: Key::new(&format!("s{n}")),
            old_path: format!("第2編 / 第{n}章").into(),
            new_key: None,
            new_path: "".into(),
            explanation: Cause::ChangedModified.explain("旧", "", "").into(),
        }
    }

    /// The report written in parts on several cores is, byte for byte, the
    /// report serialised whole — for no policy, one, a turn's worth, and
    /// several turns for every core.
    #[test]
    fn json_written_in_parts_is_the_whole_serialised() {
        let items: Vec<ImpactItem> = (0..3).map(item).collect();
        let values = vec![InferredValue {
            name: "CISO職名".into(),
            first_used_at: "第1章".into(),
            inference: Inference::Inferred(Candidate {
                value: "副市長".into(),
                evidence: vec![Evidence {
                    policy_path: "第1章 / 1.".into(),
                    guideline_key: Key::new("s1-1").unwrap(),
                    guideline_path: "第2編 / 第1章".into(),
                }],
            }),
        }];
        let policy = |n: usize| PolicyImpact {
            body: format!("{n:06}"),
            name: format!("団体{n}"),
            edition: "令和6年度版".into(),
            items: &items[..n % 4],
            values: if n.is_multiple_of(2) { &values } else { &[] },
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        for count in [0, 1, 2, 3 * cores + 1, TURN, 3 * TURN * cores + 5] {
            let report: Vec<PolicyImpact> = (0..count).map(policy).collect();
            let mut written = Vec::new();
            write_json(&report, &mut written).unwrap();
            assert_eq!(
                String::from_utf8(written).unwrap(),
                to_json(&report) + "\n",
                "{count} policies"
            );
        }
    }
}

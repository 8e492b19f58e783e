//! A realistic nation: every local government's policy derived from a
//! guideline edition, each departing from it at its own rate — the one
//! generator behind the demo, the national benchmarks and the tests that
//! need many bodies.
//!
//! [`answers`] gives what bodies say in a consultation, with the truth of
//! which comments raise the same concern.
//!
//! A body fills the guideline's placeholders with its own values (its
//! name, the CISO's title by the kind of body, the organs it applies to),
//! then rewrites some clauses in its own words, omits some (recording why)
//! and adds clauses of its own. Large bodies depart more than villages, as
//! they do in practice; the same seed gives the same nation.

use std::collections::BTreeMap;

use kaitei_model::{Body, BodyKind, Document, Key, Node, NodeKind, Omission, Status};

use super::Rng;
use crate::policy::{MissingValue, derive, profile};

/// How a body rewrites a clause in its own words: appended to its first
/// paragraph.
const OWN_WORDING: [&str; 5] = [
    "（本団体の運用による。）",
    "（詳細は別に定める実施手順による。）",
    "（ただし、所管課の長が認める場合はこの限りでない。）",
    "（当該事項は、情報政策担当課が取りまとめる。）",
    "（運用の細目は、毎年度見直すものとする。）",
];

/// Clauses a body adds of its own.
const OWN_CLAUSES: [&str; 4] = [
    "本団体独自の規定として、別に定める手順により運用する。",
    "出先機関における情報資産の管理は、所管課の長が行う。",
    "指定管理者に情報資産を取り扱わせる場合は、協定書に情報セキュリティに関する事項を定める。",
    "災害時の業務継続計画との整合を図るものとする。",
];

/// Why a body omits a clause.
const OMISSION_REASONS: [&str; 3] = [
    "本団体では該当しないため",
    "別に定める規程で規定しているため",
    "該当する情報システムを保有していないため",
];

/// The values a body fills the guideline's placeholders with.
pub fn values(body: &Body) -> BTreeMap<String, String> {
    let (ciso, organs) = match body.kind {
        BodyKind::Prefecture => ("副知事", "知事部局、教育委員会、警察本部を除く行政委員会"),
        BodyKind::City => ("副市長", "市長部局、教育委員会"),
        BodyKind::SpecialWard => ("副区長", "区長部局、教育委員会"),
        BodyKind::Town => ("副町長", "町長部局"),
        BodyKind::Village => ("副村長", "村長部局"),
    };
    let given: BTreeMap<String, String> = [
        ("CISO職名".to_string(), ciso.to_string()),
        ("適用機関".to_string(), organs.to_string()),
    ]
    .into();
    profile(body, &given)
}

/// How far a body departs from the guideline: the share of clauses it
/// rewrites (omissions and additions follow from it). Prefectures and
/// cities write more of their own than towns and villages.
fn departure(body: &Body, rng: &mut Rng) -> f64 {
    let most = match body.kind {
        BodyKind::Prefecture => 45,
        BodyKind::City | BodyKind::SpecialWard => 35,
        BodyKind::Town | BodyKind::Village => 20,
    };
    rng.below(most) as f64 / 100.0
}

/// One body's policy derived from `guideline`, following edition
/// `edition`; `Err` names the placeholders the guideline has that no value
/// fills.
pub fn policy(
    guideline: &Document,
    body: &Body,
    edition: &str,
    rng: &mut Rng,
) -> Result<Document, Vec<MissingValue>> {
    let mut p = derive(guideline, body, &values(body), edition)?;
    let rate = departure(body, rng);
    let mut omitted = Vec::new();
    let mut added = 0;
    depart(&mut p.children, rng, rate, &mut omitted, &mut added);
    p.meta.omitted = omitted;
    Ok(p)
}

fn depart(
    nodes: &mut Vec<Node>,
    rng: &mut Rng,
    rate: f64,
    omitted: &mut Vec<Omission>,
    added: &mut usize,
) {
    let mut i = 0;
    while i < nodes.len() {
        let leaf = nodes[i].children.is_empty();
        if leaf && rng.chance(rate / 8.0) {
            let n = nodes.remove(i);
            if let Some(from) = n.from {
                omitted.push(Omission {
                    from,
                    reason: rng.pick(&OMISSION_REASONS).to_string(),
                });
            }
            continue;
        }
        if rng.chance(rate) && !nodes[i].paragraphs.is_empty() {
            let wording = rng.pick(&OWN_WORDING);
            let n = &mut nodes[i];
            n.paragraphs[0] = format!("{}{wording}", n.paragraphs[0]);
            n.status = Some(Status::Modified);
        }
        if leaf && rng.chance(rate / 10.0) {
            *added += 1;
            let Some(key) = Key::new(&format!("own-{added}")) else {
                i += 1;
                continue;
            };
            let mut own = Node::new(NodeKind::Item, key);
            own.key_pinned = true;
            own.label = nodes[i].label.clone();
            own.paragraphs.push(rng.pick(&OWN_CLAUSES).to_string());
            own.status = Some(Status::Added);
            nodes.insert(i + 1, own);
            i += 1;
        }
        depart(&mut nodes[i].children, rng, rate, omitted, added);
        i += 1;
    }
}

/// The policies of `bodies`, in their order, derived from `guideline` with
/// `seed`; each body's policy is the same whichever others are asked for
/// (its generator is seeded by the seed and its code).
pub fn policies<'a>(
    guideline: &'a Document,
    bodies: &'a [Body],
    edition: &'a str,
    seed: u64,
) -> impl Iterator<Item = (&'a Body, Result<Document, Vec<MissingValue>>)> + 'a {
    bodies.iter().map(move |body| {
        let code: u64 = body.code.to_string().parse().unwrap_or(0);
        let mut rng = Rng::new(seed ^ code.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        (body, policy(guideline, body, edition, &mut rng))
    })
}

/// The comments `bodies` send on `subject` in a consultation, from the
/// comment generator ([`super::comments`]): many bodies raising the same
/// concern in their own words, near-identical different ones beside
/// them; `clauses` (keys) limits them to those clauses when not empty.
pub fn answers(
    subject: &Document,
    clauses: &[&str],
    bodies: &[&Body],
    seed: u64,
    shape: super::comments::Shape,
) -> Vec<super::comments::GeneratedComment> {
    let clauses: Vec<(String, String)> = subject
        .nodes()
        .filter(|n| clauses.is_empty() || clauses.contains(&n.key.as_str()))
        .map(|n| (n.key.as_str().to_string(), n.text()))
        .collect();
    let respondents: Vec<(String, String)> = bodies
        .iter()
        .map(|b| (b.code.to_string(), b.name.clone()))
        .collect();
    super::comments::comments(seed, &clauses, &respondents, shape)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaitei_model::registry;

    /// A small guideline with the placeholders the generator fills.
    fn guideline() -> Document {
        let mut g = super::super::guideline(3, 60);
        if let Some(n) = g.children.first_mut() {
            n.paragraphs
                .push("{{団体名}}の最高情報セキュリティ責任者は{{CISO職名}}とする。".into());
        }
        g
    }

    #[test]
    fn every_body_gets_a_policy_and_the_same_seed_the_same_nation() {
        let g = guideline();
        let all = registry().all();
        let a: Vec<_> = policies(&g, all, "令和6年度版", 7).collect();
        assert_eq!(a.len(), 1788);
        assert!(a.iter().all(|(_, p)| p.is_ok()));
        let b: Vec<_> = policies(&g, &all[100..110], "令和6年度版", 7).collect();
        for (i, (body, p)) in b.iter().enumerate() {
            assert_eq!(a[100 + i].0.code, body.code);
            assert_eq!(
                a[100 + i].1.as_ref().ok(),
                p.as_ref().ok(),
                "the same body, the same policy"
            );
        }
    }

    #[test]
    fn bodies_depart_each_in_its_own_way() {
        let g = guideline();
        let all = registry().all();
        let mut modified = Vec::new();
        for (body, p) in policies(&g, all, "令和6年度版", 7) {
            let p = p.unwrap();
            let text: String = p.nodes().flat_map(|n| n.paragraphs.clone()).collect();
            assert!(text.contains(&body.name), "its own name filled in");
            let ciso = values(body)["CISO職名"].clone();
            assert!(text.contains(&ciso), "{} has its CISO {ciso}", body.name);
            modified.push(
                p.nodes()
                    .filter(|n| n.status == Some(Status::Modified))
                    .count(),
            );
        }
        let untouched = modified.iter().filter(|&&m| m == 0).count();
        let max = modified.iter().max().copied().unwrap_or(0);
        assert!(
            untouched > 10 && untouched < 1000,
            "some follow the guideline word for word: {untouched}"
        );
        assert!(max >= 10, "some rewrite many clauses: {max}");
    }
}

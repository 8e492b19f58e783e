//! Placeholder values inferred from a body's own text.
//!
//! A policy written without kaitei records no `{{CISO職名}}` value, but its
//! text shows it: the guideline's `{{CISO職名}}を、最高情報セキュリティ責任者
//! （CISO）とする。` against the body's `副市長を、最高情報セキュリティ責任者
//! （CISO）とする。` gives `CISO職名 = 副市長`. For every clause of the
//! policy linked to a guideline clause (`from=`), each placeholder of the
//! guideline's text is looked for between the text around it — the longest
//! end of the text before it and the longest start of the text after it
//! that the body's text still has — and the body's words between them are
//! a candidate. Candidates from every clause are gathered per placeholder:
//! one value is inferred; different values are a conflict, listed and never
//! one picked; none leaves the placeholder unfilled.

use std::collections::{BTreeMap, HashMap};

use kaitei_model::text::{fill_placeholders, placeholders};
use kaitei_model::{Document, FlatNodes, Key, Node};

use super::example_text;

/// The fewest characters of the guideline's text on each side of a
/// placeholder that the body's text must keep for a value to be read
/// between them (a placeholder at the start or end of its text needs none
/// on that side). One character (`、`, `の`) is found anywhere.
pub const MIN_CONTEXT: usize = 2;

/// The longest value read (in characters): past it, the words between the
/// contexts are a rewritten sentence, not a name.
pub const MAX_VALUE_CHARS: usize = 160;

/// Where a candidate value was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The label path of the body's clause.
    pub policy_path: String,
    /// The guideline clause it derives from.
    pub guideline_key: Key,
    /// That clause's label path.
    pub guideline_path: String,
}

/// One value read for a placeholder, with every clause it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The value, as the body writes it.
    pub value: String,
    /// Where it was read, in document order.
    pub evidence: Vec<Evidence>,
}

/// What inference found for one placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inference {
    /// Every clause that shows it gives this value.
    Inferred(Candidate),
    /// Clauses give different values: the placeholder stays unfilled and
    /// every candidate is listed, the most often read first.
    Conflicting(Vec<Candidate>),
    /// No clause shows it: the placeholder stays as it is.
    NotFound,
}

/// One placeholder the body gave no value for, and what its text shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferredValue {
    /// The placeholder's name (`CISO職名`).
    pub name: String,
    /// The label path of the first guideline clause that uses it.
    pub first_used_at: String,
    /// What was found.
    pub inference: Inference,
}

impl InferredValue {
    /// The value to fill in, when exactly one was found.
    pub fn value(&self) -> Option<&str> {
        match &self.inference {
            Inference::Inferred(c) => Some(&c.value),
            _ => None,
        }
    }
}

/// Infers the placeholders `wanted` (names without a value) from the
/// clauses of `policy` linked to `guideline` (the edition it derives
/// from), filling the placeholders `known` has first. One entry per wanted
/// name, in `wanted`'s order.
pub fn infer_values(
    policy: &Document,
    guideline: &Document,
    known: &BTreeMap<String, String>,
    wanted: &[(String, String)],
) -> Vec<InferredValue> {
    ValueReader::new(guideline).infer(policy, known, wanted)
}

/// The guideline clauses that hold placeholders, with their label paths:
/// made once per edition, to read many policies' values with
/// ([`ValueReader::infer`]), as a national run does.
#[derive(Debug, Clone)]
pub struct ValueReader<'g> {
    by_key: HashMap<&'g Key, (&'g Node, String)>,
}

impl<'g> ValueReader<'g> {
    /// Indexes `guideline`'s clauses with a placeholder in their title or
    /// text (the only ones a value is read from).
    pub fn new(guideline: &'g Document) -> ValueReader<'g> {
        fn index<'a>(
            nodes: &'a [Node],
            path: &mut Vec<String>,
            out: &mut HashMap<&'a Key, (&'a Node, String)>,
        ) {
            for n in nodes {
                path.push(n.path_segment().to_string());
                if n.title
                    .iter()
                    .chain(&n.paragraphs)
                    .any(|t| placeholders(t).next().is_some())
                {
                    out.insert(&n.key, (n, path.join(" / ")));
                }
                index(&n.children, path, out);
                path.pop();
            }
        }
        let mut by_key = HashMap::new();
        index(example_text(guideline), &mut Vec::new(), &mut by_key);
        ValueReader { by_key }
    }

    /// The keys of the guideline clauses values are read from.
    pub fn keys(&self) -> impl Iterator<Item = &Key> {
        self.by_key.keys().copied()
    }

    /// [`infer_values`] with this reader's guideline.
    pub fn infer(
        &self,
        policy: &Document,
        known: &BTreeMap<String, String>,
        wanted: &[(String, String)],
    ) -> Vec<InferredValue> {
        self.infer_on(&FlatNodes::of(&policy.children), known, wanted)
    }

    /// [`ValueReader::infer`] on a policy's nodes laid out flat.
    pub fn infer_on(
        &self,
        nodes: &FlatNodes,
        known: &BTreeMap<String, String>,
        wanted: &[(String, String)],
    ) -> Vec<InferredValue> {
        let g_by_key = &self.by_key;
        let names: Vec<&str> = wanted.iter().map(|(n, _)| n.as_str()).collect();
        // name → value → evidence, values in the order first read.
        let mut found: BTreeMap<&str, Vec<Candidate>> = BTreeMap::new();
        // The path is joined only for a clause that gives evidence: a national
        // run visits millions of nodes.
        for (i, p) in nodes.iter() {
            let Some((g, g_path)) = p.from.as_ref().and_then(|f| g_by_key.get(f)) else {
                continue;
            };
            let mut read: Vec<(&str, String)> = Vec::new();
            let fields = g
                .title
                .iter()
                .map(|t| (t, p.title.iter().collect::<Vec<_>>()))
                .chain(
                    g.paragraphs
                        .iter()
                        .map(|t| (t, p.paragraphs.iter().collect::<Vec<_>>())),
                );
            for (template, texts) in fields {
                if !placeholders(template).any(|n| names.contains(&n)) {
                    continue;
                }
                let template = fill_placeholders(template, |n| known.get(n).cloned());
                for name in &names {
                    // Every text of the body's clause that shows a value for
                    // it; one value, or none from this field.
                    let mut values: Vec<String> = texts
                        .iter()
                        .filter_map(|t| read_value(&template, name, t))
                        .collect();
                    values.dedup();
                    if let [v] = &values[..]
                        && !read.iter().any(|(n, x)| n == name && x == v)
                    {
                        read.push((name, v.clone()));
                    }
                }
            }
            for (name, value) in read {
                let candidates = found.entry(name).or_default();
                let evidence = Evidence {
                    policy_path: nodes.path(i),
                    guideline_key: g.key.clone(),
                    guideline_path: g_path.clone(),
                };
                match candidates.iter_mut().find(|c| c.value == value) {
                    Some(c) => c.evidence.push(evidence),
                    None => candidates.push(Candidate {
                        value,
                        evidence: vec![evidence],
                    }),
                }
            }
        }
        wanted
            .iter()
            .map(|(name, first_used_at)| {
                let mut candidates = found.remove(name.as_str()).unwrap_or_default();
                // Most often read first; ties in the order first read.
                candidates.sort_by_key(|c| std::cmp::Reverse(c.evidence.len()));
                let inference = match candidates.len() {
                    0 => Inference::NotFound,
                    1 => Inference::Inferred(candidates.remove(0)),
                    _ => Inference::Conflicting(candidates),
                };
                InferredValue {
                    name: name.clone(),
                    first_used_at: first_used_at.clone(),
                    inference,
                }
            })
            .collect()
    }
}

/// The value `text` shows for placeholder `name` of `template` (the
/// guideline's text, other known placeholders filled): the text between
/// the contexts around its first occurrence, when one value is found
/// there and it looks like one.
pub fn read_value(template: &str, name: &str, text: &str) -> Option<String> {
    let marker = format!("{{{{{name}}}}}");
    let at = template.find(&marker)?;
    let before = &template[..at];
    let after = &template[at + marker.len()..];
    // A context must be literal text: another placeholder right next to
    // this one leaves no way to tell where one value ends.
    let before = before.rsplit_once("}}").map_or(before, |(_, b)| b);
    let after = after.split_once("{{").map_or(after, |(a, _)| a);
    let at_start = template[..at].is_empty();
    let at_end = template[at + marker.len()..].is_empty();
    // Where a value may start: the text's start, or the end of each
    // occurrence of the left context.
    let starts: Vec<usize> = if at_start {
        vec![0]
    } else {
        let left = longest_found(before, text, Side::End)?;
        text.match_indices(left)
            .map(|(i, _)| i + left.len())
            .collect()
    };
    let mut values: Vec<&str> = starts
        .into_iter()
        .filter_map(|start| {
            let rest = &text[start..];
            let value = if at_end {
                rest
            } else {
                let right = longest_found(after, rest, Side::Start)?;
                &rest[..rest.find(right)?]
            };
            // With nothing before it, the value runs from the text's start:
            // words the body put in front (`なお、`, `本町においては、`)
            // would be taken for it, so a clause boundary refuses it.
            (plausible(value) && !(at_start && value.contains('、'))).then_some(value)
        })
        .collect();
    values.dedup();
    // Several places giving different values: which is meant cannot be told.
    match values[..] {
        [v] => Some(v.to_string()),
        _ => None,
    }
}

/// Whether the words read look like a value: not empty, at most
/// [`MAX_VALUE_CHARS`], within one sentence, not a placeholder.
fn plausible(value: &str) -> bool {
    (1..=MAX_VALUE_CHARS).contains(&value.chars().count())
        && !value.contains(['。', '\n'])
        && !value.contains("{{")
}

#[derive(Clone, Copy)]
enum Side {
    Start,
    End,
}

/// The longest start (or end) of `context`, at least [`MIN_CONTEXT`]
/// characters, that occurs in `text`.
fn longest_found<'a>(context: &'a str, text: &str, side: Side) -> Option<&'a str> {
    let bounds: Vec<usize> = context
        .char_indices()
        .map(|(i, _)| i)
        .chain([context.len()])
        .collect();
    let n = bounds.len() - 1;
    (MIN_CONTEXT..=n).rev().find_map(|len| {
        let piece = match side {
            Side::Start => &context[..bounds[len]],
            Side::End => &context[bounds[n - len]..],
        };
        text.contains(piece).then_some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CISO: &str = "{{CISO職名}}を、最高情報セキュリティ責任者（CISO）とする。";

    #[test]
    fn reads_the_words_between_the_contexts() {
        assert_eq!(
            read_value(
                CISO,
                "CISO職名",
                "副市長を、最高情報セキュリティ責任者（CISO）とする。"
            )
            .as_deref(),
            Some("副市長")
        );
        let t = "本基本方針が適用される行政機関は、{{適用機関}}とする。";
        let body = "この規程が適用される行政機関は、町長部局、教育委員会事務局及び農業委員会事務局とする。";
        assert_eq!(
            read_value(t, "適用機関", body).as_deref(),
            Some("町長部局、教育委員会事務局及び農業委員会事務局")
        );
        // A filled neighbour is literal text like any other.
        let t = "盛岡市の{{CISO職名}}は、盛岡市の情報資産を管理する。";
        assert_eq!(
            read_value(
                t,
                "CISO職名",
                "盛岡市の副市長は、盛岡市の情報資産を管理する。"
            )
            .as_deref(),
            Some("副市長")
        );
    }

    #[test]
    fn refuses_what_is_not_a_value() {
        // The body rewrote the sentence: no contexts.
        assert_eq!(read_value(CISO, "CISO職名", "CISOは市長が指名する。"), None);
        // Still a placeholder in the body's text.
        assert_eq!(read_value(CISO, "CISO職名", CISO), None);
        // At the text's start, words the body put in front of the value.
        assert_eq!(
            read_value(
                CISO,
                "CISO職名",
                "本町においては、副町長を、最高情報セキュリティ責任者（CISO）とする。"
            ),
            None
        );
        // Two placeholders side by side: no literal between them.
        assert_eq!(read_value("{{A}}{{B}}とする。", "B", "甲乙とする。"), None);
        // A value running over a sentence's end.
        assert_eq!(
            read_value(
                "管理者は{{X}}とする。",
                "X",
                "管理者は課長。以下同じとする。"
            ),
            None
        );
        // The left context twice: which one is meant cannot be told.
        assert_eq!(
            read_value("は、{{X}}とする。", "X", "甲は、乙とし、丙は、丁とする。"),
            None
        );
    }

    #[test]
    fn min_context_just_above_and_below() {
        // The text before the placeholder keeps MIN_CONTEXT characters of
        // the guideline's: read. One fewer: not.
        let kept = "ほげ".chars().take(MIN_CONTEXT).collect::<String>();
        let template = format!("全く別の前置き{kept}{{{{X}}}}とする。");
        assert_eq!(
            read_value(&template, "X", &format!("書き直した文{kept}値とする。")).as_deref(),
            Some("値")
        );
        let short: String = kept.chars().skip(1).collect();
        assert_eq!(short.chars().count(), MIN_CONTEXT - 1);
        assert_eq!(
            read_value(&template, "X", &format!("書き直した文{short}値とする。")),
            None
        );
    }

    #[test]
    fn max_value_chars_just_above_and_below() {
        let t = "機関は、{{X}}とする。";
        let at = "局".repeat(MAX_VALUE_CHARS);
        assert_eq!(
            read_value(t, "X", &format!("機関は、{at}とする。")).as_deref(),
            Some(&at[..])
        );
        let over = "局".repeat(MAX_VALUE_CHARS + 1);
        assert_eq!(read_value(t, "X", &format!("機関は、{over}とする。")), None);
    }
}

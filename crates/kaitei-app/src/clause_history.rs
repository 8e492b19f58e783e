//! A guideline clause across editions: its text in each edition that has
//! it, what changed from the edition before, and — for an edition
//! published from a draft in kaitei — the draft changes behind it, the
//! topics they cite, and the consultation comments reflected in it.

use std::collections::HashMap;

use kaitei_model::EditionName;

use crate::{App, Result};

/// One draft change behind a clause's text in an edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeBehind {
    /// What was done, in one line.
    pub summary: String,
    /// The topic (検討項目) it cites, by title.
    pub topic: Option<String>,
    /// Who made it, and when (the store's stamp).
    pub by: String,
    /// When.
    pub at: String,
}

/// A clause in one edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseVersion {
    /// The edition.
    pub edition: String,
    /// Its label path there.
    pub path: String,
    /// Its title, text and commentary there, as one text.
    pub text: String,
    /// `added` (first seen), `changed`, `unchanged` or `deleted` (gone in
    /// this edition; `text` empty).
    pub change: &'static str,
    /// The draft changes behind it (newest first).
    pub changes: Vec<ChangeBehind>,
    /// The comments reflected in it (ids).
    pub comments: Vec<String>,
}

fn full_text(n: &kaitei_model::Node) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &n.title {
        parts.push(t.clone());
    }
    parts.push(n.text());
    let c = n.commentary_text();
    if !c.is_empty() {
        parts.push(format!("（解説）{c}"));
    }
    parts.join("\n")
}

impl App {
    /// Every topic's title by id, over all cycles.
    async fn topic_titles(&self) -> Result<HashMap<i64, String>> {
        let mut all = HashMap::new();
        for c in self.store.cycles().await? {
            for t in self.store.topics(c.year).await? {
                all.insert(t.id, t.title);
            }
        }
        Ok(all)
    }

    /// Clause `key` in every stored edition, oldest first; empty when no
    /// edition has it.
    pub async fn clause_history(&self, key: &str) -> Result<Vec<ClauseVersion>> {
        let drafts: HashMap<String, i64> = self
            .store
            .drafts()
            .await?
            .into_iter()
            .filter_map(|d| d.published_edition.map(|e| (e, d.id)))
            .collect();
        // The topics' titles, read once a version needs them (most
        // clauses' pages show none).
        let mut topics: Option<HashMap<i64, String>> = None;
        let mut out: Vec<ClauseVersion> = Vec::new();
        let mut before: Option<String> = None;
        for summary in self.editions().await? {
            let Ok(name) = EditionName::parse(&summary.edition) else {
                continue;
            };
            let doc = self.edition(&name).await?;
            let found = doc
                .locate(key)
                .map(|(path, n)| (path.join(" / "), full_text(n)));
            let change = match (&before, &found) {
                (None, None) => continue,
                (None, Some(_)) => "added",
                (Some(_), None) => "deleted",
                (Some(b), Some((_, t))) if b == t => "unchanged",
                (Some(_), Some(_)) => "changed",
            };
            let (changes, comments) = match drafts.get(&summary.edition) {
                Some(&draft) if change != "unchanged" => {
                    let titles = match topics.take() {
                        Some(t) => t,
                        None => self.topic_titles().await?,
                    };
                    let changes = self
                        .store
                        .draft_changes(draft, Some(key))
                        .await?
                        .into_iter()
                        .map(|c| ChangeBehind {
                            summary: c.summary,
                            topic: c.topic.and_then(|t| titles.get(&t).cloned()),
                            by: c.by,
                            at: c.at,
                        })
                        .collect();
                    topics = Some(titles);
                    let comments = self.citations(&name).await?.remove(key).unwrap_or_default();
                    (changes, comments)
                }
                _ => (Vec::new(), Vec::new()),
            };
            let (path, text) = found.clone().unwrap_or_default();
            out.push(ClauseVersion {
                edition: summary.edition.clone(),
                path,
                text,
                change,
                changes,
                comments,
            });
            before = found.map(|(_, t)| t);
        }
        Ok(out)
    }
}
